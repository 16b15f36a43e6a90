package dev.mgmt.resources.linux;

import static dev.mgmt.resources.linux.Probe.HANG;
import static dev.mgmt.resources.linux.Probe.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.api.EngineEvent;
import dev.mgmt.api.Graph;
import dev.mgmt.api.ResourceId;
import dev.mgmt.api.Uid;
import dev.mgmt.api.codec.ResourceCodec;
import dev.mgmt.api.yaml.YamlGraph;
import dev.mgmt.engine.Convergence;
import dev.mgmt.engine.Engine;
import dev.mgmt.resources.linux.internal.systemd.SystemdBus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bundled {@code mgmt-examples/yaml/svc.yaml}, with its /etc paths moved into a temp directory. */
class SvcExampleTest {

    private static final ResourceId SVC = new ResourceId("svc", "mgmt-demo");

    @TempDir
    Path dir;

    private final List<EngineEvent> events = new CopyOnWriteArrayList<>();

    @AfterEach
    void connectionsClosed() {
        eventually("every shared D-Bus connection closed", () -> SystemdBus.openConnections() == 0);
    }

    private static String example() throws IOException {
        Path repo = Path.of(System.getProperty("mgmt.repo", ".."));
        return Files.readString(repo.resolve("mgmt-examples/yaml/svc.yaml"));
    }

    /** The example with its files under {@code dir} and the svc on {@code bus}. */
    private Graph moved(String bus) throws IOException {
        String text = example().replace("/etc/systemd/system/", dir + "/").replace("/etc/default/", dir + "/")
                .replace("  - name: mgmt-demo\n", "  - name: mgmt-demo\n    bus: " + bus + "\n");
        return YamlGraph.parse(text, "svc.yaml", ResourceCodec.standard()).graph();
    }

    @Test
    void loadsAsMgmtYaml() throws IOException {
        Graph g = YamlGraph.parse(example(), "svc.yaml", ResourceCodec.standard()).graph();
        assertThat(g.resources()).extracting(r -> r.id().toString())
                .containsExactlyInAnyOrder("file[unit]", "file[environment]", "svc[mgmt-demo]");
        SvcResource svc = (SvcResource) g.resources().stream().filter(r -> r.id().equals(SVC)).findFirst().orElseThrow();
        assertThat(svc).isEqualTo(SvcResource.builder("mgmt-demo").running().enabled().build());
        assertThat(svc.seeks().get(0)).as("the unit file's autoedge")
                .startsWith(Uid.of("file", "/etc/systemd/system/mgmt-demo.service"));
        assertThat(g.edges()).allSatisfy(e -> {
            assertThat(e.to()).isEqualTo(SVC);
            assertThat(e.notifies()).isTrue();
        });
    }

    @Test
    void runsAgainstAFakeSystemd() throws Exception {
        try (FakeSystemd fake = FakeSystemd.start(dir)) {
            FakeSystemd.Unit unit = fake.unit("mgmt-demo.service");
            try (Engine e = Engine.builder().build()) {
                e.events().subscribe(events::add);
                e.start(moved(fake.address()));
                e.awaitConverged(HANG).orThrow();
                assertThat(unit.activeState()).isEqualTo("active");
                assertThat(unit.unitFileState()).isEqualTo("enabled");
                assertThat(Files.readString(dir.resolve("mgmt-demo"))).isEqualTo("GREETING=hello from mgmt\n");

                Files.writeString(dir.resolve("mgmt-demo"), "GREETING=bye\n");
                eventually("restarted after the environment file changed", () -> unit.restarts() == 1);
                e.awaitConverged(HANG).orThrow();
            }
            connectionsClosed(); // before the bus goes away
        }
    }

    @Test
    void withoutABusItFailsCleanlyNamingTheResourceAndTheBus() throws IOException {
        String nowhere = "unix:path=" + dir.resolve("no-system-bus");
        Convergence c;
        try (Engine e = Engine.builder().build()) {
            e.events().subscribe(events::add);
            e.start(moved(nowhere));
            c = e.awaitConverged(HANG);
        }
        assertThat(c.failed()).containsExactly(SVC);
        assertThat(c.blocked()).isEmpty();
        assertThat(c.describe()).isEqualTo("converged with failures: failed svc[mgmt-demo]");
        assertThat(dir.resolve("mgmt-demo.service")).exists();
        assertThat(events.stream().filter(EngineEvent.Failed.class::isInstance).map(EngineEvent.Failed.class::cast))
                .singleElement().satisfies(f -> assertThat(f.message())
                        .startsWith("svc[mgmt-demo]: cannot connect to D-Bus at " + nowhere + ": "));
    }
}
