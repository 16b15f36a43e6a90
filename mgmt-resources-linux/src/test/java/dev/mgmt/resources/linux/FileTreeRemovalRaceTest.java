package dev.mgmt.resources.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The symlink race of issue 11 (finding 3) against the removal of a directory tree
 * ({@code state: absent} with {@code recurse} and {@code force}): someone who can write in a
 * directory inside the tree swaps a subdirectory for a symlink to a victim directory (holding
 * files of the same names) while mgmt removes the tree. Before the fix the tree was walked by
 * path, which follows a symlink swapped in, and victim files were deleted within a few rounds;
 * now each directory is opened with {@code O_NOFOLLOW} and its entries removed relative to that
 * descriptor, so the victim keeps every file.
 *
 * <p>Bounded by a number of rounds; the timeout catches hangs only.
 */
class FileTreeRemovalRaceTest {

    /** Trees removed; before the fix the victim lost files in the first few. */
    private static final int ROUNDS = 150;
    private static final int FILES = 50;
    /** Removals against the FIFO swap; before the fix one hung within the first few. */
    private static final int FIFO_ROUNDS = 200;

    @TempDir
    Path tmp;

    @Test
    @Timeout(120)
    void aSubdirectorySwappedForASymlinkNeverGetsTheLinksTargetEmptied() throws Exception {
        Path victim = Files.createDirectory(tmp.resolve("victim"));
        for (int i = 0; i < FILES; i++) {
            Files.writeString(victim.resolve("f" + i), "keep");
        }
        Path tree = tmp.resolve("tree");
        Path inner = tree.resolve("shared/x");
        Path aside = Files.createDirectory(tmp.resolve("outside")).resolve("x");
        FileResource r = FileResource.builder("tree").path(tree + "/").state(FileResource.State.ABSENT).recurse(true)
                .force(true).build();

        int refused = 0;
        AtomicInteger flips = new AtomicInteger();
        int round = 0;
        while (round < ROUNDS && count(victim) == FILES) {
            round++;
            Files.createDirectories(inner);
            for (int i = 0; i < FILES; i++) {
                Files.writeString(inner.resolve("f" + i), "mine");
            }
            Files.deleteIfExists(aside);
            Files.createSymbolicLink(aside, victim);
            AtomicBoolean stop = new AtomicBoolean();
            Thread attacker = new Thread(() -> {
                while (!stop.get()) {
                    try {
                        Probe.exchange(inner, aside);
                        flips.incrementAndGet();
                    } catch (IOException e) {
                        // gone already: removed by mgmt
                    }
                }
            }, "attacker");
            attacker.start();
            try {
                r.apply().block();
            } catch (RuntimeException e) {
                refused++; // a symlink met where a directory was: refused, as it should be
            } finally {
                stop.set(true);
                attacker.join();
            }
            // What is left (after a refusal), without following links; the real directory may be outside now.
            clean(tree);
            if (Files.isDirectory(aside, LinkOption.NOFOLLOW_LINKS)) {
                clean(aside);
            }
        }
        System.out.printf("%d trees removed against %d flips, %d refused; victim has %d of %d files%n", round,
                flips.get(), refused, count(victim), FILES);
        assertThat(count(victim)).as("files left in the victim directory after %d rounds", round).isEqualTo(FILES);
        assertThat(refused).as("some removals went through").isLessThan(round);
    }

    /**
     * A subdirectory swapped for a FIFO during the removal: the JDK's
     * {@code SecureDirectoryStream.newDirectoryStream} opened it with {@code O_RDONLY} alone,
     * which waits for a writer that never comes, and the apply thread hung for good. Now the
     * open has {@code O_DIRECTORY|O_NONBLOCK}: refused at once. Each removal runs on its own
     * thread so that a hang fails the test (after {@link Probe#HANG}) instead of stopping it.
     */
    @Test
    @Timeout(180)
    void aSubdirectorySwappedForAFifoIsRefusedAndNeverHangs() throws Exception {
        Path tree = tmp.resolve("tree");
        Path sub = tree.resolve("sub");
        Path fifo = Files.createDirectory(tmp.resolve("outside")).resolve("fifo");
        FileResource r = FileResource.builder("tree").path(tree + "/").state(FileResource.State.ABSENT).recurse(true)
                .force(true).build();
        int refused = 0;
        AtomicInteger flips = new AtomicInteger();
        for (int round = 0; round < FIFO_ROUNDS; round++) {
            Files.createDirectories(sub);
            for (int i = 0; i < 20; i++) {
                Files.createDirectories(sub.resolve("d" + i));
            }
            Files.deleteIfExists(fifo);
            Probe.mkfifo(fifo);
            AtomicBoolean stop = new AtomicBoolean();
            Thread attacker = new Thread(() -> {
                while (!stop.get()) {
                    try {
                        Probe.exchange(sub, fifo);
                        flips.incrementAndGet();
                    } catch (IOException e) {
                        // gone already: removed by mgmt
                    }
                }
            }, "attacker");
            attacker.start();
            java.util.concurrent.CompletableFuture<Void> removal = java.util.concurrent.CompletableFuture.runAsync(
                    () -> r.apply().block(), runnable -> {
                        Thread t = new Thread(runnable, "removal");
                        t.setDaemon(true); // left behind only if it hangs, and then the test fails
                        t.start();
                    });
            try {
                removal.get(Probe.HANG.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                // "is no longer a directory", or the FIFO met by the final rmdir ("Not a directory")
                refused++;
            } catch (java.util.concurrent.TimeoutException e) {
                throw new AssertionError("the removal hung in round " + round + " (a FIFO opened for reading?)");
            } finally {
                stop.set(true);
                attacker.join();
            }
            clean(tree);
            clean(fifo);
        }
        System.out.printf("%d trees removed against %d FIFO flips, %d refused%n", FIFO_ROUNDS, flips.get(), refused);
        assertThat(refused).as("some removals went through").isLessThan(FIFO_ROUNDS);
    }

    private static long count(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }

    /** Removes {@code p} and everything under it, never following a symlink (nothing flips now). */
    private static void clean(Path p) throws IOException {
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> s = Files.list(p)) {
                for (Path c : s.toList()) {
                    clean(c);
                }
            }
        }
        Files.deleteIfExists(p);
    }
}
