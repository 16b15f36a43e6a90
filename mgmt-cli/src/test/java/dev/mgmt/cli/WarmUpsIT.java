package dev.mgmt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.api.Graph;
import dev.mgmt.api.Resource;
import dev.mgmt.api.ResourceKind;
import dev.mgmt.api.WarmUp;
import dev.mgmt.api.codec.ResourceRegistry;
import dev.mgmt.engine.resources.NoopResource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link WarmUps}: the warm-ups of the kinds a graph declares, each once, off the caller's
 * thread, a failing one not stopping the rest; none for a kind the graph does not declare.
 */
class WarmUpsIT {

    private static final List<String> CALLS = new CopyOnWriteArrayList<>();

    @Test
    void theKindsGivenWarmUpOnceEachOnADaemonThreadAndAFailureStopsNothing() throws InterruptedException {
        CALLS.clear();
        WarmUps warmUps = new WarmUps(ResourceRegistry.of(new Warm("a"), new Failing("b"), new Cold("c"),
                new Warm("d"), new Warm("e")));
        Thread t = warmUps.start(List.of("a", "b", "c", "a", "d"));
        assertThat(t).isNotNull();
        assertThat(t.isDaemon()).isTrue();
        t.join(60_000);
        assertThat(t.isAlive()).isFalse();
        assertThat(CALLS).containsExactly("a on " + WarmUps.THREAD, "b on " + WarmUps.THREAD, "d on " + WarmUps.THREAD);

        // A later graph (a reload) warms up only the kinds not warmed up before.
        assertThat(warmUps.start(List.of("a", "d"))).as("nothing new").isNull();
        Thread later = warmUps.start(List.of("d", "e"));
        later.join(60_000);
        assertThat(CALLS).containsExactly("a on " + WarmUps.THREAD, "b on " + WarmUps.THREAD, "d on " + WarmUps.THREAD,
                "e on " + WarmUps.THREAD);
    }

    @Test
    void aGraphWarmsUpTheKindsItDeclaresAndThoseItCollects() throws InterruptedException {
        CALLS.clear();
        WarmUps warmUps = new WarmUps(ResourceRegistry.of(new Warm("noop"), new Warm("b"), new Warm("c")));
        Graph graph = Graph.builder().add(NoopResource.of("one")).collect("b", "*").build();
        warmUps.start(graph).join(60_000);
        assertThat(CALLS).containsExactly("noop on " + WarmUps.THREAD, "b on " + WarmUps.THREAD);
    }

    @Test
    void noThreadWithoutAWarmUp() {
        assertThat(new WarmUps(ResourceRegistry.of(new Cold("c"), new Warm("w"))).start(List.of("c"))).isNull();
    }

    @Test
    void theFileKindHasAWarmUpThatEndsAndCanRunAgain() throws InterruptedException {
        Thread t = new WarmUps(ResourceRegistry.load()).start(List.of("noop", "file"));
        assertThat(t).as("the file kind has a warm-up").isNotNull();
        t.join(60_000);
        assertThat(t.isAlive()).isFalse();
        // Again, as a second run in one JVM would: a no-op.
        Thread again = new WarmUps(ResourceRegistry.load()).start(List.of("file"));
        again.join(60_000);
        assertThat(again.isAlive()).isFalse();
    }

    @Test
    void whenJnaCannotStartAFileGraphSaysWhyOnceAndAGraphWithoutFilesNeverTriesIt(@TempDir Path dir) throws Exception {
        // No native half anywhere JNA may look: its start fails as on a machine it does not support.
        List<String> noJna = List.of("-Djna.nounpack=true", "-Djna.nosys=true",
                "-Djna.boot.library.path=" + dir.resolve("none"));
        Path files = Files.writeString(dir.resolve("files.yaml"), """
                graph: files
                resources:
                  file:
                  - name: one
                    path: %s
                    content: "one\\n"
                """.formatted(dir.resolve("one.txt")));
        try (MgmtProcess mgmt = MgmtProcess.start(List.of(), noJna, List.of("run", "--yaml", files.toString(),
                "--converged-timeout", "0", "--state-dir", dir.resolve("state").toString()))) {
            assertThat(mgmt.waitFor()).as(mgmt.stderr()).isEqualTo(Mgmt.EXIT_FAILED);
            assertThat(mgmt.stderr()).containsOnlyOnce("file resources cannot use the C library here");
        }
        assertThat(dir.resolve("one.txt")).doesNotExist();

        Path noFiles = Files.writeString(dir.resolve("no-files.yaml"), """
                graph: no-files
                resources:
                  noop:
                  - name: one
                """);
        try (MgmtProcess mgmt = MgmtProcess.start(List.of(), noJna, List.of("run", "--yaml", noFiles.toString(),
                "--converged-timeout", "0", "--state-dir", dir.resolve("state").toString()))) {
            assertThat(mgmt.waitFor()).as(mgmt.stderr()).isZero();
            assertThat(mgmt.stderr()).as("JNA is not started for a graph without files").isEmpty();
        }
    }

    private interface Nothing extends Resource {
    }

    private static class Cold implements ResourceKind<Nothing> {
        private final String kind;

        Cold(String kind) {
            this.kind = kind;
        }

        @Override
        public String kind() {
            return kind;
        }

        @Override
        public Class<Nothing> type() {
            return Nothing.class;
        }
    }

    private static class Warm extends Cold implements WarmUp {
        Warm(String kind) {
            super(kind);
        }

        @Override
        public void warmUp() {
            CALLS.add(kind() + " on " + Thread.currentThread().getName());
        }
    }

    private static final class Failing extends Warm {
        Failing(String kind) {
            super(kind);
        }

        @Override
        public void warmUp() {
            super.warmUp();
            throw new IllegalStateException("no native code here");
        }
    }
}
