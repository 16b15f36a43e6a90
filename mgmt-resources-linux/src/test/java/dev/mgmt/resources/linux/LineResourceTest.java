package dev.mgmt.resources.linux;

import static dev.mgmt.resources.linux.Probe.HANG;
import static dev.mgmt.resources.linux.Probe.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mgmt.api.Graph;
import dev.mgmt.api.MissingPrerequisite;
import dev.mgmt.engine.Engine;
import dev.mgmt.resources.linux.FileResource.State;
import dev.mgmt.resources.linux.internal.FileWatcher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** line against real files: check, apply, atomic rewrite, symlinks, and the engine's watch. */
class LineResourceTest {

    @TempDir
    Path tmp;

    @AfterEach
    void nothingLeaks() {
        eventually("inotify reader stopped", () -> FileWatcher.readerThreads() == 0);
        eventually("inotify fds closed", () -> Probe.inotifyFds() == 0);
    }

    private static boolean check(LineResource r) {
        return r.check().block(HANG);
    }

    @Test
    void addsAtTheEndKeepingOwnerModeAndTheRest() throws Exception {
        Path f = Files.writeString(tmp.resolve("hosts"), "127.0.0.1 localhost\n# no newline at the end");
        Files.setAttribute(f, "unix:mode", 0640);
        Object inode = Files.getAttribute(f, "unix:ino");
        LineResource r = LineResource.exists("app", f.toString(), "10.0.0.5 app");
        assertThat(check(r)).isFalse();
        r.apply().block(HANG);
        assertThat(Files.readString(f)).isEqualTo("127.0.0.1 localhost\n# no newline at the end\n10.0.0.5 app\n");
        assertThat(Probe.mode(f)).isEqualTo(0640);
        assertThat(Files.getAttribute(f, "unix:ino")).as("replaced by a rename, not written in place").isNotEqualTo(inode);
        assertThat(check(r)).isTrue();
        r.apply().block(HANG);
        assertThat(Files.readString(f)).as("not added twice").endsWith("\n10.0.0.5 app\n").hasLineCount(3);
        try (var names = Files.list(tmp)) {
            assertThat(names).as("no temp file left").containsExactly(f);
        }
    }

    @Test
    void absentRemovesEveryCopyAndCrlfIsKept() throws Exception {
        Path f = Files.writeString(tmp.resolve("f"), "a\r\nx\r\nb\r\nx\r\n");
        LineResource r = LineResource.absent("x", f.toString(), "x");
        assertThat(check(r)).isFalse();
        r.apply().block(HANG);
        assertThat(Files.readString(f)).isEqualTo("a\r\nb\r\n");
        assertThat(check(r)).isTrue();
        LineResource add = LineResource.exists("y", f.toString(), "y");
        add.apply().block(HANG);
        assertThat(Files.readString(f)).isEqualTo("a\r\nb\r\ny\r\n");
    }

    @Test
    void aMissingFileIsCreated0600ButNotItsDirectory() throws Exception {
        Path f = tmp.resolve("new");
        LineResource r = LineResource.exists("n", f.toString(), "hello");
        assertThat(check(r)).isFalse();
        r.apply().block(HANG);
        assertThat(Files.readString(f)).isEqualTo("hello\n");
        assertThat(Probe.mode(f)).as("as mgmt's line creates it: the line may be a secret").isEqualTo(0600);
        LineResource.exists("m", f.toString(), "more").apply().block(HANG);
        assertThat(Probe.mode(f)).as("kept by a later edit").isEqualTo(0600);
        assertThat(check(LineResource.absent("gone", tmp.resolve("gone").toString(), "hello"))).isTrue();

        LineResource deep = LineResource.exists("d", tmp.resolve("no/such/dir/f").toString(), "hello");
        assertThatThrownBy(() -> check(deep)).hasCauseInstanceOf(MissingPrerequisite.class)
                .hasMessageContaining("does not exist");
        assertThatThrownBy(() -> deep.apply().block(HANG)).hasCauseInstanceOf(MissingPrerequisite.class);
        assertThat(tmp.resolve("no")).doesNotExist();
    }

    @Test
    void aSymlinkIsNeverFollowed() throws Exception {
        Path target = Files.writeString(tmp.resolve("target"), "secret\n");
        Path link = Files.createSymbolicLink(tmp.resolve("link"), target);
        LineResource r = LineResource.exists("l", link.toString(), "added");
        assertThatThrownBy(() -> check(r)).hasMessageContaining("is a symlink, not a regular file");
        assertThatThrownBy(() -> r.apply().block(HANG)).hasMessageContaining("is a symlink");
        assertThat(Files.readString(target)).isEqualTo("secret\n");
        assertThat(Files.isSymbolicLink(link)).isTrue();
    }

    @Test
    void linesAddedAtOnceToOneFileAllLand() throws Exception {
        Path f = Files.writeString(tmp.resolve("many"), "");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                LineResource r = LineResource.exists("l" + i, f.toString(), "line " + i);
                done.add(pool.submit(() -> r.apply().block(HANG)));
            }
            for (Future<?> d : done) {
                d.get();
            }
        } finally {
            pool.shutdownNow();
        }
        List<String> lines = Files.readAllLines(f);
        assertThat(lines).hasSize(40);
        for (int i = 0; i < 40; i++) {
            assertThat(lines).contains("line " + i);
        }
    }

    @Test
    void theEngineRepairsDriftThroughTheWatch() throws Exception {
        Path f = Files.writeString(tmp.resolve("conf"), "keep me\n");
        LineResource want = LineResource.exists("want", f.toString(), "wanted = yes");
        LineResource unwanted = LineResource.absent("unwanted", f.toString(), "debug = on");
        try (Engine e = Engine.builder().build()) {
            e.start(Graph.builder().add(want, unwanted).build());
            e.awaitConverged(HANG).orThrow();
            assertThat(Files.readString(f)).isEqualTo("keep me\nwanted = yes\n");

            // Replaced whole, as an editor saves: written in place, the engine could read the file
            // between its truncation and the write and replace it, and the write then goes to the
            // file it replaced (LineSync's Javadoc).
            Path edited = Files.writeString(tmp.resolve("conf.edited"), "keep me\ndebug = on\n");
            Files.move(edited, f, StandardCopyOption.ATOMIC_MOVE);
            eventually("the line put back and the unwanted one removed",
                    () -> "keep me\nwanted = yes\n".equals(Probe.read(f)));
            Files.delete(f);
            eventually("the file made again with the line", () -> "wanted = yes\n".equals(Probe.read(f)));
        }
    }

    @Test
    void aLineWaitsForTheFileOfItsPath() {
        Path f = tmp.resolve("d/f");
        FileResource dir = FileResource.directory(tmp.resolve("d").toString());
        LineResource line = LineResource.exists("l", f.toString(), "x");
        try (Engine e = Engine.builder().build()) {
            e.start(Graph.builder().add(line, dir).build());
            e.awaitConverged(HANG).orThrow();
            assertThat(Probe.read(f)).isEqualTo("x\n");
        }
        assertThat(line.seeks().get(0).get(0).toString()).isEqualTo("file:" + f);
        assertThat(LineResource.builder("l").file(f.toString()).content("x").state(State.ABSENT).build())
                .isEqualTo(line.reversed());
    }
}
