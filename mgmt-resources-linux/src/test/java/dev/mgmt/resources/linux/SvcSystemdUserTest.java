package dev.mgmt.resources.linux;

import static dev.mgmt.resources.linux.Probe.HANG;
import static dev.mgmt.resources.linux.Probe.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.api.EngineEvent;
import dev.mgmt.api.Graph;
import dev.mgmt.api.Meta;
import dev.mgmt.api.codec.ResourceCodec;
import dev.mgmt.engine.Engine;
import dev.mgmt.resources.linux.internal.systemd.SystemdBus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * svc against a real {@code systemd --user} in a private mount namespace (see
 * {@link SystemdUserManager}); skipped, with the reason, where that cannot run (not root, no
 * systemd). Prints the time from an outside stop until the service is active again.
 */
class SvcSystemdUserTest {

    private static final String SLEEP = """
            [Unit]
            Description=mgmt test: sleeps
            [Service]
            ExecStart=/bin/sleep infinity
            [Install]
            WantedBy=default.target
            """;

    private static Path root;
    private static SystemdUserManager systemd;

    private final List<EngineEvent> events = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startSystemd() throws IOException {
        String why = SystemdUserManager.unavailable();
        Assumptions.assumeTrue(why == null, () -> "skipped: cannot run systemd --user here: " + why);
        root = Files.createTempDirectory("mgmt-svc-user-");
        try {
            systemd = SystemdUserManager.start(root, Map.of(
                    "mgmt-sleep.service", SLEEP,
                    "mgmt-enable.service", SLEEP,
                    "mgmt-reverse.service", SLEEP,
                    "mgmt-env.service", SLEEP.replace("[Service]\n", "[Service]\nEnvironmentFile=" + root.resolve("env")
                            + "\n")));
        } catch (IOException e) {
            Assumptions.abort("skipped: systemd --user did not start: " + e.getMessage());
        }
    }

    @AfterAll
    static void stopSystemd() {
        if (systemd != null) {
            systemd.close(); // also removes root
        }
    }

    @AfterEach
    void connectionsClosed() {
        eventually("every shared D-Bus connection closed", () -> SystemdBus.openConnections() == 0);
    }

    private Engine engine() {
        Engine e = Engine.builder().build();
        e.events().subscribe(events::add);
        return e;
    }

    private SvcResource.Builder svc(String name) {
        return SvcResource.builder(name).session(true).bus(systemd.busAddress());
    }

    private List<String> outputs(SvcResource r) {
        return events.stream().filter(EngineEvent.Output.class::isInstance).map(EngineEvent.Output.class::cast)
                .filter(o -> o.id().equals(r.id())).map(EngineEvent.Output::text).toList();
    }

