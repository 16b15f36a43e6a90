package dev.mgmt.resources.linux.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mgmt.resources.linux.internal.FileHandle.Stat;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A directory of a copied tree swapped for another one, or for a symlink, while mgmt works on it. */
@Timeout(120)
class TreeSwapTest {

    /** Flips of a directory and a symlink while the tree watch rescans. */
    private static final int FLIPS = 3_000;

    @TempDir
    Path tmp;

    @Test
    void aDestinationSwappedAfterItsAttributesWereFixedIsNotCopiedInto() throws Exception {
        Path dst = Files.createDirectory(tmp.resolve("dst"));
        Stat held;
        try (FileHandle h = FileHandle.open(dst)) {
            held = h.opened();
        }
        try (Dir same = FileSync.openTree(dst, held)) {
            assertThat(same.path()).isEqualTo(dst);
        }
        Files.move(dst, tmp.resolve("checked"));
        Files.createDirectory(dst); // another directory, swapped in after the look
        assertThatThrownBy(() -> FileSync.openTree(dst, held)).hasMessageContaining(dst.toString())
                .hasMessageContaining("was replaced by another directory while mgmt was working on it");
    }

    @Test
    void aParentSwappedForASymlinkNeverPutsAWatchOutsideTheTree() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fdinfo")), "no /proc here: watches are added by path");
        Path root = Files.createDirectories(tmp.resolve("root/sub/x/y"));
        root = tmp.resolve("root");
        Path outside = Files.createDirectories(tmp.resolve("outside/x/y")).getParent().getParent();
        Set<Long> outsideInodes = new HashSet<>();
        for (Path p : List.of(outside, outside.resolve("x"), outside.resolve("x/y"))) {
            outsideInodes.add((Long) Files.getAttribute(p, "unix:ino", LinkOption.NOFOLLOW_LINKS));
        }
        Path sub = root.resolve("sub");
        Path aside = root.resolve("sub.real");
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Inotify inotify = Inotify.acquire();
        TreeWatch w = new TreeWatch(inotify, root, () -> { }, failed::set);
        AtomicBoolean stop = new AtomicBoolean();
        try {
            w.open();
            Thread flipper = new Thread(() -> {
                try {
                    for (int i = 0; i < FLIPS && !stop.get(); i++) {
                        Files.move(sub, aside);
                        Files.createSymbolicLink(sub, outside);
                        Files.delete(sub);
                        Files.move(aside, sub);
                    }
                } catch (IOException e) {
                    failed.compareAndSet(null, e);
                }
            });
            flipper.start();
            int looks = 0;
            while (flipper.isAlive()) {
                Set<Long> watched = watchedInodes();
                watched.retainAll(outsideInodes);
                assertThat(watched).as("inodes outside the tree watched, after " + looks + " looks").isEmpty();
                looks++;
            }
            flipper.join();
            Set<Long> watched = watchedInodes();
            watched.retainAll(outsideInodes);
            assertThat(watched).as("inodes outside the tree watched at the end").isEmpty();
            assertThat(failed.get()).isNull();
        } finally {
            stop.set(true);
            w.close();
            inotify.release();
        }
    }

    /** The inodes every inotify instance of this process watches ({@code /proc/self/fdinfo}). */
    private static Set<Long> watchedInodes() throws IOException {
        Set<Long> out = new HashSet<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/proc/self/fdinfo"))) {
            for (Path p : ds) {
                List<String> lines;
                try {
                    lines = Files.readAllLines(p);
                } catch (IOException e) {
                    continue; // closed meanwhile
                }
                for (String l : lines) {
                    if (l.startsWith("inotify wd:")) {
                        for (String f : l.split(" ")) {
                            if (f.startsWith("ino:")) {
                                out.add(Long.parseLong(f.substring(4), 16));
                            }
                        }
                    }
                }
            }
        }
        return out;
    }
}
