package dev.mgmt.resources.linux.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Directory fsyncs shared by concurrent writers, on a real directory. */
@Timeout(60)
class DirectorySyncTest {

    @TempDir
    Path tmp;

    @Test
    void everyConcurrentCallerReturnsOnceSynced() throws Exception {
        int writers = 32;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                Path f = tmp.resolve("f" + i);
                done.add(pool.submit(() -> {
                    start.await();
                    for (int round = 0; round < 20; round++) {
                        Files.writeString(f, "round " + round);
                        DirectorySync.fsync(tmp);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> d : done) {
                d.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        for (int i = 0; i < writers; i++) {
            assertThat(Files.readString(tmp.resolve("f" + i))).isEqualTo("round 19");
        }
    }

    @Test
    void aFailedSyncIsReportedToItsCallerAndTheNextOneRunsAgain() throws Exception {
        Path gone = tmp.resolve("gone");
        Files.createDirectory(gone);
        DirectorySync.fsync(gone);
        Files.delete(gone);
        assertThatThrownBy(() -> DirectorySync.fsync(gone)).isInstanceOf(NoSuchFileException.class);
        Files.createDirectory(gone);
        DirectorySync.fsync(gone);
    }
}