    private String systemctl(String... args) {
        try {
            return systemd.systemctl(args);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void startsAndIsStartedAgainAfterAnOutsideStop() throws Exception {
        SvcResource sleep = svc("mgmt-sleep").running().build();
        BlockingQueue<Long> applied = new LinkedBlockingQueue<>();
        List<Double> afterStop = new ArrayList<>();
        List<Double> fromStop = new ArrayList<>();
        try (Engine e = engine()) {
            e.events().ofType(EngineEvent.Applied.class).filter(a -> a.id().equals(sleep.id()))
                    .subscribe(a -> applied.add(System.nanoTime()));
            e.start(Graph.builder().add(sleep).build());
            e.awaitConverged(HANG).orThrow();
            assertThat(systemctl("is-active", "mgmt-sleep")).isEqualTo("active");
            applied.clear();

            for (int round = 0; round < 5; round++) {
                long t0 = System.nanoTime();
                systemctl("stop", "mgmt-sleep"); // returns once the stop job is done
                long t1 = System.nanoTime();
                Long t2 = applied.poll(HANG.toSeconds(), TimeUnit.SECONDS);
                assertThat(t2).as("started again after outside stop #" + (round + 1)).isNotNull();
                assertThat(systemctl("is-active", "mgmt-sleep")).isEqualTo("active");
                afterStop.add((t2 - t1) / 1e6);
                fromStop.add((t2 - t0) / 1e6);
            }
            e.awaitConverged(HANG).orThrow();
        }
        assertThat(outputs(sleep)).contains("started");
        System.out.printf("svc restart latency (systemd --user, outside 'systemctl --user stop' -> svc active again),"
                + " %d rounds: after the stop returned %s ms (median %.1f); from issuing the stop %s ms (median %.1f)%n",
                afterStop.size(), fmt(afterStop), median(afterStop), fmt(fromStop), median(fromStop));
    }

    @Test
    void enablesWithTheWantsSymlinkAndDisables() {
        Path wants = systemd.unitDir().resolve("default.target.wants/mgmt-enable.service");
        SvcResource enable = svc("mgmt-enable.service").enabled().build();
        try (Engine e = engine()) {
            e.start(Graph.builder().add(enable).build());
            e.awaitConverged(HANG).orThrow();
            assertThat(Files.isSymbolicLink(wants)).as(wants + " is a symlink").isTrue();
            assertThat(systemctl("is-enabled", "mgmt-enable")).isEqualTo("enabled");
            assertThat(systemctl("is-active", "mgmt-enable")).as("startup alone does not start it")
                    .isEqualTo("inactive");

            e.swap(Graph.builder().add(svc("mgmt-enable.service").disabled().build()).build());
            e.awaitConverged(HANG).orThrow();
            assertThat(wants).doesNotExist();
            assertThat(systemctl("is-enabled", "mgmt-enable")).isEqualTo("disabled");

            systemctl("enable", "mgmt-enable"); // from outside: repaired
            eventually("disabled again after an outside enable", () -> !Files.exists(wants));
        }
        assertThat(outputs(enable)).containsSubsequence("enabled");
    }

    @Test
    void itsReversalStopsAndDisablesWhatItStartedAndEnabled() {
        Path wants = systemd.unitDir().resolve("default.target.wants/mgmt-reverse.service");
        SvcResource up = svc("mgmt-reverse").running().enabled().meta(Meta.builder().reverse(true).build()).build();
        assertThat(up.validate()).isEmpty();
        try (Engine e = engine()) {
            e.start(Graph.builder().add(up).build());
            e.awaitConverged(HANG).orThrow();
        }
        assertThat(systemctl("is-active", "mgmt-reverse")).isEqualTo("active");
        assertThat(systemctl("is-enabled", "mgmt-reverse")).isEqualTo("enabled");

        // as the engine gets a pending reversal back from disk
        ResourceCodec codec = ResourceCodec.standard();
        SvcResource undo = (SvcResource) codec.fromJson("svc", codec.toJson(up.reversed()));
        assertThat(undo).isEqualTo(svc("mgmt-reverse").stopped().disabled().build());
        try (undo) {
            assertThat(undo.check().block()).isFalse();
            undo.apply().block(HANG);
            assertThat(undo.check().block()).isTrue();
        }
        assertThat(systemctl("is-active", "mgmt-reverse")).isEqualTo("inactive");
        assertThat(systemctl("is-enabled", "mgmt-reverse")).isEqualTo("disabled");
        assertThat(wants).doesNotExist();
    }

    @Test
    void aNotifyEdgeFromItsEnvironmentFileRestartsIt() throws Exception {
        Path env = root.resolve("env");
        FileResource file = FileResource.file(env.toString(), "GREETING=hello\n");
        SvcResource svc = svc("mgmt-env").running().build();
        try (Engine e = engine()) {
            e.start(Graph.builder().add(file, svc).edge(file, svc).notifying().build());
            e.awaitConverged(HANG).orThrow();
            String pid = systemctl("show", "-p", "MainPID", "--value", "mgmt-env");
            assertThat(pid).isNotEqualTo("0");

            Files.writeString(env, "GREETING=changed from outside\n");
            eventually("restarted with a new main pid", () -> {
                String now = systemctl("show", "-p", "MainPID", "--value", "mgmt-env");
                return !now.equals(pid) && !now.equals("0");
            });
            e.awaitConverged(HANG).orThrow();
            assertThat(Files.readString(env)).isEqualTo("GREETING=hello\n");
            assertThat(systemctl("is-active", "mgmt-env")).isEqualTo("active");
        }
        assertThat(outputs(svc)).endsWith("restarted");
    }

    private static String fmt(List<Double> ms) {
        StringBuilder sb = new StringBuilder("[");
        for (Double d : ms) {
            sb.append(sb.length() > 1 ? ", " : "").append(String.format("%.1f", d));
        }
        return sb.append(']').toString();
    }

    private static double median(List<Double> ms) {
        List<Double> s = new ArrayList<>(ms);
        Collections.sort(s);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }
}
