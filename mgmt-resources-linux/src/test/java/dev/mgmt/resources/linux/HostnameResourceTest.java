package dev.mgmt.resources.linux;

import static dev.mgmt.resources.linux.Probe.HANG;
import static dev.mgmt.resources.linux.Probe.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.api.EngineEvent;
import dev.mgmt.api.Graph;
import dev.mgmt.engine.Engine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import dev.mgmt.resources.linux.internal.systemd.Hostname1;

/**
 * hostname against a real systemd-hostnamed in a private UTS and mount namespace (see
 * {@link PrivateHostnamed}); skipped, with the reason, where that cannot run. Every test also
 * checks that this machine's own name and files did not change.
 */
class HostnameResourceTest {

    private static PrivateHostnamed hostnamed;

    private final List<EngineEvent> events = new CopyOnWriteArrayList<>();
    private String machineName;
    private String machineEtcHostname;
    private boolean machineInfo;

    @BeforeAll
    static void startHostnamed() {
        String why = PrivateHostnamed.unavailable();
        Assumptions.assumeTrue(why == null, () -> "skipped: cannot run a private systemd-hostnamed here: " + why);
        try {
            hostnamed = PrivateHostnamed.start("mgmt-private-start");
        } catch (IOException e) {
            Assumptions.abort("skipped: the private systemd-hostnamed did not start: " + e.getMessage());
        }
    }

    @AfterAll
    static void stopHostnamed() {
        if (hostnamed != null) {
            hostnamed.close();
        }
    }

    @BeforeEach
    void rememberTheMachine() throws IOException {
        machineName = Files.readString(Path.of("/proc/sys/kernel/hostname"));
        machineEtcHostname = Files.exists(Path.of("/etc/hostname")) ? Files.readString(Path.of("/etc/hostname")) : null;
        machineInfo = Files.exists(Path.of("/etc/machine-info"));
    }

    @AfterEach
    void theMachineIsUntouched() throws IOException {
        assertThat(Files.readString(Path.of("/proc/sys/kernel/hostname"))).as("this machine's kernel name")
                .isEqualTo(machineName);
        assertThat(Files.exists(Path.of("/etc/hostname")) ? Files.readString(Path.of("/etc/hostname")) : null)
                .as("this machine's /etc/hostname").isEqualTo(machineEtcHostname);
        assertThat(Files.exists(Path.of("/etc/machine-info"))).as("this machine's /etc/machine-info exists")
                .isEqualTo(machineInfo);
    }

    private HostnameResource.Builder hostname(String name) {
        return HostnameResource.builder(name).bus(hostnamed.address());
    }

    private Engine engine() {
        Engine e = Engine.builder().build();
        e.events().subscribe(events::add);
        return e;
    }

    private List<String> outputs(HostnameResource r) {
        return events.stream().filter(EngineEvent.Output.class::isInstance).map(EngineEvent.Output.class::cast)
                .filter(o -> o.id().equals(r.id())).map(EngineEvent.Output::text).toList();
    }

    @Test
    void hostnameSetsAllThreeAndAnOutsideChangeIsPutBack() throws Exception {
        HostnameResource h = hostname("Hostname Watcher @ TestHost").hostname("test.hostname.example.com").build();
        try (Engine e = engine()) {
            e.start(Graph.builder().add(h).build());
            e.awaitConverged(HANG).orThrow();
            assertThat(hostnamed.kernelName()).isEqualTo("test.hostname.example.com");
            assertThat(hostnamed.property("StaticHostname")).isEqualTo("test.hostname.example.com");
            assertThat(hostnamed.property("PrettyHostname")).isEqualTo("test.hostname.example.com");
            assertThat(hostnamed.etc("hostname")).isEqualTo("test.hostname.example.com\n");
            assertThat(hostnamed.etc("machine-info")).contains("PRETTY_HOSTNAME=test.hostname.example.com");
            assertThat(outputs(h)).anySatisfy(o -> assertThat(o).contains("static_hostname is ")
                    .contains("want 'test.hostname.example.com'"));

            // from outside, through hostnamed (as hostnamectl does): its signal brings it back
            try (DBusConnection c = DBusConnectionBuilder.forAddress(hostnamed.address()).withShared(false).build()) {
                c.getRemoteObject(Hostname1.INTERFACE, Hostname1.PATH, Hostname1.class)
                        .SetPrettyHostname("Changed From Outside", false);
            }
            eventually("the pretty hostname put back", () -> {
                try {
                    return hostnamed.property("PrettyHostname").equals("test.hostname.example.com")
                            && outputs(h).stream().anyMatch(o -> o.contains("'Changed From Outside'"));
                } catch (Exception ex) {
                    return false;
                }
            });
            e.awaitConverged(HANG).orThrow();
        }
    }

    @Test
    void separateNamesAndAnUnmanagedOne() throws Exception {
        HostnameResource h = hostname("names").staticHostname("static.example.com")
                .transientHostname("static.example.com").prettyHostname("Mgmt's Test Box").build();
        try (Engine e = engine()) {
            e.start(Graph.builder().add(h).build());
            e.awaitConverged(HANG).orThrow();
        }
        assertThat(hostnamed.kernelName()).isEqualTo("static.example.com");
        assertThat(hostnamed.property("PrettyHostname")).isEqualTo("Mgmt's Test Box");
        try (HostnameResource pretty = hostname("pretty only").prettyHostname("Only Pretty").build()) {
            assertThat(pretty.check().block(HANG)).isFalse();
            pretty.apply().block(HANG);
            assertThat(pretty.check().block(HANG)).isTrue();
        }
        assertThat(hostnamed.property("StaticHostname")).as("not managed, left alone").isEqualTo("static.example.com");
    }

    @Test
    void aTransientNameUnlikeTheStaticOneFailsAndSaysWhy() {
        try (HostnameResource h = hostname("split").staticHostname("one.example.com")
                .transientHostname("two.example.com").build()) {
            Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> h.apply().block(HANG));
            assertThat(t).hasMessageContaining("hostname[split]: transient_hostname: hostnamed keeps the kernel's name"
                    + " equal to the static hostname 'one.example.com'");
        }
    }
}
