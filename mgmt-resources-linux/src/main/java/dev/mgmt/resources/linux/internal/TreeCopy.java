package dev.mgmt.resources.linux.internal;

import dev.mgmt.api.MissingPrerequisite;
import dev.mgmt.resources.linux.internal.FileHandle.Stat;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Makes the directory tree under a destination a copy of the tree under a source: the same
 * directories, and files with the same content and permission bits (without set-user-ID and
 * set-group-ID). With {@code force}, a thing of the wrong type is replaced and anything the
 * source does not have is removed; without it, the first is an error and the second is left
 * alone (and not a difference).
 *
 * <p>Both trees are walked through {@link Dir}: each directory opened relative to its parent's
 * descriptor with {@code O_NOFOLLOW|O_DIRECTORY}, each file with {@code O_NOFOLLOW}. A file
 * is never changed in place: one whose content or mode differs is written to a temp file in
 * its directory, given its mode through its own descriptor, fsynced and renamed over the old
 * one (so a hard link someone put in the tree never has its target changed). A directory's
 * mode is set through its own descriptor. A symlink or special file in the source is refused:
 * following it would let whoever can write in the source tree have any file mgmt can read
 * copied into the destination, and copying it as a link would put in the destination a link
 * to wherever it points, which nothing here checked.
 */
final class TreeCopy {

    private static final int CHUNK = 64 * 1024;
    private static final int SET_ID = 06000;
    /** Directory levels below the source; deeper is refused before a stack or the descriptors run out. */
    static final int MAX_DEPTH = 256;
    private static final Pattern TEMP = Pattern.compile("\\..*\\.mgmt-[0-9a-f]{16}");

    private final Path source;
    private final boolean force;
    private int copied;
    private int made;
    private int removed;
    private int modes;

    /** @param source the source directory, absolute and normalised */
    TreeCopy(Path source, boolean force) {
        this.source = source;
        this.force = force;
    }

    /**
     * Whether the tree under {@code dest} matches; reads only. With {@code dest} {@code null}
     * (it does not exist) the source is still walked, so that what the apply would refuse is
     * refused here too.
     */
    boolean check(Dir dest) throws IOException {
        try (Dir src = openSource()) {
            refuseOverlap(src, dest);
            return sync(src, dest, false, 0) && dest != null;
        }
    }

    /** Makes the tree under {@code dest} match; returns what changed, empty when nothing. */
    List<String> apply(Dir dest) throws IOException {
        try (Dir src = openSource()) {
            refuseOverlap(src, dest);
            sync(src, dest, true, 0);
        }
        List<String> out = new ArrayList<>(4);
        count(out, copied, "file", "files", "copied ");
        count(out, made, "directory", "directories", "created ");
        count(out, modes, "directory mode", "directory modes", "set ");
        count(out, removed, "entry", "entries", "removed ");
        return out;
    }

    private Dir openSource() throws IOException {
        try {
            return Dir.open(source);
        } catch (NoSuchFileException e) {
            throw new MissingPrerequisite("source: directory " + source + " does not exist");
        } catch (FileSystemException e) {
            throw new FileSystemException(source.toString(), null, "source: " + e.getReason());
        }
    }

    /**
     * Refuses trees that hold one another: a destination inside the source would be copied into
     * itself without end, and a source inside the destination would be removed by {@code force}
     * as something the source does not have. Asked of the trees themselves (their {@code ..}),
     * so a symlink in either path does not hide it.
     */
    private void refuseOverlap(Dir src, Dir dest) throws IOException {
        if (dest == null) {
            return; // not there yet: FileResource.validate compared the paths
        }
        if (dest.within(src)) {
            throw new FileSystemException(dest.path().toString(), null, "path: is inside the source " + source
                    + " (or is it); a tree is not copied into itself");
        }
        if (src.within(dest)) {
            throw new FileSystemException(source.toString(), null, "source: is inside the path " + dest.path()
                    + "; a tree is not copied from inside itself");
        }
    }

