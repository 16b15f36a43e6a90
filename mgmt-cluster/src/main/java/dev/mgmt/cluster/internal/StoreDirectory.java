package dev.mgmt.cluster.internal;

import dev.mgmt.cluster.ClusterException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One incarnation's Raft directory, {@code <parent>/<member id>}, readable by its owner only
 * (0700, as is the parent): it holds the store in clear text. The incarnation holds a lock on
 * {@value #LOCK} inside it while it lives; opening a new one first deletes every sibling whose
 * lock nobody holds, which is what a killed host leaves behind. Closing deletes the directory:
 * member ids are never reused, so nothing in it is needed again.
 */
public final class StoreDirectory implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StoreDirectory.class);

    /** The lock file that marks a directory as an incarnation's; only such directories are ever deleted. */
    static final String LOCK = ".mgmt-store.lock";

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
    /** A directory being made is named so; {@link #wipeDead} never looks at it. */
    private static final String MAKING = ".making-";
    /**
     * Lock files this JVM holds. Their liveness is never probed by opening them again: closing
     * any channel of a file releases every lock the JVM holds on it (POSIX record locks).
     */
    private static final Set<Path> HELD = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final Path dir;
    private final FileChannel channel;

    private StoreDirectory(Path dir, FileChannel channel) {
        this.dir = dir;
        this.channel = channel;
    }

    /**
     * Makes {@code parent} (0700) and {@code parent/memberId} (0700, locked), after deleting the
     * directories of dead incarnations in {@code parent}.
     *
     * @throws ClusterException naming the directory when it cannot be made or locked
     */
    public static StoreDirectory open(Path parent, String memberId) {
        Path dir = parent.resolve(memberId);
        try {
            ownerOnly(parent);
            wipeDead(parent);
            // Made and locked under a name wipeDead skips, then renamed: another host's wipeDead
            // never sees the lock file before it is locked. The lock stays with the file.
            Path making = parent.resolve(MAKING + memberId);
            ownerOnly(making);
            FileChannel ch = FileChannel.open(making.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            if (ch.tryLock() == null) {
                ch.close();
                throw new ClusterException("the store's data directory " + dir + " is in use by another process");
            }
            Files.move(making, dir, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            HELD.add(dir.resolve(LOCK).toAbsolutePath());
            return new StoreDirectory(dir, ch);
        } catch (IOException e) {
            throw new ClusterException("cannot create the store's data directory " + dir + ": " + e.getMessage(), e);
        }
    }

    public Path path() {
        return dir;
    }

    /** Releases the lock and deletes the directory. */
    @Override
    public void close() {
        HELD.remove(dir.resolve(LOCK).toAbsolutePath());
        try {
            channel.close();
        } catch (IOException e) {
            log.debug("cannot release {}: {}", dir, e.getMessage());
        }
        deleteTree(dir);
    }

    /** Deletes the incarnation directories in {@code parent} whose lock no live process holds. */
    static List<Path> wipeDead(Path parent) throws IOException {
        List<Path> candidates;
        try (Stream<Path> list = Files.list(parent)) {
            candidates = list.filter(d -> !d.getFileName().toString().startsWith(".")
                    && Files.isDirectory(d) && Files.isRegularFile(d.resolve(LOCK))).toList();
        }
        List<Path> wiped = new java.util.ArrayList<>();
        for (Path d : candidates) {
            if (dead(d.resolve(LOCK))) {
                deleteTree(d);
                wiped.add(d);
                log.info("removed the store directory {} of an incarnation that is no longer running", d);
            }
        }
        return wiped;
    }

    /** {@link #wipeDead} at start, for a host that may never serve the store; failures only logged. */
    public static void wipeDeadQuietly(Path parent) {
        if (!Files.isDirectory(parent)) {
            return;
        }
        try {
            wipeDead(parent);
        } catch (IOException | RuntimeException e) {
            log.debug("cannot look for dead store directories in {}: {}", parent, e.toString());
        }
    }

    private static boolean dead(Path lock) {
        if (HELD.contains(lock.toAbsolutePath())) {
            return false;
        }
        try (FileChannel ch = FileChannel.open(lock, StandardOpenOption.WRITE)) {
            FileLock l = ch.tryLock();
            if (l == null) {
                return false;
            }
            l.release();
            return true;
        } catch (OverlappingFileLockException e) {
            return false; // held in this JVM: a live incarnation
        } catch (IOException e) {
            return false; // not ours to judge
        }
    }

    private static void ownerOnly(Path dir) throws IOException {
        boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
        if (!Files.isDirectory(dir)) {
            if (posix) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } else {
                Files.createDirectories(dir);
            }
        }
        if (posix) {
            // createDirectories is subject to the umask, and the directory may be older.
            Files.setPosixFilePermissions(dir, OWNER_ONLY);
        }
    }

    /**
     * Deletes {@code dir} and what is in it, as far as it can, following no link. An entry that
     * vanishes meanwhile (Atomix deletes a leaving server's files on its own thread) is passed
     * over: listing the whole tree first, as {@code Files.walk} sorted does, gave up on the
     * whole tree at such an entry and threw past the caller's cleanup.
     */
    public static void deleteTree(Path dir) {
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    file.toFile().delete();
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) {
                    d.toFile().delete();
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            log.debug("cannot delete {}: {}", dir, e.getMessage());
        }
    }
}
