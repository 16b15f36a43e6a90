package dev.mgmt.resources.linux.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mgmt.resources.linux.internal.GroupFlush.FsyncEach;
import dev.mgmt.resources.linux.internal.GroupFlush.Request;
import dev.mgmt.resources.linux.internal.GroupFlush.Step;
import dev.mgmt.resources.linux.internal.GroupFlush.Syncfs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** Group flushes: the plan of a round as a table, rounds with a disk held by the test, and the real calls. */
@Timeout(60)
class GroupFlushTest {

    private static final Path DIR = Path.of("/srv/d");

    @TempDir
    Path tmp;

    private static Request file(int i, long dev) {
        return new Request(DIR.resolve("f" + i), DIR, dev);
    }

    private static List<Step> plan(boolean syncfs, Request... requests) {
        return GroupFlush.plan(new LinkedHashSet<>(List.of(requests)), syncfs);
    }

    @Test
    void aRoundPlansOneSyncfsPerFilesystemFromFourPathsOnAndAnFsyncEachBelow() {
        Request a = file(1, 7);
        Request b = file(2, 7);
        Request c = file(3, 7);
        Request d = file(4, 7);
        Request other = file(5, 9);
        Request unknown = new Request(Path.of("/x/y"), Path.of("/x"), 0);
        assertThat(plan(true, a)).containsExactly(new FsyncEach(List.of(a)));
        assertThat(plan(true, a, b, c)).containsExactly(new FsyncEach(List.of(a, b, c)));
        assertThat(plan(true, a, b, c, d)).containsExactly(new Syncfs(List.of(a, b, c, d)));
        assertThat(plan(false, a, b, c, d)).containsExactly(new FsyncEach(List.of(a, b, c, d)));
        assertThat(plan(true, a, other, b, c, d)).containsExactly(new Syncfs(List.of(a, b, c, d)), new FsyncEach(List.of(other)));
        Request[] unknowns = IntStream.range(0, 5).mapToObj(i -> new Request(Path.of("/x/" + i), Path.of("/x"), 0))
                .toArray(Request[]::new);
        assertThat(plan(true, unknowns)).containsExactly(new FsyncEach(List.of(unknowns)));
        assertThat(plan(true, unknown, a)).containsExactly(new FsyncEach(List.of(unknown)), new FsyncEach(List.of(a)));
        assertThat(plan(true)).isEmpty();
    }

    @Test
    void syncfsIsTrustedFromLinux58On() {
        assertThat(GroupFlush.syncfsReportsErrors("6.1.0-28-amd64")).isTrue();
        assertThat(GroupFlush.syncfsReportsErrors("5.8.0")).isTrue();
        assertThat(GroupFlush.syncfsReportsErrors("5.15.167.4-microsoft-standard-WSL2")).isTrue();
        assertThat(GroupFlush.syncfsReportsErrors("10.0")).isTrue();
        assertThat(GroupFlush.syncfsReportsErrors("5.7.19")).isFalse();
        assertThat(GroupFlush.syncfsReportsErrors("4.18.0-553.el8_10.x86_64")).isFalse();
        assertThat(GroupFlush.syncfsReportsErrors("6")).isFalse();
        assertThat(GroupFlush.syncfsReportsErrors("")).isFalse();
        assertThat(GroupFlush.syncfsReportsErrors(null)).isFalse();
        assertThat(GroupFlush.syncfsReportsErrors("unknown")).isFalse();
    }

