package dev.mgmt.resources.linux;

import static dev.mgmt.resources.linux.Probe.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.mgmt.resources.linux.internal.FileWatcher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;

class FileWatchTest {

    @TempDir
    Path tmp;

    private final List<Disposable> subs = new ArrayList<>();

    @AfterEach
    void cancelAll() {
        subs.forEach(Disposable::dispose);
        eventually("inotify reader stopped", () -> FileWatcher.readerThreads() == 0);
        eventually("inotify fds closed", () -> Probe.inotifyFds() == 0);
    }

    /** Subscribes and waits for "armed"; later elements land in the returned queue. */
    private BlockingQueue<Object> watch(Path target, boolean dir, List<Path> inputs) throws InterruptedException {
        BlockingQueue<Object> q = new LinkedBlockingQueue<>();
        subs.add(FileWatcher.watch(target, dir, inputs).subscribe(q::add, q::add));
        assertThat(q.poll(30, TimeUnit.SECONDS)).isEqualTo(FileWatcher.ARMED);
        return q;
    }

    private static void expectEvent(BlockingQueue<Object> q, String what) throws InterruptedException {
        Object e = q.poll(30, TimeUnit.SECONDS);
        assertThat(e).as(what).isEqualTo(FileWatcher.CHANGED);
        q.clear();
    }

    @Test
    void armedFirstThenWritesRenamesDeletesAndModes() throws Exception {
        Path f = tmp.resolve("f");
        BlockingQueue<Object> q = watch(f, false, List.of());
        Files.writeString(f, "x");
        expectEvent(q, "create + close_write");
        Files.setAttribute(f, "unix:mode", 0600);
        expectEvent(q, "attrib");
        Path other = tmp.resolve("other");
        Files.writeString(other, "y");
        Files.move(other, f, StandardCopyOption.ATOMIC_MOVE);
        expectEvent(q, "moved_to");
        Files.move(f, tmp.resolve("gone"));
        expectEvent(q, "moved_from");
        Files.writeString(f, "z");
        q.poll(30, TimeUnit.SECONDS);
        q.clear();
        Files.delete(f);
        expectEvent(q, "delete");
    }

