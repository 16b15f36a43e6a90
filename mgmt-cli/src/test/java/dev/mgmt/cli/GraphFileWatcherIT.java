package dev.mgmt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class GraphFileWatcherIT {

    @TempDir
    Path dir;

    /** A log written next to the graph file every few milliseconds never ends the debounce. */
    @Test
    void anEditIsSeenWhileAnotherFileInTheDirectoryChangesAllTheTime() throws Exception {
        Path graph = Files.writeString(dir.resolve("graph.yaml"), "graph: a\n");
        Path log = dir.resolve("mgmt.log");
        CountDownLatch changed = new CountDownLatch(1);
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread writer = new Thread(() -> {
            try {
                for (int i = 0; writing.get(); i++) {
                    Files.writeString(log, "line " + i + "\n");
                    Thread.sleep(10);
                }
            } catch (Exception e) {
                // the directory went away with the test
            }
        });
        try (GraphFileWatcher watcher = new GraphFileWatcher(graph, changed::countDown)) {
            writer.start();
            Files.writeString(graph, "graph: b\n");
            assertThat(changed.await(30, TimeUnit.SECONDS)).as("the graph file's edit was reported").isTrue();
        } finally {
            writing.set(false);
            writer.join();
        }
    }
}