    /** Subscribes to the first request, waits until its flush holds, then subscribes to the rest. */
    private static List<Mono<Void>> heldRound(GroupFlush flush, HeldDisk disk, int more) throws InterruptedException {
        List<Mono<Void>> all = new ArrayList<>();
        // Its subscriber leads: it flushes, held by the disk, on a thread of its own.
        all.add(flush.durable(DIR.resolve("first"), DIR, 7).subscribeOn(Schedulers.boundedElastic()).cache());
        all.get(0).subscribe(v -> { }, e -> { });
        assertThat(disk.firstCall.await(30, TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < more; i++) {
            Mono<Void> m = flush.durable(DIR.resolve("f" + i), DIR, 7).cache();
            m.subscribe(v -> { }, e -> { });
            all.add(m);
        }
        return all;
    }

    @Test
    void requestsMadeWhileAFlushRunsShareTheNextOne() throws Exception {
        HeldDisk disk = new HeldDisk();
        GroupFlush flush = new GroupFlush(disk, true);
        List<Mono<Void>> all = heldRound(flush, disk, 50);
        disk.gate.countDown();
        Flux.merge(all).blockLast();
        assertThat(disk.calls).containsExactly("fsync " + DIR.resolve("first"), "syncfs " + DIR);
    }

    @Test
    void theSameDirectoryAskedByManyWritersIsFlushedOnce() throws Exception {
        HeldDisk disk = new HeldDisk();
        GroupFlush flush = new GroupFlush(disk, true);
        all(flush, disk, () -> flush.durable(DIR, DIR, 7));
        assertThat(disk.calls).containsExactly("fsync " + DIR.resolve("first"), "fsync " + DIR);
    }

    private static void all(GroupFlush flush, HeldDisk disk, Supplier<Mono<Void>> each) throws Exception {
        List<Mono<Void>> all = heldRound(flush, disk, 0);
        for (int i = 0; i < 20; i++) {
            Mono<Void> m = each.get().cache();
            m.subscribe(v -> { }, e -> { });
            all.add(m);
        }
        disk.gate.countDown();
        Flux.merge(all).blockLast();
    }

    @Test
    void aFailedSyncfsFailsEveryRequestItAnswersAndTheNextRoundRunsAgain() throws Exception {
        HeldDisk disk = new HeldDisk();
        disk.syncfsError = new IOException("Input/output error");
        GroupFlush flush = new GroupFlush(disk, true);
        List<Mono<Void>> all = heldRound(flush, disk, 5);
        disk.gate.countDown();
        all.get(0).block();
        for (Mono<Void> m : all.subList(1, all.size())) {
            assertThatThrownBy(m::block).hasRootCauseMessage("Input/output error");
        }
        disk.syncfsError = null;
        flush.durable(DIR.resolve("later"), DIR, 7).block();
        assertThat(disk.calls).endsWith("fsync " + DIR.resolve("later"));
    }

    @Test
    void aRefusedSyncfsFallsBackToAnFsyncEachForGood() throws Exception {
        HeldDisk disk = new HeldDisk();
        disk.syncfsRefused = true;
        GroupFlush flush = new GroupFlush(disk, true);
        List<Mono<Void>> all = heldRound(flush, disk, 4);
        disk.gate.countDown();
        Flux.merge(all).blockLast();
        assertThat(disk.calls).containsExactly("fsync " + DIR.resolve("first"), "syncfs " + DIR,
                "fsync " + DIR.resolve("f0"), "fsync " + DIR.resolve("f1"), "fsync " + DIR.resolve("f2"),
                "fsync " + DIR.resolve("f3"));
        disk.calls.clear();
        Flux.merge(IntStream.range(0, 6).mapToObj(i -> flush.durable(DIR.resolve("g" + i), DIR, 7)).toList()).blockLast();
        assertThat(disk.calls).allMatch(c -> c.startsWith("fsync "));
    }

    @Test
    void aLoneWriterFlushesOnItsOwnThreadAndWhoeverAsksNextLeads() throws Exception {
        List<Thread> on = new CopyOnWriteArrayList<>();
        GroupFlush flush = new GroupFlush(new GroupFlush.Disk() {
            @Override
            public void fsync(Path path) {
                on.add(Thread.currentThread());
            }

            @Override
            public void syncfs(Path dir) {
                on.add(Thread.currentThread());
            }
        }, true);
        flush.durable(DIR.resolve("a"), DIR, 7).block();
        assertThat(on).containsExactly(Thread.currentThread());
        assertThat(flush.flushingHere()).isFalse();
        Thread other = new Thread(() -> flush.durable(DIR.resolve("b"), DIR, 7).block());
        other.start();
        other.join();
        assertThat(on).containsExactly(Thread.currentThread(), other);
    }

    @Test
    void theLeaderFlushesWhatIsAskedOnItsThreadMeanwhileInItsNextRound() {
        List<String> calls = new CopyOnWriteArrayList<>();
        GroupFlush[] flush = new GroupFlush[1];
        flush[0] = new GroupFlush(new GroupFlush.Disk() {
            @Override
            public void fsync(Path path) {
                calls.add("fsync " + path + (flush[0].flushingHere() ? " (leading)" : ""));
            }

            @Override
            public void syncfs(Path dir) {
                calls.add("syncfs " + dir);
            }
        }, true);
        // What follows a flush asks for the next, as a file does for its directory after the rename.
        flush[0].durable(DIR.resolve("f"), DIR, 7).then(flush[0].durable(DIR, DIR, 7)).block();
        assertThat(calls).containsExactly("fsync " + DIR.resolve("f") + " (leading)", "fsync " + DIR + " (leading)");
    }

    @Test
    void aCancelledRequestDoesNotHoldTheRound() throws Exception {
        HeldDisk disk = new HeldDisk();
        GroupFlush flush = new GroupFlush(disk, true);
        heldRound(flush, disk, 0);
        Disposable gone = flush.durable(DIR.resolve("gone"), DIR, 7).subscribe();
        gone.dispose();
        Mono<Void> kept = flush.durable(DIR.resolve("kept"), DIR, 7).cache();
        kept.subscribe(v -> { }, e -> { });
        disk.gate.countDown();
        kept.block();
    }

    @Test
    void theRealCallsFlushARealDirectoryAndNameWhatIsMissing() throws Exception {
        Files.writeString(tmp.resolve("f"), "x");
        GroupFlush.Disk.REAL.fsync(tmp.resolve("f"));
        GroupFlush.Disk.REAL.fsync(tmp);
        FileHandle.syncfs(tmp);
        assertThatThrownBy(() -> FileHandle.syncfs(tmp.resolve("missing"))).isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining(tmp.resolve("missing").toString());
        assertThatThrownBy(() -> FileHandle.syncfs(tmp.resolve("f"))).isInstanceOf(IOException.class)
                .hasMessageContaining(tmp.resolve("f").toString());
    }
}
