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
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/** New content put in place through shared flushes, on a real directory. */
@Timeout(60)
class ReplacementTest {

    @TempDir
    Path tmp;

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

    private static Replacement aside(Path target, String text) throws IOException {
        Path aside = Files.writeString(asidePath(target), text);
        Stat st;
        try (FileHandle h = FileHandle.open(aside)) {
            st = h.opened();
        }
        return new Replacement(aside, target, st.dev(), st);
    }

    @Test
    void cancelledBeforeTheRenameTheTargetStaysAndNothingIsLeftAside() throws Exception {
        Path target = Files.writeString(tmp.resolve("t"), "old");
        Replacement r = aside(target, "new");
        HeldDisk disk = new HeldDisk();
        // On a thread of its own: the subscriber flushes, held by the disk.
        Disposable run = r.commit(new GroupFlush(disk, true)).subscribeOn(Schedulers.boundedElastic()).subscribe();
        assertThat(disk.firstCall.await(30, TimeUnit.SECONDS)).isTrue();
        run.dispose();
        disk.gate.countDown();
        assertThat(target).hasContent("old");
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left).containsExactly(target);
        }
    }

    @Test
    void aFailedFlushLeavesTheTargetAndRemovesWhatWasWrittenAside() throws Exception {
        Path target = Files.writeString(tmp.resolve("t"), "old");
        Replacement r = aside(target, "new");
        HeldDisk disk = new HeldDisk();
        disk.fsyncError = new IOException("Input/output error");
        disk.gate.countDown();
        assertThatThrownBy(() -> r.commit(new GroupFlush(disk, true)).block()).hasRootCauseMessage("Input/output error");
        assertThat(target).hasContent("old");
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left).containsExactly(target);
        }
    }

    @Test
    void theRenameComesAfterTheFileIsFlushedAndTheDirectoryAfterTheRename() throws Exception {
        Path target = Files.writeString(tmp.resolve("t"), "old");
        Replacement r = aside(target, "new");
        HeldDisk disk = new HeldDisk();
        r.commit(new GroupFlush(disk, true)).subscribeOn(Schedulers.boundedElastic()).subscribe();
        assertThat(disk.firstCall.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(target).hasContent("old");
        disk.gate.countDown();
        while (disk.calls.size() < 2) {
            LockSupport.parkNanos(1_000_000);
        }
        assertThat(target).hasContent("new");
        assertThat(disk.calls).containsExactly("fsync " + asidePath(target), "fsync " + tmp);
    }
}