    @Test
    void otherNamesInTheDirectoryAreFilteredOut() throws Exception {
        BlockingQueue<Object> q = watch(tmp.resolve("f"), false, List.of());
        for (int i = 0; i < 50; i++) {
            Files.writeString(tmp.resolve("noise" + i), "n");
        }
        Files.writeString(tmp.resolve("f"), "x");
        expectEvent(q, "the managed name");
        while (q.poll(200, TimeUnit.MILLISECONDS) != null) {
            // CREATE and CLOSE_WRITE may come in two reads
        }
        Files.writeString(tmp.resolve("noise-after"), "n");
        assertThat(q.poll(300, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void missingParentsAreWaitedForFromTheNearestAncestor() throws Exception {
        Path f = tmp.resolve("a/b/c/f");
        BlockingQueue<Object> q = watch(f, false, List.of());
        Files.createDirectories(tmp.resolve("a/b"));
        Files.createDirectory(tmp.resolve("a/b/c"));
        // Drain the re-arm events, then a write in the final parent must be seen.
        eventually("watch moved down", () -> {
            q.clear();
            try {
                Files.writeString(f, "x" + System.nanoTime());
                return q.poll(100, TimeUnit.MILLISECONDS) != null;
            } catch (Exception e) {
                return false;
            }
        });
    }

    @Test
    void rearmsAfterTheParentIsDeletedAndRecreated() throws Exception {
        Path d = tmp.resolve("d");
        Files.createDirectory(d);
        Path f = d.resolve("f");
        BlockingQueue<Object> q = watch(f, false, List.of());
        Files.writeString(f, "x");
        expectEvent(q, "first write");
        Files.delete(f);
        Files.delete(d);
        expectEvent(q, "parent deleted");
        Files.createDirectory(d);
        q.poll(30, TimeUnit.SECONDS); // the parent appearing moves the watch back down
        eventually("watch re-armed on the new parent", () -> {
            q.clear();
            try {
                Files.writeString(f, "y" + System.nanoTime());
                return q.poll(100, TimeUnit.MILLISECONDS) != null;
            } catch (Exception e) {
                return false;
            }
        });
    }

    @Test
    void aDirectoryIsWatchedItselfToo() throws Exception {
        Path d = tmp.resolve("dir");
        Files.createDirectory(d);
        BlockingQueue<Object> q = watch(d, true, List.of());
        Files.setAttribute(d, "unix:mode", 0700);
        expectEvent(q, "chmod of the directory");
        Files.delete(d);
        expectEvent(q, "directory removed");
    }

    @Test
    void inputsAreWatchedToo() throws Exception {
        Path src = tmp.resolve("src");
        BlockingQueue<Object> q = watch(tmp.resolve("f"), false, List.of(src));
        Files.writeString(src, "s");
        expectEvent(q, "source written");
    }

    @Test
    void aQueueOverflowFiresEveryWatch() throws Exception {
        long max = Long.parseLong(Files.readAllLines(Path.of("/proc/sys/fs/inotify/max_queued_events")).get(0).trim());
        assumeThat(max).as("fs.inotify.max_queued_events small enough to overflow quickly").isLessThanOrEqualTo(65536);
        CountDownLatch readerBlocked = new CountDownLatch(1);
        CountDownLatch unblock = new CountDownLatch(1);
        try {
            // A subscriber that blocks the shared reader thread on its first change.
            subs.add(FileWatcher.watch(tmp.resolve("blocker"), false, List.of()).subscribe(x -> {
                if (x == FileWatcher.CHANGED && readerBlocked.getCount() > 0) {
                    readerBlocked.countDown();
                    try {
                        unblock.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }));
            BlockingQueue<Object> quiet = watch(tmp.resolve("quiet"), false, List.of());
            Files.writeString(tmp.resolve("blocker"), "x");
            assertThat(readerBlocked.await(30, TimeUnit.SECONDS)).isTrue();
            // Each new file is CREATE + CLOSE_WRITE: enough of them overflow the kernel's queue.
            for (long i = 0; i < max / 2 + 1000; i++) {
                Files.createFile(tmp.resolve("n" + i));
            }
            assertThat(quiet).isEmpty();
            unblock.countDown();
            assertThat(quiet.poll(30, TimeUnit.SECONDS)).as("overflow makes the untouched path dirty")
                    .isEqualTo(FileWatcher.CHANGED);
            // and the watch still works after the overflow
            quiet.clear();
            Files.writeString(tmp.resolve("quiet"), "q");
            expectEvent(quiet, "after overflow");
        } finally {
            unblock.countDown();
        }
    }

    @Test
    void manyWatchesShareOneThreadAndOneDescriptorAndCancelCleansUp() throws Exception {
        long eventFdsBefore = Probe.eventFds();
        AtomicInteger events = new AtomicInteger();
        List<Disposable> many = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            Path d = tmp.resolve("d" + (i % 10));
            Files.createDirectories(d);
            many.add(FileWatcher.watch(d.resolve("f" + i), false, List.of()).subscribe(x -> events.incrementAndGet()));
        }
        eventually("all armed", () -> events.get() >= 500);
        assertThat(FileWatcher.readerThreads()).isEqualTo(1);
        assertThat(Probe.inotifyFds()).isEqualTo(1);
        assertThat(Probe.eventFds() - eventFdsBefore).as("the reader's wake-up eventfd").isEqualTo(1);
        Files.writeString(tmp.resolve("d3/f3"), "x");
        eventually("event routed", () -> events.get() >= 501);
        many.forEach(Disposable::dispose);
        eventually("reader stopped after the last cancel", () -> FileWatcher.readerThreads() == 0);
        eventually("fds closed", () -> Probe.inotifyFds() == 0 && Probe.eventFds() == eventFdsBefore);
    }
}
