package dev.mgmt.resources.linux;

import static dev.mgmt.resources.linux.Probe.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mgmt.resources.linux.internal.FileWatcher;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;

/** {@code file} with a directory {@code source} and {@code recurse}, and a directory's ignored parameters. */
@Timeout(120)
class FileTreeTest {

    @TempDir
    Path tmp;

    private static boolean check(FileResource f) {
        return f.check().block();
    }

    private static boolean converge(FileResource f) {
        if (check(f)) {
            return false;
        }
        f.apply().block();
        assertThat(check(f)).as("check after apply of " + f).isTrue();
        return true;
    }

    /** src/: a, sub/b, sub/deeper/c (0750), empty/ */
    private Path source() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src/sub/deeper"));
        Files.createDirectories(tmp.resolve("src/empty"));
        Files.writeString(tmp.resolve("src/a"), "a\n");
        Files.writeString(tmp.resolve("src/sub/b"), "b\n");
        Files.writeString(tmp.resolve("src/sub/deeper/c"), "c\n");
        Files.setAttribute(tmp.resolve("src/sub/deeper/c"), "unix:mode", 0750);
        return tmp.resolve("src");
    }

    private FileResource tree(Path dst, boolean force) {
        return FileResource.builder("t").path(dst + "/").source(tmp.resolve("src") + "/").recurse(true).force(force)
                .build();
    }

    @Test
    void copiesTheTreeAndRepairsANestedFile() throws Exception {
        source();
        Path dst = tmp.resolve("dst");
        FileResource f = tree(dst, false);
        assertThat(f.validate()).isEmpty();
        assertThat(converge(f)).isTrue();
        assertThat(Files.readString(dst.resolve("a"))).isEqualTo("a\n");
        assertThat(Files.readString(dst.resolve("sub/b"))).isEqualTo("b\n");
        assertThat(Files.readString(dst.resolve("sub/deeper/c"))).isEqualTo("c\n");
        assertThat(Probe.mode(dst.resolve("sub/deeper/c"))).isEqualTo(0750);
        assertThat(dst.resolve("empty")).isDirectory();
        assertThat(converge(f)).isFalse();

        Files.writeString(dst.resolve("sub/deeper/c"), "drift\n");
        assertThat(check(f)).isFalse();
        assertThat(converge(f)).isTrue();
        assertThat(Files.readString(dst.resolve("sub/deeper/c"))).isEqualTo("c\n");

        Files.setAttribute(dst.resolve("sub/b"), "unix:mode", 0600);
        assertThat(converge(f)).isTrue();
        assertThat(Probe.mode(dst.resolve("sub/b"))).isEqualTo(Probe.mode(tmp.resolve("src/sub/b")));

        Files.delete(dst.resolve("sub/deeper/c"));
        Files.delete(dst.resolve("sub/deeper"));
        assertThat(converge(f)).isTrue();
        assertThat(Files.readString(dst.resolve("sub/deeper/c"))).isEqualTo("c\n");
        assertThat(names(dst)).noneMatch(n -> n.contains(".mgmt-"));
    }

    @Test
    void anExtraFileIsRemovedOnlyWithForce() throws Exception {
        source();
        Path dst = tmp.resolve("dst");
        assertThat(converge(tree(dst, false))).isTrue();
        Files.writeString(dst.resolve("sub/extra"), "mine\n");
        Files.createDirectories(dst.resolve("extradir/x"));
        assertThat(check(tree(dst, false))).as("without force an extra file is no difference").isTrue();
        assertThat(dst.resolve("sub/extra")).exists();

        FileResource forced = tree(dst, true);
        assertThat(check(forced)).isFalse();
        assertThat(converge(forced)).isTrue();
        assertThat(dst.resolve("sub/extra")).doesNotExist();
        assertThat(dst.resolve("extradir")).doesNotExist();
        assertThat(Files.readString(dst.resolve("sub/b"))).isEqualTo("b\n");
    }

    @Test
    void aThingOfTheWrongTypeNeedsForce() throws Exception {
        source();
        Path dst = tmp.resolve("dst");
        Files.createDirectories(dst.resolve("sub/b/x"));
        assertThatThrownBy(() -> tree(dst, false).check().block())
                .hasMessageContaining(dst.resolve("sub/b").toString())
                .hasMessageContaining("is a directory where the source has a file; set force to replace it");
        assertThat(converge(tree(dst, true))).isTrue();
        assertThat(Files.readString(dst.resolve("sub/b"))).isEqualTo("b\n");
    }

    @Test
    void aSymlinkSwappedIntoTheDestinationIsNeverFollowed() throws Exception {
        source();
        Path dst = tmp.resolve("dst");
        assertThat(converge(tree(dst, true))).isTrue();
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Path victim = Files.writeString(outside.resolve("b"), "victim\n");
        Files.setAttribute(victim, "unix:mode", 0600);
        Path victimDeeper = Files.createDirectories(outside.resolve("deeper"));
        Files.writeString(victimDeeper.resolve("c"), "victim c\n");

        // A directory in the tree swapped for a symlink to a directory outside it.
        Path sub = dst.resolve("sub");
        Files.walk(sub).sorted((x, y) -> y.getNameCount() - x.getNameCount()).forEach(p -> p.toFile().delete());
        Files.createSymbolicLink(sub, outside);
        assertThatThrownBy(() -> tree(dst, false).check().block()).hasMessageContaining("is a symlink where the"
                + " source has a directory; set force to replace it");
        assertThat(converge(tree(dst, true))).isTrue();
        assertThat(Files.isSymbolicLink(sub)).isFalse();
        assertThat(Files.readString(dst.resolve("sub/b"))).isEqualTo("b\n");
        // A file in the tree swapped for a symlink to a file outside it.
        Files.delete(dst.resolve("a"));
        Files.createSymbolicLink(dst.resolve("a"), victim);
        assertThat(converge(tree(dst, true))).isTrue();
        assertThat(Files.isSymbolicLink(dst.resolve("a"))).isFalse();
        assertThat(Files.readString(dst.resolve("a"))).isEqualTo("a\n");
        // Nothing outside was read into the tree, written, or chmod'ed.
        assertThat(Files.readString(victim)).isEqualTo("victim\n");
        assertThat(Probe.mode(victim)).isEqualTo(0600);
        assertThat(Files.readString(victimDeeper.resolve("c"))).isEqualTo("victim c\n");
        assertThat(outside.resolve("a")).doesNotExist();
    }

    @Test
    void aSymlinkInTheSourceIsRefusedNotFollowed() throws Exception {
        Path src = source();
        Path secret = Files.writeString(tmp.resolve("secret"), "secret\n");
        Files.createSymbolicLink(src.resolve("sub/link"), secret);
        Path dst = tmp.resolve("dst");
        assertThatThrownBy(() -> tree(dst, false).check().block())
                .hasMessageContaining(src.resolve("sub/link").toString())
                .hasMessageContaining("source: is a symlink; a source tree is copied without following symlinks");
        assertThatThrownBy(() -> tree(dst, false).apply().block()).hasMessageContaining("is a symlink");
        assertThat(dst.resolve("sub/link")).doesNotExist();
    }

    @Test
    void theWatchSeesDriftDeepInBothTreesAndInDirectoriesMadeLater() throws Exception {
        source();
        Path dst = tmp.resolve("dst");
        FileResource f = tree(dst, false);
        assertThat(converge(f)).isTrue();
        BlockingQueue<Object> q = new LinkedBlockingQueue<>();
        Disposable d = f.watch().subscribe(q::add, q::add);
        try {
            assertThat(q.poll(30, TimeUnit.SECONDS)).isEqualTo(FileWatcher.ARMED);
            Files.writeString(dst.resolve("sub/deeper/c"), "drift\n");
            expect(q, "a nested file of the destination");
            Files.writeString(tmp.resolve("src/sub/b"), "new b\n");
            expect(q, "a nested file of the source");
            Path later = Files.createDirectories(dst.resolve("sub/later"));
            expect(q, "a directory made in the destination");
            Files.writeString(later.resolve("x"), "x");
            expect(q, "a file in a directory made later");
        } finally {
            d.dispose();
        }
        eventually("inotify reader stopped", () -> FileWatcher.readerThreads() == 0);
    }

    private static void expect(BlockingQueue<Object> q, String what) throws InterruptedException {
        assertThat(q.poll(30, TimeUnit.SECONDS)).as(what).isEqualTo(FileWatcher.CHANGED);
        Object more;
        do {
            more = q.poll(200, TimeUnit.MILLISECONDS); // drain the burst of one change
        } while (more != null);
    }

    @Test
    void aDirectorySourceIsRefusedWithoutRecurseOrToAFilePath() {
        String src = tmp.resolve("src") + "/";
        assertThat(FileResource.builder("t").path(tmp.resolve("d") + "/").source(src).build().validate())
                .containsExactly("recurse: a directory source ('" + src + "') is copied only with recurse: true");
        assertThat(FileResource.builder("t").path(tmp.resolve("f").toString()).source(src).recurse(true).build()
                .validate()).containsExactly("source: '" + src + "' is a directory (it ends in '/'), so path must be one"
                + " too: end it in '/', was '" + tmp.resolve("f") + "'");
    }

    @Test
    void contentOnADirectoryIsAWarningAndIsNotWritten() throws Exception {
        Path d = tmp.resolve("d");
        FileResource f = FileResource.builder("d").path(d + "/").content("i am f2\n").build();
        assertThat(f.validate()).isEmpty();
        assertThat(f.warnings()).containsExactly("content: ignored on a directory (a path ending in '/')");
        assertThat(converge(f)).isTrue();
        assertThat(d).isDirectory();
        assertThat(names(d)).isEmpty();
        assertThat(FileResource.file(tmp.resolve("x").toString(), "x").warnings()).isEmpty();
    }

    @Test
    void aFileSourceOnADirectoryIsAWarningAsMgmtIgnoredIt() throws Exception {
        // mgmt 0.0.15's autoedges3.yaml: path "/etc/drbd.d/", source /dev/null, no recurse.
        Path d = tmp.resolve("drbd.d");
        FileResource f = FileResource.builder("file2").path(d + "/").source("/dev/null").build();
        assertThat(f.validate()).isEmpty();
        assertThat(f.warnings()).containsExactly("source: ignored on a directory unless it is a directory too"
                + " (ending in '/'), copied with recurse: true; was '/dev/null'");
        assertThat(converge(f)).isTrue();
        assertThat(d).isDirectory();
        assertThat(names(d)).isEmpty();
    }

    @Test
    void aMissingParentIsTheSameErrorInCheckAndApply() {
        Path f1 = tmp.resolve("mgmt/f1");
        FileResource f = FileResource.file(f1.toString(), "i am f1\n");
        String want = "parent directory " + tmp.resolve("mgmt") + " does not exist (create it with a file resource or"
                + " set recurse: true)";
        assertThatThrownBy(() -> f.check().block()).hasMessageContaining(want);
        assertThatThrownBy(() -> f.apply().block()).hasMessageContaining(want);
        assertThat(f1).doesNotExist();
        assertThat(check(FileResource.absent(f1.toString()))).as("absent needs no parent").isTrue();
    }

    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> !p.equals(dir)).map(p -> dir.relativize(p).toString()).toList();
        }
    }
}
