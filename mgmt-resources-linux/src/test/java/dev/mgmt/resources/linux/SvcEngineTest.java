package dev.mgmt.resources.linux;

import static dev.mgmt.resources.linux.Probe.HANG;
import static dev.mgmt.resources.linux.Probe.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.api.EngineEvent;
import dev.mgmt.api.EngineEvent.Phase;
import dev.mgmt.api.Graph;
import dev.mgmt.api.Meta;
import dev.mgmt.api.ResourceId;
import dev.mgmt.engine.Convergence;
import dev.mgmt.engine.Engine;
import dev.mgmt.engine.VertexState;
import dev.mgmt.resources.linux.internal.systemd.SystemdBus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.freedesktop.dbus.bin.EmbeddedDBusDaemon;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;

/**
 * svc in a real engine against {@link FakeSystemd} on a pure-Java bus: the same client code
 * as against systemd, with no root and no daemon.
 */
class SvcEngineTest {

    @TempDir
    Path dir;

    private FakeSystemd fake;
    private final List<EngineEvent> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startFake() throws Exception {
        fake = FakeSystemd.start(dir);
    }

    @AfterEach
    void stopFake() {
        try {
            eventually("every shared D-Bus connection closed", () -> SystemdBus.openConnections() == 0);
        } finally {
            fake.close();
        }
    }

    private Engine engine() {
        Engine e = Engine.builder().build();
        e.events().subscribe(events::add);
        return e;
    }

    private SvcResource.Builder dummy() {
        return SvcResource.builder("dummy").bus(fake.address());
    }

    private List<String> outputs(ResourceId id) {
        return of(EngineEvent.Output.class).filter(o -> o.id().equals(id)).map(EngineEvent.Output::text).toList();
    }

    private List<EngineEvent.Failed> failures(ResourceId id) {
        return of(EngineEvent.Failed.class).filter(f -> f.id().equals(id)).toList();
    }

