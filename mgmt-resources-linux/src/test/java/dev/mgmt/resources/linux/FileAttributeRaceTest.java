package dev.mgmt.resources.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The symlink race of issue 11 (finding 3), played against {@code check}/{@code apply} called
 * in a tight loop, as the engine does on every watch event.
 *
 * <p>Someone who can write in a managed file's directory (but not the victim file) swaps the
 * managed file for a symlink to a victim, as fast as one {@code renameat2(RENAME_EXCHANGE)}
 * allows, and puts a wrong mode (and, as root, a wrong owner) back on the real file every
 * time it is out of the way, so that mgmt always has something to fix. Before the fix, mgmt
 * looked without following links and then set mode and owner by path, which follows them:
 * the victim got mgmt's mode and owner within a few thousand flips. The third case swaps in
 * another regular file instead, between mgmt's look at the content and its chown/chmod;
 * setting attributes with the JDK's {@code NOFOLLOW_LINKS} views (a new look-up per call)
 * still lost that one within a few hundred rounds. Now the path is opened once with
 * {@code O_NOFOLLOW} and everything is checked and changed through that descriptor, so
 * nothing but what was checked is ever touched.
 *
 * <p>Bounded by a number of flips; the timeout catches hangs only.
 */
class FileAttributeRaceTest {

    /**
     * Swaps per symlink case. Before the fix, 12 runs of each were won after 510 to 10,600
     * swaps (file) and 4 to 31,100 (directory), always within 40 applies.
     */
    private static final int FLIPS = 100_000;
    /** Rounds for the case of another file swapped in; before the fix 11 runs were won after 12 to 800. */
    private static final int SWAPS = 4_000;
    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    @TempDir
    Path tmp;

    @Test
    @Timeout(120)
    void aFileSwappedForASymlinkNeverPassesItsModeOrOwnerToTheLinksTarget() throws Exception {
        Path victim = Files.writeString(tmp.resolve("victim"), "secret\n");
        Files.setAttribute(victim, "unix:mode", 0600);
        Path shared = Files.createDirectory(tmp.resolve("shared"));
        Path managed = Files.writeString(shared.resolve("f"), "");
        Files.setAttribute(managed, "unix:mode", 0600);
        Path aside = Files.createSymbolicLink(shared.resolve("aside"), victim);

        race(FileResource.builder("f").path(managed.toString()).mode("0644"), managed, aside, victim);
    }

    @Test
    @Timeout(120)
    void aDirectorySwappedForASymlinkNeverPassesItsModeOrOwnerToTheLinksTarget() throws Exception {
        Path victim = Files.createDirectory(tmp.resolve("victim"));
        Files.setAttribute(victim, "unix:mode", 0700);
        Path shared = Files.createDirectory(tmp.resolve("shared"));
        Path managed = Files.createDirectory(shared.resolve("d"));
        Files.setAttribute(managed, "unix:mode", 0700);
        Path aside = Files.createSymbolicLink(shared.resolve("aside"), victim);

        race(FileResource.builder("d").path(managed + "/").mode("0755"), managed, aside, victim);
    }

    @Test
    @Timeout(120)
    void aFileSwappedForAnotherFileNeverGetsTheOwnerAndModeThatTheCheckedOneNeeded() throws Exception {
        assumeTrue(ROOT, "giving a file to another owner needs root");
        // A setuid-root file whose content mgmt manages, in a directory a local user can write:
        // that user makes fresh copies with the right content (their own, so mgmt has to chown
        // them) and swaps their own program in between mgmt's look at the content and its
        // chown/chmod. Winning makes their program setuid root.
        Path shared = Files.createDirectory(tmp.resolve("shared"));
        Path managed = shared.resolve("tool");
        Path aside = shared.resolve("aside");
        Path fresh = shared.resolve("fresh");
        Path evil = Files.writeString(Files.createDirectory(tmp.resolve("attacker")).resolve("evil"), "evil\n");
        own(evil, 0755);
        Files.move(own(Files.writeString(fresh, "good\n"), 0644), managed);
        FileResource r = FileResource.builder("tool").path(managed.toString()).content("good\n").owner("0").group("0")
                .mode("4755").build();
        race(r, evil, SWAPS, i -> {
            // Another fresh good copy into place, then the evil one in its stead.
            Files.move(own(Files.writeString(fresh, "good\n"), 0644), aside, StandardCopyOption.REPLACE_EXISTING);
            Probe.exchange(managed, aside);
            Files.delete(aside);
            Files.createLink(aside, evil);
            Probe.exchange(managed, aside);
        });
    }

