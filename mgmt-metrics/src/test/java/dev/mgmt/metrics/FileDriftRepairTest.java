package dev.mgmt.metrics;

import static dev.mgmt.metrics.Poll.HANG;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.api.Graph;
import dev.mgmt.engine.Engine;
import dev.mgmt.resources.linux.FileResource;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A real file, drifted from outside: one drift-repair sample, not one per inotify event. */
@Timeout(120)
class FileDriftRepairTest {

    @TempDir
    Path tmp;

    @Test
    void aChmodFromOutsideRecordsOneRepair() throws Exception {
        Path f = tmp.resolve("managed");
        FileResource file = FileResource.builder("m").path(f.toString()).content("desired\n").mode("0644").build();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Engine engine = Engine.builder().build(); MetricsBinding b = EngineMetrics.bind(engine, registry)) {
            engine.start(Graph.builder().add(file).build());
            engine.awaitConverged(HANG).orThrow();
            Timer repair = registry.find("mgmt.drift.repair").tag("kind", "file").timer();
            assertThat(repair).isNotNull();
            assertThat(repair.count()).isZero();

            // One syscall, one inotify event; the engine's own chmod back is an echo, not a drift.
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxrwxrwx"));
            Poll.until("mode restored", () -> {
                try {
                    return PosixFilePermissions.toString(Files.getPosixFilePermissions(f)).equals("rw-r--r--");
                } catch (java.io.IOException e) {
                    return false;
                }
            });
            Poll.until("the repair recorded", () -> repair.count() == 1);
            engine.awaitConverged(HANG).orThrow();
            assertThat(repair.count()).isEqualTo(1);
            assertThat(repair.max(TimeUnit.NANOSECONDS)).isPositive().isLessThan(TimeUnit.SECONDS.toNanos(10));
            assertThat(registry.find("mgmt.applies").tag("kind", "file").counter().count()).isEqualTo(2);
        }
    }
}