    private <T> Stream<T> of(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast);
    }

    @Test
    void startsAStoppedService() {
        FakeSystemd.Unit unit = fake.unit("dummy.service");
        SvcResource svc = dummy().running().build();
        try (Engine e = engine()) {
            e.start(Graph.builder().add(svc).build());
            e.awaitConverged(HANG).orThrow();
        }
        assertThat(unit.activeState()).isEqualTo("active");
        assertThat(unit.starts()).isEqualTo(1);
        assertThat(fake.calls("Subscribe")).isEqualTo(1);
        assertThat(outputs(svc.id())).containsExactly("dummy.service is inactive (dead), want running", "started");
    }

    @Test
    void outsideStopIsRepairedWithoutPolling() {
        FakeSystemd.Unit unit = fake.unit("dummy.service");
        SvcResource svc = dummy().running().build();
        assertThat(svc.meta().poll()).isZero();
        try (Engine e = engine()) {
            e.start(Graph.builder().add(svc).build());
            e.awaitConverged(HANG).orThrow();
            int checks = fake.calls("LoadUnit");
            for (int round = 1; round <= 3; round++) {
                fake.stopFromOutside("dummy.service");
                int starts = round + 1;
                eventually("started again after outside stop #" + round, () -> unit.starts() == starts);
                eventually("active", () -> unit.activeState().equals("active"));
            }
            e.awaitConverged(HANG).orThrow();
            assertThat(fake.calls("LoadUnit") - checks).as("a few checks per stop, not a poll loop").isLessThan(20);
        }
        assertThat(fake.calls("Subscribe")).isEqualTo(1);
    }

    @Test
    void stopsARunningService() {
        FakeSystemd.Unit unit = fake.unit("dummy.service");
        unit.set("active", "running");
        SvcResource svc = dummy().stopped().build();
        try (Engine e = engine()) {
            e.start(Graph.builder().add(svc).build());
            e.awaitConverged(HANG).orThrow();
        }
        assertThat(unit.activeState()).isEqualTo("inactive");
        assertThat(unit.stops()).isEqualTo(1);
        assertThat(outputs(svc.id())).endsWith("stopped");
    }

    @Test
    void enablesThenDisablesAndRepairsAnOutsideEnable() {
        FakeSystemd.Unit unit = fake.unit("dummy.service");
        SvcResource enabled = dummy().enabled().build();
        try (Engine e = engine()) {
            e.start(Graph.builder().add(enabled).build());
            e.awaitConverged(HANG).orThrow();
            assertThat(unit.unitFileState()).isEqualTo("enabled");
            assertThat(fake.calls("EnableUnitFiles")).isEqualTo(1);
            assertThat(fake.calls("Reload")).isEqualTo(1);
            assertThat(unit.starts()).as("startup alone does not start it").isZero();
            assertThat(outputs(enabled.id())).endsWith("enabled");

            e.swap(Graph.builder().add(dummy().disabled().build()).build());
            e.awaitConverged(HANG).orThrow();
            assertThat(unit.unitFileState()).isEqualTo("disabled");
            assertThat(fake.calls("DisableUnitFiles")).isEqualTo(1);
            assertThat(fake.calls("Reload")).isEqualTo(2);

            fake.enableFromOutside("dummy.service");
            eventually("disabled again", () -> fake.calls("DisableUnitFiles") == 2);
            eventually("unit file disabled", () -> unit.unitFileState().equals("disabled"));
        }
        assertThat(outputs(enabled.id())).endsWith("disabled");
    }

    @Test
    void notifyEdgeFromAChangedFileRestartsTheService() throws Exception {
        FakeSystemd.Unit unit = fake.unit("dummy.service");
        Path env = dir.resolve("dummy.env");
        FileResource file = FileResource.file(env.toString(), "GREETING=hello\n");
        SvcResource svc = dummy().running().build();
        try (Engine e = engine()) {
            e.start(Graph.builder().add(file, svc).edge(file, svc).notifying().build());
            e.awaitConverged(HANG).orThrow();
            assertThat(unit.starts()).isEqualTo(1);
            assertThat(unit.restarts()).as("just started: no restart on top").isZero();

            Files.writeString(env, "GREETING=changed from outside\n");
            eventually("restarted", () -> unit.restarts() == 1);
            e.awaitConverged(HANG).orThrow();
            assertThat(Files.readString(env)).isEqualTo("GREETING=hello\n");
        }
        assertThat(fake.calls("ReloadOrTryRestartUnit")).isEqualTo(1);
        assertThat(outputs(svc.id())).endsWith("restarted");
        // Two refreshes: at creation of the file (a no-op: the service had just been started) and after the write.
        assertThat(of(EngineEvent.Refreshed.class).filter(r -> r.id().equals(svc.id()))).hasSize(2);
    }

    @Test
    void refreshOfAStoppedServiceDoesNothing() throws Exception {
        FakeSystemd.Unit unit = fake.unit("dummy.service");
        Path env = dir.resolve("dummy.env");
        FileResource file = FileResource.file(env.toString(), "A=1\n");
        SvcResource svc = dummy().build(); // state not managed
        try (Engine e = engine()) {
            e.start(Graph.builder().add(file, svc).edge(file, svc).notifying().build());
            e.awaitConverged(HANG).orThrow();
        }
        assertThat(unit.activeState()).isEqualTo("inactive");
        assertThat(fake.calls("ReloadOrTryRestartUnit")).isZero();
    }

    @Test
    void reloadsSystemdWhenTheUnitFileChangedOnDisk() {
        FakeSystemd.Unit unit = fake.unit("dummy.service");
        unit.set("active", "running");
        unit.needDaemonReload = true;
        SvcResource svc = dummy().running().build();
        try (Engine e = engine()) {
            e.start(Graph.builder().add(svc).build());
            e.awaitConverged(HANG).orThrow();
        }
        assertThat(fake.calls("Reload")).isEqualTo(1);
        assertThat(unit.starts()).isZero();
        assertThat(outputs(svc.id())).endsWith("daemon-reload");
    }

    @Test
    void failedStartNamesTheJobResult() {
        FakeSystemd.Unit unit = fake.unit("dummy.service");
        unit.failStart = true;
        SvcResource svc = dummy().running().build();
        try (Engine e = engine()) {
            e.start(Graph.builder().add(svc).build());
            // The failed start changes the unit's state, an event the engine owes a run for
            // (DESIGN §4): it starts it again, with re-arms spaced out so that it cannot spin.
            Procs.await(() -> failures(svc.id()).size() >= 3 || e.states().get(VertexState.FAILED) == 1,
                    HANG, "a third failed start, or the service failed for good");
        }
        List<EngineEvent.Failed> failed = failures(svc.id());
        assertThat(failed.get(0)).satisfies(f -> {
            assertThat(f.phase()).isEqualTo(Phase.APPLY);
            assertThat(f.message()).isEqualTo("svc[dummy]: start job for dummy.service finished with result 'failed';"
                    + " dummy.service is now failed (failed)");
        });
        if (failed.size() >= 3) {
            assertThat(Duration.between(failed.get(1).time(), failed.get(2).time()))
                    .as("the second re-arm waits the backoff").isGreaterThanOrEqualTo(Duration.ofMillis(250));
        }
    }

    @Test
    void missingUnitIsNamed() {
        SvcResource svc = SvcResource.builder("nothere.service").running().bus(fake.address()).build();
        Convergence c;
        try (Engine e = engine()) {
            e.start(Graph.builder().add(svc).build());
            c = e.awaitConverged(HANG);
        }
        assertThat(c.failed()).containsExactly(svc.id());
        assertThat(failures(svc.id())).singleElement().satisfies(f -> assertThat(f.message())
                .isEqualTo("svc[nothere.service]: nothere.service not found (no unit file on D-Bus at "
                        + fake.address() + ")"));
    }

    @Test
    void noopReportsWithoutStarting() {
        FakeSystemd.Unit unit = fake.unit("dummy.service");
        SvcResource svc = dummy().running().enabled().meta(Meta.builder().noop(true).build()).build();
        try (Engine e = engine()) {
            e.start(Graph.builder().add(svc).build());
            e.awaitConverged(HANG).orThrow();
        }
        assertThat(unit.starts()).isZero();
        assertThat(fake.calls("EnableUnitFiles")).isZero();
        assertThat(of(EngineEvent.WouldApply.class)).hasSize(1);
        assertThat(outputs(svc.id())).containsExactly(
                "dummy.service is disabled, want enabled; dummy.service is inactive (dead), want running");
    }

    @Test
    void servicesOnOneBusShareOneConnection() {
        FakeSystemd.Unit a = fake.unit("a.service");
        FakeSystemd.Unit b = fake.unit("b.service");
        SvcResource sa = SvcResource.builder("a").running().bus(fake.address()).build();
        SvcResource sb = SvcResource.builder("b.service").running().enabled().bus(fake.address()).build();
        try (Engine e = engine()) {
            e.start(Graph.builder().add(sa, sb).build());
            e.awaitConverged(HANG).orThrow();
            assertThat(SystemdBus.openConnections()).isEqualTo(1);
        }
        assertThat(fake.calls("Subscribe")).as("one connection, subscribed once").isEqualTo(1);
        assertThat(a.activeState()).isEqualTo("active");
        assertThat(b.activeState()).isEqualTo("active");
        assertThat(b.unitFileState()).isEqualTo("enabled");
        // stopFake() checks that closing the engine closed the connection
    }

    @Test
    void watchDropsRepeatedProperties() {
        fake.unit("dummy.service");
        SvcResource svc = dummy().running().build();
        List<Object> seen = new CopyOnWriteArrayList<>();
        Disposable watch = svc.watch().subscribe(seen::add);
        try {
            eventually("armed", () -> seen.size() == 1);
            for (int i = 0; i < 3; i++) {
                fake.repeatProperties("dummy.service");
            }
            fake.get("dummy.service").set("activating", "start"); // a real change, as a marker
            eventually("the marker's event", () -> seen.size() >= 3);
            assertThat(seen).as("armed, the first (new) state, the marker; not the two repeats").hasSize(3);
        } finally {
            watch.dispose();
            svc.close();
        }
    }

    @Test
    void aLostBusFailsTheWatchAndARetryReconnects() throws Exception {
        fake.unit("dummy.service");
        SvcResource svc = dummy().running().meta(Meta.builder().retry(-1).delay(Duration.ofMillis(50)).build()).build();
        try (Engine e = engine()) {
            e.start(Graph.builder().add(svc).build());
            e.awaitConverged(HANG).orThrow();

            fake.close(); // the bus goes away
            eventually("the watch failed", () -> !failures(svc.id()).isEmpty());
            assertThat(failures(svc.id()).get(0)).satisfies(f -> {
                assertThat(f.phase()).isEqualTo(Phase.WATCH);
                assertThat(f.willRetry()).isTrue();
                assertThat(f.message()).startsWith("svc[dummy]: lost the D-Bus connection to " + fake.address());
            });

            fake = FakeSystemd.start(dir); // a new bus and systemd, where the unit is stopped
            FakeSystemd.Unit unit = fake.unit("dummy.service");
            eventually("reconnected and started", () -> unit.activeState().equals("active"));
            e.awaitConverged(HANG).orThrow();
            assertThat(fake.calls("Subscribe")).isEqualTo(1);
        }
    }

    @Test
    void aClosedResourceCanRunAgain() {
        FakeSystemd.Unit unit = fake.unit("dummy.service");
        SvcResource svc = dummy().running().build();
        for (int i = 0; i < 2; i++) {
            try (Engine e = engine()) {
                e.start(Graph.builder().add(svc).build());
                e.awaitConverged(HANG).orThrow();
            }
            eventually("closed", () -> SystemdBus.openConnections() == 0);
            fake.stopFromOutside("dummy.service");
        }
        assertThat(unit.starts()).isEqualTo(2);
    }

    @Test
    void unreachableBusFailsCleanlyNamingTheResourceAndTheAddress() {
        String nowhere = "unix:path=" + dir.resolve("no-such-bus");
        SvcResource svc = SvcResource.builder("dummy").running().bus(nowhere).build();
        Convergence c;
        try (Engine e = engine()) {
            e.start(Graph.builder().add(svc).build());
            c = e.awaitConverged(HANG);
        }
        assertThat(c.failed()).containsExactly(svc.id());
        assertThat(failures(svc.id())).singleElement().satisfies(f -> {
            assertThat(f.phase()).isEqualTo(Phase.WATCH);
            assertThat(f.willRetry()).isFalse();
            assertThat(f.message()).startsWith("svc[dummy]: cannot connect to D-Bus at " + nowhere + ": ");
        });
    }

    @Test
    void busWithoutSystemdIsNamed() {
        Path socket = dir.resolve("empty-bus");
        EmbeddedDBusDaemon empty = FakeSystemd.emptyBus(socket);
        try {
            SvcResource svc = SvcResource.builder("dummy").running().bus("unix:path=" + socket).build();
            Convergence c;
            try (Engine e = engine()) {
                e.start(Graph.builder().add(svc).build());
                c = e.awaitConverged(HANG);
            }
            assertThat(c.failed()).containsExactly(svc.id());
            assertThat(failures(svc.id())).singleElement().satisfies(f -> assertThat(f.message())
                    .startsWith("svc[dummy]: systemd is not reachable on D-Bus at unix:path=" + socket
                            + ": Subscribe failed: "));
        } finally {
            try {
                empty.close();
            } catch (java.io.IOException ex) {
                throw new AssertionError(ex);
            }
        }
    }
}
