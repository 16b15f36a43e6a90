package dev.mgmt.resources.linux.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mgmt.resources.linux.internal.FileHandle.Stat;
import dev.mgmt.resources.linux.internal.GroupFlush.Ticket;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** Group flushes: the decision as a table, rounds on a disk held by the test, and the real calls. */
@Timeout(60)
class GroupFlushTest {

    private static final Path DIR = Path.of("/srv/d");

    @TempDir
    Path tmp;

    private final HeldDisk disk = new HeldDisk();

    @AfterEach
    void openTheGate() {
        disk.gate.countDown(); // no flush stays held by a test that failed
    }

    @Test
    void aRoundMakesOneSyncfsFromFourDistinctPathsOnOrForAFileWithoutItsDescriptorWhenAllowed() {
        assertThat(GroupFlush.plansSyncfs(true, 1, false)).isFalse();
        assertThat(GroupFlush.plansSyncfs(true, 3, false)).isFalse();
        assertThat(GroupFlush.plansSyncfs(true, 4, false)).isTrue();
        assertThat(GroupFlush.plansSyncfs(true, 1000, false)).isTrue();
        assertThat(GroupFlush.plansSyncfs(true, 1, true)).isTrue();
        assertThat(GroupFlush.plansSyncfs(false, 4, false)).isFalse();
        assertThat(GroupFlush.plansSyncfs(false, 1000, true)).isFalse();
    }

    @Test
    void syncfsIsTrustedFromLinux517On() {
        assertThat(GroupFlush.syncfsReportsErrors("6.1.0-28-amd64")).isTrue();
        assertThat(GroupFlush.syncfsReportsErrors("5.17.0")).isTrue();
        assertThat(GroupFlush.syncfsReportsErrors("10.0")).isTrue();
        // Write-back errors since 5.8, a failed journal commit only since 5.17.
        assertThat(GroupFlush.syncfsReportsErrors("5.15.167.4-microsoft-standard-WSL2")).isFalse();
        assertThat(GroupFlush.syncfsReportsErrors("5.8.0")).isFalse();
        assertThat(GroupFlush.syncfsReportsErrors("5.7.19")).isFalse();
        assertThat(GroupFlush.syncfsReportsErrors("4.18.0-553.el8_10.x86_64")).isFalse();
        assertThat(GroupFlush.syncfsReportsErrors("6")).isFalse();
        assertThat(GroupFlush.syncfsReportsErrors("")).isFalse();
        assertThat(GroupFlush.syncfsReportsErrors(null)).isFalse();
        assertThat(GroupFlush.syncfsReportsErrors("unknown")).isFalse();
    }

    private final AtomicInteger files = new AtomicInteger();

    /** A file's request as a writer makes it: the descriptor that wrote it handed over (a real one; the disk here only records). */
    private Mono<Void> file(GroupFlush flush, Ticket t, String name) {
        return Mono.defer(() -> {
            try {
                FileHandle h = FileHandle.createTemp(tmp.resolve("held-" + files.incrementAndGet()));
                assertThat(flush.mayHold(t)).isTrue();
                return flush.durable(t, DIR.resolve(name), h, h.opened());
            } catch (IOException e) {
                return Mono.error(e);
            }
        });
    }

    /** A ticket that began while another writer was at work: its file system's syncfs descriptor is open. */
    private static Ticket covered(GroupFlush flush) {
        Ticket first = flush.begin(DIR, 7, null);
        Ticket second = flush.begin(DIR, 7, null);
        flush.end(first);
        assertThat(first.covered()).isFalse();
        assertThat(second.covered()).isTrue();
        return second;
    }

    /**
     * Waits until the disk saw {@code call}: a round's leader gives back what it used (and the
     * last user closes the descriptor) just after it has told the writers, on its own thread.
     */
    private void awaitCall(String call) {
        while (!disk.calls.contains(call)) {
            LockSupport.parkNanos(1_000_000);
        }
    }

