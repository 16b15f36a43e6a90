package dev.mgmt.resources.linux.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mgmt.resources.linux.internal.FileHandle.Stat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/** New content put in place through flushes, on a real directory. */
@Timeout(60)
class ReplacementTest {

    @TempDir
    Path tmp;

    private final HeldDisk disk = new HeldDisk();

    @AfterEach
    void openTheGate() {
        disk.gate.countDown();
    }

    private static FileSync content(Path p, String text) {
        return new FileSync(p, false, false, text.getBytes(StandardCharsets.UTF_8), null, null, null, 0640, false, false);
    }

    @Test
    void manyFilesWrittenAtOnceAreAllInPlaceWithNothingLeftAside() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("d"));
        List<Path> paths = IntStream.range(0, 300).mapToObj(i -> dir.resolve("f" + i)).toList();
        Files.writeString(paths.get(0), "old content of a longer file\n");
        List<List<String>> changes = Flux.fromIterable(paths)
                .flatMap(p -> content(p, "file " + p.getFileName() + "\n").apply().subscribeOn(Schedulers.parallel()))
                .collectList().block();
        assertThat(changes).hasSize(300);
        for (Path p : paths) {
            assertThat(p).hasContent("file " + p.getFileName());
            assertThat(Files.getAttribute(p, "unix:mode")).isEqualTo(0100640);
        }
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left).hasSize(300);
        }
    }

    private static Path asidePath(Path target) {
        return target.resolveSibling(FileSync.tempPrefix(target.getFileName().toString()) + "0123456789abcdef");
    }

    /** As FileSync writes aside: the ticket taken before the content is written. */
    private static Replacement aside(GroupFlush flush, Path target, String text) throws IOException {
        Path tmp = asidePath(target);
        FileHandle out = FileHandle.createTemp(tmp);
        GroupFlush.Ticket ticket = flush.begin(target.getParent(), out.opened().dev(), out);
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
        return new Replacement(flush, ticket, tmp, target, out, out.opened());
    }

    private void onlyTheTargetIsLeft(Path target, String content) throws IOException {
        assertThat(target).hasContent(content);
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left).containsExactly(target);
        }
    }

    @Test
    void cancelledBeforeTheRenameTheTargetStaysAndNothingIsLeftAside() throws Exception {
        Path target = Files.writeString(tmp.resolve("t"), "old");
        Replacement r = aside(new GroupFlush(disk, true), target, "new");
        // On a thread of its own: the subscriber flushes, held by the disk.
        Disposable run = r.commit().subscribeOn(Schedulers.boundedElastic()).subscribe();
        assertThat(disk.firstCall.await(30, TimeUnit.SECONDS)).isTrue();
        run.dispose();
        disk.gate.countDown();
        onlyTheTargetIsLeft(target, "old");
    }

    @Test
    void aFailedFlushLeavesTheTargetAndRemovesWhatWasWrittenAside() throws Exception {
        Path target = Files.writeString(tmp.resolve("t"), "old");
        disk.fsyncError = new IOException("Input/output error");
        disk.gate.countDown();
        Replacement r = aside(new GroupFlush(disk, true), target, "new");
        assertThatThrownBy(() -> r.commit().block()).hasRootCauseMessage("Input/output error");
        onlyTheTargetIsLeft(target, "old");
    }

    @Test
    void theRenameComesAfterTheFileIsFlushedAndTheDirectoryAfterTheRename() throws Exception {
        Path target = Files.writeString(tmp.resolve("t"), "old");
        GroupFlush flush = new GroupFlush(disk, true);
        Replacement r = aside(flush, target, "new");
        r.commit().subscribeOn(Schedulers.boundedElastic()).subscribe();
        assertThat(disk.firstCall.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(target).hasContent("old");
        disk.gate.countDown();
        while (!disk.calls.contains("fsync " + tmp)) { // the rename's flush: it comes after the rename
            LockSupport.parkNanos(1_000_000);
        }
        assertThat(target).hasContent("new");
        assertThat(disk.calls).containsExactly("fsync " + asidePath(target), "fsync " + tmp);
        assertThat(flush.heldCount()).as("its descriptor closed by the flush").isZero();
    }

    @Test
    void whereSyncfsIsNotTrustedTheWriterFlushesOnItsOwnAsBefore() throws Exception {
        disk.untrusted = true;
        Path target = Files.writeString(tmp.resolve("t"), "old");
        GroupFlush flush = new GroupFlush(disk, true);
        long dev;
        try (FileHandle h = FileHandle.open(tmp)) {
            dev = h.opened().dev();
        }
        GroupFlush.Ticket other = flush.begin(tmp, dev, null); // another writer at work: the type is looked at
        aside(flush, target, "new").commit().block();
        flush.end(other);
        onlyTheTargetIsLeft(target, "new");
        assertThat(disk.calls).as("the shared flushes are not used").isEmpty();
    }

    @Test
    void aWriteCancelledBeforeItsCommitLeavesNothingAside() throws Exception {
        Path target = Files.writeString(tmp.resolve("t"), "old");
        GroupFlush flush = new GroupFlush(disk, true);
        aside(flush, target, "new").end();
        onlyTheTargetIsLeft(target, "old");
        assertThat(flush.heldCount()).as("its descriptor given back").isZero();
    }

    @Test
    void aThreadThatFlushesForOthersMayNotWaitForAFlushItself() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("d"));
        long dev;
        try (FileHandle h = FileHandle.open(dir)) {
            dev = h.opened().dev();
        }
        GroupFlush.Ticket t = GroupFlush.SHARED.begin(dir, dev, null);
        AtomicReference<Throwable> refused = new AtomicReference<>();
        GroupFlush.SHARED.durable(t, dir, null, null).doOnSuccess(v -> {
            try {
                content(dir.resolve("f"), "x").applyNow();
            } catch (Throwable e) {
                refused.set(e);
            }
        }).block();
        GroupFlush.SHARED.end(t);
        assertThat(refused.get()).isInstanceOf(IllegalStateException.class).hasMessageContaining("flushes for others");
    }
}