    /** One step of the attacker: one or more swaps of what is at the managed path. */
    private interface Flip {
        void run(int i) throws IOException;
    }

    /**
     * Flips {@code managed} and {@code aside} (a symlink to {@code victim}) {@link #FLIPS} times
     * while the resource (as root, with an owner and group too) is checked and applied in a loop;
     * fails as soon as the victim changes.
     */
    private static void race(FileResource.Builder b, Path managed, Path aside, Path victim) throws Exception {
        FileResource r = ROOT ? b.owner("1234").group("4321").build() : b.build();
        race(r, victim, FLIPS, i -> {
            Probe.exchange(managed, aside);
            if (i % 2 == 1) {
                // The real thing is out of the way: make it need fixing again.
                Files.setAttribute(aside, "unix:mode", 0600, LinkOption.NOFOLLOW_LINKS);
                if (ROOT) {
                    Files.setAttribute(aside, "unix:uid", 0, LinkOption.NOFOLLOW_LINKS);
                    Files.setAttribute(aside, "unix:gid", 0, LinkOption.NOFOLLOW_LINKS);
                }
            }
        });
    }

    /**
     * Runs {@code flip} {@code rounds} times on one thread while {@code r} is checked and applied
     * in a loop on this one; fails as soon as the victim's mode or owner changes.
     */
    private static void race(FileResource r, Path victim, int rounds, Flip flip) throws Exception {
        Map<String, Object> before = attributes(victim);
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger flips = new AtomicInteger();
        AtomicReference<String> won = new AtomicReference<>();
        AtomicReference<Throwable> broke = new AtomicReference<>();
        Thread attacker = new Thread(() -> {
            try {
                for (int i = 1; i <= rounds && won.get() == null; i++) {
                    flip.run(i);
                    flips.set(i);
                    if (i % 64 == 0 && !attributes(victim).equals(before)) {
                        won.compareAndSet(null, "after " + i + " flips: " + attributes(victim));
                    }
                }
            } catch (Throwable t) {
                broke.set(t);
            } finally {
                done.set(true);
            }
        }, "attacker");

        long started = System.nanoTime();
        attacker.start();
        int applies = 0;
        int refused = 0;
        while (!done.get()) {
            try {
                if (!r.check().block()) {
                    r.apply().block();
                    applies++;
                }
            } catch (RuntimeException e) {
                refused++; // a symlink, or a thing swapped while mgmt looked: refused, as it should be
            }
            if (won.get() == null && !attributes(victim).equals(before)) {
                won.compareAndSet(null, "after " + flips.get() + " flips: " + attributes(victim));
            }
        }
        attacker.join();
        if (broke.get() != null) {
            throw new AssertionError("the attacker itself failed", broke.get());
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("%s: %d flips, %d applies, %d refused in %.1f s; victim %s%n", r, flips.get(), applies,
                refused, seconds, won.get() == null ? "untouched" : "changed " + won.get());
        assertThat(won.get()).as("mgmt changed the mode or owner of what was swapped in").isNull();
        assertThat(attributes(victim)).isEqualTo(before);
        assertThat(applies).as("mgmt did fix the real thing in between").isPositive();
    }

    /** Gives {@code p} to the attacker (uid 1234, gid 4321) with {@code mode}. */
    private static Path own(Path p, int mode) throws IOException {
        Files.setAttribute(p, "unix:uid", 1234, LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(p, "unix:gid", 4321, LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(p, "unix:mode", mode, LinkOption.NOFOLLOW_LINKS);
        return p;
    }

    private static Map<String, Object> attributes(Path p) {
        try {
            return Files.readAttributes(p, "unix:mode,uid,gid", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