    /** Subscribes now and keeps the outcome for later. */
    private static Mono<Void> started(Mono<Void> m) {
        Mono<Void> kept = m.cache();
        kept.subscribe(v -> { }, e -> { });
        return kept;
    }

    /** The first request's subscriber leads: it flushes, held by the disk, on a thread of its own. */
    private List<Mono<Void>> heldRound(GroupFlush flush, Ticket t) throws InterruptedException {
        List<Mono<Void>> all = new ArrayList<>();
        all.add(started(file(flush, t, "first").subscribeOn(Schedulers.boundedElastic())));
        assertThat(disk.firstCall.await(30, TimeUnit.SECONDS)).isTrue();
        return all;
    }

    @Test
    void requestsMadeWhileAFlushRunsShareTheNextOne() throws Exception {
        GroupFlush flush = new GroupFlush(disk, true);
        Ticket t = covered(flush);
        List<Mono<Void>> all = heldRound(flush, t);
        for (int i = 0; i < 50; i++) {
            all.add(started(file(flush, t, "f" + i)));
        }
        disk.gate.countDown();
        Flux.merge(all).blockLast();
        flush.end(t);
        awaitCall("close 107");
        assertThat(disk.calls).containsExactly("open 7", "fsync " + DIR.resolve("first"), "syncfs 107", "close 107");
    }

    @Test
    void theSameDirectoryAskedByManyWritersIsFlushedOnce() throws Exception {
        GroupFlush flush = new GroupFlush(disk, true);
        Ticket t = covered(flush);
        List<Mono<Void>> all = heldRound(flush, t);
        for (int i = 0; i < 20; i++) {
            all.add(started(flush.durable(t, DIR, null, null)));
        }
        disk.gate.countDown();
        Flux.merge(all).blockLast();
        assertThat(disk.calls).containsExactly("open 7", "fsync " + DIR.resolve("first"), "fsync " + DIR);
    }

    @Test
    void aFailedSyncfsFailsEveryWriterThatBeganBeforeItAndNoneAfter() throws Exception {
        disk.syncfsError = new IOException("Input/output error");
        GroupFlush flush = new GroupFlush(disk, true);
        Ticket before = covered(flush);
        List<Mono<Void>> all = heldRound(flush, before);
        for (int i = 0; i < 5; i++) {
            all.add(started(file(flush, before, "f" + i)));
        }
        disk.gate.countDown();
        all.get(0).block();
        for (Mono<Void> m : all.subList(1, all.size())) {
            assertThatThrownBy(m::block).hasRootCauseMessage("Input/output error");
        }
        disk.syncfsError = null;
        Ticket after = flush.begin(DIR, 7, null);
        file(flush, after, "later").block();
        // An fsync that succeeds does not clear a file whose writing began before the error...
        assertThatThrownBy(() -> file(flush, before, "late").block())
                .hasMessageContaining("a write-back error was reported on its file system")
                .hasMessageContaining("Input/output error");
        // ...but a directory's flush is not failed by it: it comes once the file is in place.
        flush.durable(before, DIR, null, null).block();
        flush.end(before);
        flush.end(after);
    }

