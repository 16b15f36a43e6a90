package dev.mgmt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, finding 3, through a real {@code mgmt run}: a file resource with a mode, in a
 * directory someone else can write in. That someone swaps the file for a symlink to a victim
 * file (one they may not chmod) and back, as fast as renames allow, so that mgmt's look
 * sees a file with the wrong mode and its change meets the symlink. Before the fix mgmt set the
 * mode by path, which follows the symlink, and the victim became 0644; now mgmt sets it through
 * a descriptor opened with {@code O_NOFOLLOW}, refuses the symlink, and the victim stays 0600.
 *
 * <p>mgmt runs with default meta, so a failed apply (the symlink seen) waits the re-arm
 * backoff; the flips therefore keep a file in place nearly all the time and swap the symlink in
 * for one rename only. Bounded by {@link #MAX_FLIPS} flips or {@link #MAX_FLIPPING} ns of
 * flipping, whichever comes first. Before the fix, 13 runs were each won after 1.1 to 11.0 s
 * (8,300 to 92,600 flips); after it, the whole bound (140,000 to 200,000 flips in 12.6 to
 * 20 s, with 570 to 1,120 applies of mgmt in between) changes nothing.
 */
class FileAttributeRaceIT {

    private static final int MAX_FLIPS = 200_000;
    private static final long MAX_FLIPPING = 20_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void aSymlinkSwappedInForAManagedFileNeverGetsItsTargetChmodded() throws Exception {
        Path victim = Files.writeString(dir.resolve("victim"), "not yours\n");
        Files.setPosixFilePermissions(victim, PosixFilePermissions.fromString("rw-------"));
        Path shared = Files.createDirectory(dir.resolve("shared"));
        Path managed = shared.resolve("f");
        Path link = shared.resolve("link");
        Path real = shared.resolve("real");
        Files.writeString(managed, "");
        Path yaml = Files.writeString(dir.resolve("race.yaml"), """
                graph: race
                resources:
                  file:
                  - name: f
                    path: %s
                    mode: "0644"
                """.formatted(managed));
        Map<String, Object> before = attributes(victim);

        try (MgmtProcess mgmt = MgmtProcess.start("run", "--yaml", yaml.toString())) {
            mgmt.await("the file's mode set", () -> mode(managed) == 0644);

            long started = System.nanoTime();
            int flips = 0;
            boolean won = false;
            while (flips < MAX_FLIPS && System.nanoTime() - started < MAX_FLIPPING) {
                // Ready: a fresh file with the wrong mode, so that mgmt has something to fix, and
                // a symlink to the victim.
                Files.createFile(real, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.createSymbolicLink(link, victim);
                // The symlink in, and at once the fresh file over it: mgmt mostly sees a file to
                // fix, and its fix now and then meets the symlink.
                Files.move(link, managed, StandardCopyOption.ATOMIC_MOVE);
                Files.move(real, managed, StandardCopyOption.ATOMIC_MOVE);
                flips += 2;
                if (!attributes(victim).equals(before)) {
                    won = true;
                    break;
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            long applied = count(mgmt.stdout(), "file[f]: applied in");
            long refused = count(mgmt.stdout(), "is a symlink, not a file");
            System.out.printf("mgmt run vs %d flips in %.1f s: %d applies, %d symlinks refused; victim %s%n", flips,
                    seconds, applied, refused, won ? "chmod'ed: " + attributes(victim) : "untouched");

            assertThat(won).as("the victim was changed through the symlink after %d flips (%.1f s)", flips, seconds)
                    .isFalse();
            assertThat(attributes(victim)).isEqualTo(before);
            assertThat(applied).as("mgmt kept fixing the real file meanwhile").isGreaterThan(1);
            mgmt.terminate();
        }
    }

    private static long count(String text, String what) {
        return text.lines().filter(l -> l.contains(what)).count();
    }

    private static Map<String, Object> attributes(Path p) throws IOException {
        return Files.readAttributes(p, "unix:mode,uid,gid,ino", LinkOption.NOFOLLOW_LINKS);
    }

    private static int mode(Path p) {
        try {
            return (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
        } catch (IOException e) {
            return -1;
        }
    }
}
