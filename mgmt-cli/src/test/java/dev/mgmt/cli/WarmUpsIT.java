package dev.mgmt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.api.Resource;
import dev.mgmt.api.ResourceKind;
import dev.mgmt.api.WarmUp;
import dev.mgmt.api.codec.ResourceRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link WarmUps}: each kind's warm-up once, off the caller's thread, a failing one not stopping the rest. */
class WarmUpsIT {

    private static final List<String> CALLS = new CopyOnWriteArrayList<>();

    @Test
    void everyWarmUpRunsOnceOnADaemonThreadAndAFailureStopsNothing() throws InterruptedException {
        CALLS.clear();
        Thread t = WarmUps.start(ResourceRegistry.of(new Warm("a"), new Failing("b"), new Cold("c"), new Warm("d")));
        assertThat(t).isNotNull();
        assertThat(t.isDaemon()).isTrue();
        t.join(60_000);
        assertThat(t.isAlive()).isFalse();
        assertThat(CALLS).containsExactly("a on " + WarmUps.THREAD, "b on " + WarmUps.THREAD, "d on " + WarmUps.THREAD);
    }

    @Test
    void noThreadWithoutAWarmUp() {
        assertThat(WarmUps.start(ResourceRegistry.of(new Cold("c")))).isNull();
    }

    @Test
    void theFileKindHasAWarmUpThatEndsAndCanRunAgain() throws InterruptedException {
        Thread t = WarmUps.start(ResourceRegistry.load());
        assertThat(t).as("the file kind has a warm-up").isNotNull();
        t.join(60_000);
        assertThat(t.isAlive()).isFalse();
        // Again, as a second run in one JVM would: a no-op.
        Thread again = WarmUps.start(ResourceRegistry.load());
        again.join(60_000);
        assertThat(again.isAlive()).isFalse();
    }

    @Test
    void whenJnaCannotStartTheWarmUpSaysWhyOnceAndAGraphWithoutFilesStillRuns(@TempDir Path dir) throws Exception {
        Path graph = Files.writeString(dir.resolve("g.yaml"), """
                graph: no-files
                resources:
                  noop:
                  - name: one
                """);
        // No native half anywhere JNA may look: its start fails as on a machine it does not support.
        List<String> noJna = List.of("-Djna.nounpack=true", "-Djna.nosys=true",
                "-Djna.boot.library.path=" + dir.resolve("none"));
        try (MgmtProcess mgmt = MgmtProcess.start(List.of(), noJna, List.of("run", "--yaml", graph.toString(),
                "--converged-timeout", "0", "--state-dir", dir.resolve("state").toString()))) {
            assertThat(mgmt.waitFor()).as(mgmt.stderr()).isZero();
            assertThat(mgmt.stderr()).containsOnlyOnce("file resources cannot use the C library here")
                    .contains("UnsatisfiedLinkError");
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