    @Test
    void aRefusedSyncfsFallsBackToAnFsyncEachForGood() throws Exception {
        disk.syncfsRefused = true;
        GroupFlush flush = new GroupFlush(disk, true);
        Ticket t = covered(flush);
        List<Mono<Void>> all = heldRound(flush, t);
        for (int i = 0; i < 4; i++) {
            all.add(started(file(flush, t, "f" + i)));
        }
        disk.gate.countDown();
        Flux.merge(all).blockLast();
        assertThat(disk.calls).containsExactly("open 7", "fsync " + DIR.resolve("first"), "syncfs 107",
                "fsync " + DIR.resolve("f0"), "fsync " + DIR.resolve("f1"), "fsync " + DIR.resolve("f2"),
                "fsync " + DIR.resolve("f3"));
        // The next round of five is flushed one by one too: syncfs is not tried again.
        disk.calls.clear();
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Mono<Void>> next = new ArrayList<>();
        next.add(started(flush.durable(t, DIR.resolve("g"), null, null)
                .doOnSuccess(v -> {
                    holding.countDown();
                    await(release);
                }).subscribeOn(Schedulers.boundedElastic())));
        assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < 5; i++) {
            next.add(started(file(flush, t, "g" + i)));
        }
        release.countDown();
        Flux.merge(next).blockLast();
        assertThat(disk.calls).hasSize(6).allMatch(c -> c.startsWith("fsync "));
    }

    private static void await(CountDownLatch l) {
        try {
            l.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aWriterThatBeganBeforeTheDescriptorWasOpenedGetsItsOwnFsyncAfterASyncfs() throws Exception {
        GroupFlush flush = new GroupFlush(disk, true);
        Ticket lone = flush.begin(DIR, 7, null);
        assertThat(disk.calls).as("a lone writer opens nothing").isEmpty();
        Ticket t = flush.begin(DIR, 7, null);
        List<Mono<Void>> all = heldRound(flush, t);
        all.add(started(file(flush, lone, "early")));
        for (int i = 0; i < 4; i++) {
            all.add(started(file(flush, t, "f" + i)));
        }
        disk.gate.countDown();
        Flux.merge(all).blockLast();
        flush.end(lone);
        flush.end(t);
        awaitCall("close 107");
        assertThat(disk.calls).containsExactly("open 7", "fsync " + DIR.resolve("first"), "syncfs 107",
                "fsync " + DIR.resolve("early"), "close 107");
    }

    @Test
    void aFileWhoseDescriptorWasNotKeptIsFlushedBySyncfsEvenAlone() {
        disk.gate.countDown();
        GroupFlush flush = new GroupFlush(disk, true);
        Ticket t = covered(flush);
        flush.durable(t, DIR.resolve("f"), null, new Stat(FileHandle.S_IFREG | 0644, 0, 0, 0, 1, 7, 1)).block();
        flush.end(t);
        assertThat(disk.calls).containsExactly("open 7", "syncfs 107", "close 107");
    }

    @Test
    void aFileSystemThatHangsHoldsUpOnlyItsOwnWriters() throws Exception {
        List<String> elsewhere = new CopyOnWriteArrayList<>();
        GroupFlush flush = new GroupFlush(new HeldDisk() {
            @Override
            public void fsync(Path path, FileHandle held, Stat written) throws IOException {
                if (path.endsWith("elsewhere")) {
                    elsewhere.add("fsync " + path); // not held: another disk
                } else {
                    disk.fsync(path, held, written);
                }
            }
        }, true);
        Ticket t = flush.begin(DIR, 7, null);
        Ticket other = flush.begin(DIR, 8, null);
        List<Mono<Void>> held = heldRound(flush, t); // dev 7's leader waits for the gate
        file(flush, other, "elsewhere").block(Duration.ofSeconds(30)); // led by this thread
        assertThat(elsewhere).containsExactly("fsync " + DIR.resolve("elsewhere"));
        assertThat(disk.gate.getCount()).as("dev 7 still held").isEqualTo(1);
        disk.gate.countDown();
        held.get(0).block();
        flush.end(t);
        flush.end(other);
    }

    @Test
    void descriptorsKeptForTheirFlushAreAllGivenBack() {
        disk.gate.countDown();
        GroupFlush flush = new GroupFlush(disk, true);
        Ticket t = covered(flush);
        Flux.range(0, 20).flatMap(i -> file(flush, t, "f" + i)).blockLast();
        assertThat(flush.heldCount()).isZero();
        flush.end(t);
    }

    @Test
    void aFileSystemWithoutATrustedSyncfsGivesTicketsThatAreNotGrouped() {
        disk.untrusted = true;
        GroupFlush flush = new GroupFlush(disk, true);
        Ticket lone = flush.begin(DIR, 7, null);
        assertThat(lone.grouped()).as("a lone writer: the type is not looked at, its file fsynced as ever").isTrue();
        Ticket t = flush.begin(DIR, 7, null);
        assertThat(t.grouped()).isFalse();
        assertThat(flush.begin(DIR, 7, null).grouped()).isFalse();
        assertThat(disk.calls).as("no descriptor opened").isEmpty();
        flush.end(lone);
        flush.end(t);
        assertThat(new GroupFlush(new HeldDisk(), false).begin(DIR, 7, null).grouped()).as("an old kernel").isFalse();
        assertThat(new GroupFlush(new HeldDisk(), true).begin(DIR, 0, null).grouped()).as("an unknown file system").isFalse();
    }

    @Test
    void theSyncfsDescriptorIsClosedWithTheLastTicketAndNotWhileARoundUsesIt() throws Exception {
        GroupFlush flush = new GroupFlush(disk, true);
        Ticket a = flush.begin(DIR, 7, null);
        Ticket b = flush.begin(DIR, 7, null);
        List<Mono<Void>> all = heldRound(flush, b);
        for (int i = 0; i < 4; i++) {
            all.add(started(file(flush, b, "f" + i)));
        }
        flush.end(b);
        flush.end(a); // the round of four, after the held first, still flushes through it
        disk.gate.countDown();
        Flux.merge(all).blockLast();
        awaitCall("close 107");
        assertThat(disk.calls).containsExactly("open 7", "fsync " + DIR.resolve("first"), "syncfs 107", "close 107");
    }

    @Test
    void aLoneWriterFlushesOnItsOwnThreadAndWhoeverAsksNextLeads() throws Exception {
        List<Thread> on = new CopyOnWriteArrayList<>();
        disk.gate.countDown();
        GroupFlush flush = new GroupFlush(new HeldDisk() {
            @Override
            public void fsync(Path path, FileHandle held, Stat written) {
                on.add(Thread.currentThread());
            }
        }, true);
        Ticket t = flush.begin(DIR, 7, null);
        file(flush, t, "a").block();
        assertThat(on).containsExactly(Thread.currentThread());
        assertThat(flush.flushingHere()).isFalse();
        Thread other = new Thread(() -> file(flush, t, "b").block());
        other.start();
        other.join();
        assertThat(on).containsExactly(Thread.currentThread(), other);
    }

    @Test
    void whatARoundsWritersAskNextIsFlushedByTheLeaderInItsNextRound() {
        disk.gate.countDown();
        List<Boolean> leading = new CopyOnWriteArrayList<>();
        GroupFlush[] flush = new GroupFlush[1];
        flush[0] = new GroupFlush(new HeldDisk() {
            @Override
            public void fsync(Path path, FileHandle held, Stat written) {
                leading.add(flush[0].flushingHere());
            }
        }, true);
        Ticket t = flush[0].begin(DIR, 7, null);
        // As a file asks for its directory once renamed.
        file(flush[0], t, "f").then(flush[0].durable(t, DIR, null, null)).block();
        assertThat(leading).containsExactly(true, true);
    }

    @Test
    void everyRequestIsAnsweredWhenManyThreadsAskAtOnce() throws Exception {
        disk.gate.countDown();
        GroupFlush flush = new GroupFlush(disk, true);
        Ticket t = covered(flush);
        List<Thread> threads = new ArrayList<>();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        for (int i = 0; i < 8; i++) {
            int n = i;
            Thread th = new Thread(() -> {
                try {
                    for (int k = 0; k < 500; k++) {
                        file(flush, t, n + "-" + k).block();
                    }
                } catch (Throwable e) {
                    failed.set(e);
                }
            });
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) {
            th.join(); // a lost request hangs here, until the class's timeout
        }
        assertThat(failed.get()).isNull();
    }

    @Test
    void aWriterThatFailsOnceAnsweredDoesNotKeepTheOthersWaiting() throws Exception {
        GroupFlush flush = new GroupFlush(disk, true);
        Ticket t = flush.begin(DIR, 7, null);
        List<Mono<Void>> all = heldRound(flush, t);
        file(flush, t, "broken").doOnSuccess(v -> {
            throw new NoClassDefFoundError("thrown on the flushing thread");
        }).subscribe(v -> { }, e -> { });
        all.add(started(file(flush, t, "a")));
        all.add(started(file(flush, t, "b")));
        disk.gate.countDown();
        Flux.merge(all).blockLast();
    }

    @Test
    void anInterruptedLeaderStillFlushesTheRealFilesOfTheOthers() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("d"));
        long dev;
        try (FileHandle h = FileHandle.open(dir)) {
            dev = h.opened().dev();
        }
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        GroupFlush flush = new GroupFlush(new GroupFlush.Disk() {
            @Override
            public boolean syncfsTrusted(FileHandle written, long v) throws IOException {
                return GroupFlush.Disk.REAL.syncfsTrusted(written, v);
            }

            @Override
            public int syncfsDescriptor(Path d, long v) throws IOException {
                return GroupFlush.Disk.REAL.syncfsDescriptor(d, v);
            }

            @Override
            public void syncfs(int fd, Path d) throws IOException {
                GroupFlush.Disk.REAL.syncfs(fd, d);
            }

            @Override
            public void close(int fd) {
                GroupFlush.Disk.REAL.close(fd);
            }

            @Override
            public void fsync(Path path, FileHandle held, Stat written) throws IOException {
                if (path.endsWith("first")) {
                    holding.countDown();
                    await(release);
                }
                GroupFlush.Disk.REAL.fsync(path, held, written);
            }
        }, false);
        Ticket t = flush.begin(dir, dev, null);
        Files.writeString(dir.resolve("first"), "1");
        Files.writeString(dir.resolve("second"), "2");
        AtomicReference<Thread> leader = new AtomicReference<>();
        Mono<Void> first = started(Mono.defer(() -> {
            leader.set(Thread.currentThread());
            return real(flush, t, dir.resolve("first"));
        }).subscribeOn(Schedulers.boundedElastic()));
        assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();
        Mono<Void> second = started(real(flush, t, dir.resolve("second")));
        Mono<Void> directory = started(flush.durable(t, dir, null, null));
        leader.get().interrupt(); // as the engine does to a call it cancels
        release.countDown();
        first.block();
        second.block();
        directory.block();
        flush.end(t);
    }

    private static Mono<Void> real(GroupFlush flush, Ticket t, Path p) {
        try (FileHandle h = FileHandle.open(p)) {
            return flush.durable(t, p, null, h.opened());
        } catch (IOException e) {
            return Mono.error(e);
        }
    }

    @Test
    void theRealCallsFlushARealFileSystemAndNameWhatIsMissing() throws Exception {
        Path f = Files.writeString(tmp.resolve("f"), "x");
        Stat st;
        try (FileHandle h = FileHandle.open(f)) {
            st = h.opened();
        }
        GroupFlush.Disk.REAL.fsync(f, null, st);
        GroupFlush.Disk.REAL.fsync(tmp, null, null);
        try (FileHandle h = FileHandle.open(f)) {
            if (GroupFlush.Disk.REAL.syncfsTrusted(h, st.dev())) { // ext4, XFS, Btrfs or tmpfs
                int fd = GroupFlush.Disk.REAL.syncfsDescriptor(tmp, st.dev());
                assertThat(fd).isNotNegative();
                GroupFlush.Disk.REAL.syncfs(fd, tmp);
                GroupFlush.Disk.REAL.close(fd);
            }
        }
        assertThat(GroupFlush.Disk.REAL.syncfsDescriptor(tmp, st.dev() + 1)).as("another file system").isEqualTo(-1);
        assertThatThrownBy(() -> GroupFlush.Disk.REAL.syncfsDescriptor(tmp.resolve("missing"), st.dev()))
                .hasMessageContaining(tmp.resolve("missing").toString());
        Files.move(f, tmp.resolve("kept")); // so that its inode number is not reused
        Files.writeString(f, "another inode");
        assertThatThrownBy(() -> GroupFlush.Disk.REAL.fsync(f, null, st)).hasMessageContaining("replaced");
    }
}