    /**
     * One directory level; {@code dst} is {@code null} when it does not exist (checking only).
     * A check does not stop at the first difference: it walks on (comparing no more content)
     * so that everything the apply would refuse is refused by the check as well.
     */
    private boolean sync(Dir src, Dir dst, boolean apply, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            // Each level holds two descriptors and a stack frame; this deep is no configuration tree.
            throw new FileSystemException(src.path().toString(), null, "source: more than " + MAX_DEPTH
                    + " directories deep; not copied");
        }
        boolean same = dst != null;
        Set<String> wanted = new HashSet<>();
        List<String> names = src.names();
        names.sort(null);
        boolean changed = false;
        for (String n : names) {
            Stat s = src.stat(n);
            if (s == null) {
                continue; // gone since listed: its event brings another run
            }
            wanted.add(n);
            Stat d = dst == null ? null : dst.stat(n);
            if (s.dir()) {
                int want = s.perm() & ~SET_ID;
                if (d != null && !d.dir()) {
                    refuseUnlessForced(dst, n, d, "a directory");
                    if (apply) {
                        dst.unlink(n);
                        removed++;
                    }
                    d = null;
                    same = false;
                }
                if (d == null && apply) {
                    // Made 0700, then given its mode through its descriptor: never looser on the way.
                    dst.mkdir(n, 0700);
                    made++;
                    changed = true;
                }
                try (Dir sc = src.child(n); Dir dc = d == null && !apply ? null : dst.child(n)) {
                    if (dc != null && dc.stat().perm() != want) {
                        same = false;
                        if (apply) {
                            dc.chmod(want);
                            if (d != null) {
                                modes++;
                            }
                        }
                    }
                    same &= sync(sc, dc, apply, depth + 1) && d != null;
                }
            } else if (s.regular()) {
                if (dst == null) {
                    continue;
                }
                if (d != null && !d.regular()) {
                    refuseUnlessForced(dst, n, d, "a file");
                }
                if (!apply) {
                    // Once a difference is known, content is not compared any more.
                    same = same && d != null && d.regular() && sameFile(src, dst, n);
                    continue;
                }
                if (d != null && d.regular() && sameFile(src, dst, n)) {
                    continue;
                }
                if (d != null && d.dir()) {
                    dst.removeTree(n);
                }
                // Anything else in the way (a symlink, a FIFO) is replaced by the rename itself.
                write(src, dst, n);
                copied++;
                changed = true;
                same = false;
            } else {
                throw new FileSystemException(src.path().resolve(n).toString(), null, "source: is a " + s.type()
                        + "; a source tree is copied without following symlinks, and only files and directories"
                        + " are copied");
            }
        }
        if (dst != null) {
            Dir.Listing found = dst.listing();
            for (String n : found.names()) {
                if (wanted.contains(n)) {
                    continue;
                }
                Stat d = null;
                if (TEMP.matcher(n).matches()) {
                    d = dst.stat(n);
                    if (d != null && leftTemp(d)) {
                        // A temp file of ours, left by a process killed mid-write: never a difference.
                        if (apply) {
                            dst.unlink(n);
                            changed = true;
                        }
                        continue;
                    }
                    // Named like one, but not one we could have made: an extra like any other.
                }
                if (!force) {
                    continue; // not in the source, and not ours to remove without force
                }
                same = false;
                if (!apply) {
                    break;
                }
                if (d == null) {
                    d = dst.stat(n);
                }
                if (d != null && d.dir()) {
                    dst.removeTree(n);
                } else if (d != null) {
                    dst.unlink(n);
                }
                removed++;
                changed = true;
            }
            // Names that are not UTF-8 cannot be in the source (it refuses them): extras, which
            // only force removes, by their bytes.
            for (byte[] raw : force ? found.notUtf8() : List.<byte[]>of()) {
                same = false;
                if (!apply) {
                    break;
                }
                dst.remove(raw);
                removed++;
                changed = true;
            }
            if (changed) {
                dst.fsync();
            }
        }
        return same;
    }

    /**
     * Whether a thing named like a temp file could be one we left: a regular file of this
     * process's user with one link (made with {@code O_EXCL}, {@code 0600}). A directory, a
     * symlink or another user's file by that name is someone else's, and only force removes it.
     */
    static boolean leftTemp(Stat d) {
        return d.regular() && d.uid() == FileHandle.euid() && d.nlink() == 1;
    }

    private void refuseUnlessForced(Dir dst, String n, Stat d, String wanted) throws IOException {
        if (!force) {
            throw new FileSystemException(dst.path().resolve(n).toString(), null, "path: is a " + d.type() + " where the"
                    + " source has " + wanted + "; set force to replace it");
        }
    }

    /** Whether {@code n} in {@code dst} has the content and mode of {@code n} in {@code src}. */
    private static boolean sameFile(Dir src, Dir dst, String n) throws IOException {
        try (FileHandle mine = dst.open(n); FileHandle theirs = openSourceFile(src, n)) {
            if (mine == null || !mine.opened().regular()) {
                return false;
            }
            Stat m = mine.opened();
            Stat t = theirs.opened();
            if (m.perm() != (t.perm() & ~SET_ID) || m.size() != t.size()) {
                return false;
            }
            byte[] a = new byte[CHUNK];
            byte[] b = new byte[CHUNK];
            for (;;) {
                int got = theirs.read(b, CHUNK);
                if (got <= 0) {
                    return mine.read(a, 1) <= 0;
                }
                int off = 0;
                while (off < got) {
                    int k = mine.read(a, got - off);
                    if (k <= 0 || !Arrays.equals(a, 0, k, b, off, off + k)) {
                        return false;
                    }
                    off += k;
                }
            }
        }
    }

    private static FileHandle openSourceFile(Dir src, String n) throws IOException {
        FileHandle h = src.open(n);
        if (h == null) {
            throw new NoSuchFileException(src.path().resolve(n).toString(), null, "source: removed while being copied");
        }
        if (!h.opened().regular()) {
            h.close();
            throw new FileSystemException(src.path().resolve(n).toString(), null, "source: is no longer a file");
        }
        return h;
    }

    /** Writes {@code n} of {@code src} to a temp file in {@code dst} and renames it over {@code n}. */
    private static void write(Dir src, Dir dst, String n) throws IOException {
        String tmp;
        FileHandle out;
        for (;;) {
            tmp = FileSync.tempPrefix(n) + String.format("%016x", ThreadLocalRandom.current().nextLong());
            try {
                out = dst.createTemp(tmp);
                break;
            } catch (FileAlreadyExistsException e) {
                // another temp by that name; draw again
            }
        }
        boolean renamed = false;
        try {
            try (FileHandle w = out; FileHandle in = openSourceFile(src, n)) {
                byte[] buf = new byte[CHUNK];
                for (int k; (k = in.read(buf, CHUNK)) > 0; ) {
                    w.write(buf, 0, k);
                }
                w.chmod(in.opened().perm() & ~SET_ID);
                w.fsync();
            }
            dst.rename(tmp, n);
            renamed = true;
        } finally {
            if (!renamed) {
                try {
                    dst.unlink(tmp);
                } catch (IOException e) {
                    // best effort; a later apply removes it (see TEMP)
                }
            }
        }
    }

    private static void count(List<String> out, int n, String one, String many, String verb) {
        if (n > 0) {
            out.add(verb + n + " " + (n == 1 ? one : many));
        }
    }
}
