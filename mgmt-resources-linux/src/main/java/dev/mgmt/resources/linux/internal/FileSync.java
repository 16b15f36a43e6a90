package dev.mgmt.resources.linux.internal;

import static java.nio.file.StandardOpenOption.READ;

import dev.mgmt.api.MissingPrerequisite;
import dev.mgmt.resources.linux.internal.FileHandle.Stat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Check and apply for one file or directory, as the {@code file} resource describes it.
 *
 * <p>Content is replaced atomically: a temp file {@code .<name>.mgmt-<16 hex>} is written in
 * the same directory (created {@code 0600}), given its owner and mode, made durable, renamed
 * over the target, and the rename made durable ({@link Replacement}); the files being replaced
 * at the same time share those flushes ({@link GroupFlush}). A process killed mid-write leaves the target
 * untouched and, at worst, a temp file; the first write into a directory by a later process
 * removes the stale temps of that same name.
 *
 * <p>Nothing here follows a symlink at the path, nor changes anything by path that it checked
 * through another look-up: the path is opened once per check or apply ({@link FileHandle}),
 * and content is compared, and owner and mode set, through that descriptor; a new file gets
 * them on the temp file's own descriptor before the rename. So someone who can write in the
 * directory and swaps the file for a symlink (or for another file) at any moment never gets
 * mgmt to change what the symlink points to (or what was not checked). A symlink at the path
 * stays "a symlink, not a file": refused, or with {@code force} replaced by the rename. A
 * directory tree is removed relative to descriptors too (see {@link #deleteTree}).
 *
 * <p>In place, owner, group and mode are never changed on a regular file with more than one
 * hard link, nor is a file made set-id unless it already belongs to the wanted owner (see
 * {@link #inPlaceRefusal}); when content or source is managed, such a file is replaced by a
 * new one instead, which gets them on its own inode.
 */
public final class FileSync {

    private static final Logger log = LoggerFactory.getLogger(FileSync.class);

    private static final int CHUNK = 64 * 1024;
    /** {@code S_ISUID | S_ISGID}. */
    private static final int SET_ID = 06000;
    private static final String TEMP_TAG = ".mgmt-";
    private static final int TEMP_HEX = 16;
    private static final Pattern TEMP = Pattern.compile("\\..*\\.mgmt-[0-9a-f]{16}");
    /** Temp files found at the first write into each directory, not yet removed. */
    private static final Map<Path, Set<String>> STALE = new ConcurrentHashMap<>();

    private final Path path;
    private final boolean directory;
    private final boolean absent;
    private final byte[] content;
    private final Path source;
    private final String owner;
    private final String group;
    private final Integer mode;
    private final boolean recurse;
    private final boolean force;

    /**
     * @param path      absolute and normalised, without a trailing slash
     * @param directory manage a directory rather than a file
     * @param absent    remove whatever is at {@code path}
     * @param content   the exact bytes of the file, or {@code null} to leave content alone
     * @param source    a file to copy content from, or {@code null}; with {@code directory}, a
     *                  directory whose tree is copied (see {@link TreeCopy})
     * @param owner     a user name or uid, or {@code null}
     * @param group     a group name or gid, or {@code null}
     * @param mode      permission bits (up to {@code 07777}), or {@code null}
     * @param recurse   create missing parent directories; remove non-empty directories
     * @param force     replace a thing of the wrong type; remove non-empty directories
     */
    public FileSync(Path path, boolean directory, boolean absent, byte[] content, Path source, String owner,
                    String group, Integer mode, boolean recurse, boolean force) {
        this.path = path;
        this.directory = directory;
        this.absent = absent;
        this.content = content;
        this.source = source;
        this.owner = owner;
        this.group = group;
        this.mode = mode;
        this.recurse = recurse;
        this.force = force;
    }

    /**
     * Whether the real state matches. Reads only. Throws what {@link #apply()} would refuse
     * before changing anything (a missing parent directory without {@code recurse}, a source
     * tree holding a symlink), so that a noop run fails the same way.
     */
    public boolean check() throws IOException {
        try (FileHandle h = FileHandle.open(path)) {
            if (h == null && !absent && !recurse) {
                requireParent();
            }
            boolean ok = check(h);
            if (!ok && directory && source != null && !absent && (h == null || !h.opened().dir())) {
                new TreeCopy(source, force).check(null); // only for what the copy would refuse
            }
            return ok;
        }
    }

    private boolean check(FileHandle h) throws IOException {
        Stat st = h == null ? null : h.opened();
        if (absent) {
            return st == null;
        }
        if (st == null || (directory ? !st.dir() : !st.regular())) {
            return false;
        }
        if (mode != null && st.perm() != mode) {
            return false;
        }
        if (owner != null && st.uid() != Ids.uid(owner)) {
            return false;
        }
        if (group != null && st.gid() != Ids.gid(group)) {
            return false;
        }
        if (!directory) {
            if (content != null) {
                return sameContent(h, st.size());
            }
            if (source != null) {
                return sameAsSource(h);
            }
        } else if (source != null) {
            try (Dir tree = openTree(path, st)) {
                return new TreeCopy(source, force).check(tree);
            }
        }
        return true;
    }

    /**
     * Makes the real state match. New content is written aside at once; the returned
     * {@link Mono} renames it into place once it is durable ({@link GroupFlush}: the files that
     * many resources write at the same time share their flushes), and ends once the rename is
     * durable too. Cancelled before the rename, it leaves the target as it was and removes
     * what it wrote aside.
     *
     * @return what changed, for example {@code created}, {@code content}, {@code mode 0644}
     */
    public Mono<List<String>> apply() {
        return Mono.fromCallable(this::change)
                // Cancelled while it wrote: what it wrote aside is not left behind.
                .doOnDiscard(Change.class, c -> {
                    if (c.replacement() != null) {
                        c.replacement().end();
                    }
                })
                .flatMap(c -> c.replacement() == null ? Mono.just(c.changes())
                        : c.replacement().commit().thenReturn(c.changes()));
    }

    /** {@link #apply()}, waiting for it: for a caller on a thread that may block. */
    public List<String> applyNow() throws IOException {
        if (GroupFlush.SHARED.flushingHere()) {
            // It would wait for a flush that only this thread can run.
            throw new IllegalStateException("a file was written while this thread flushes for others: " + path);
        }
        try {
            return apply().block();
        } catch (RuntimeException e) {
            if (Exceptions.unwrap(e) instanceof IOException io) {
                throw io;
            }
            throw e;
        }
    }

    /** What {@link #change()} did, and the new content it wrote aside, if any, to put in place. */
    private record Change(List<String> changes, Replacement replacement) {
    }

    private Change change() throws IOException {
        List<String> changes = new ArrayList<>(3);
        Replacement replacement = null;
        try (FileHandle h = FileHandle.open(path)) {
            Stat st = h == null ? null : h.opened();
            if (absent) {
                if (st != null) {
                    remove(st);
                    changes.add("removed");
                }
            } else if (directory) {
                applyDirectory(h, st, changes);
            } else {
                replacement = applyFile(h, st, changes);
            }
        }
        return new Change(changes, replacement);
    }

    // ------------------------------------------------------------------ absent

    private void remove(Stat st) throws IOException {
        if (st.dir()) {
            try {
                Files.delete(path);
            } catch (DirectoryNotEmptyException e) {
                if (!recurse && !force) {
                    throw new IOException("path: directory " + path + " is not empty; set recurse or force to"
                            + " remove it with everything in it (a reversal does so only when the directory it"
                            + " undoes had both recurse and force)");
                }
                deleteTree(path);
            }
        } else {
            Files.delete(path);
        }
        fsyncDirectory(path.getParent());
    }

    // ------------------------------------------------------------------ directory

    private void applyDirectory(FileHandle h, Stat st, List<String> changes) throws IOException {
        if (st != null && !st.dir()) {
            if (!force) {
                throw new IOException("path: " + path + " is a " + st.type() + ", not a directory; set force to replace it");
            }
            Files.delete(path);
            changes.add("removed " + st.type());
            st = null;
        }
        Stat held = st;
        if (st == null) {
            ensureParent(changes);
            Files.createDirectory(path);
            changes.add("created");
            try (FileHandle made = FileHandle.open(path)) {
                if (made == null || !made.opened().dir()) {
                    throw new NoSuchFileException(path.toString(), null, "removed or replaced right after it was created");
                }
                held = made.opened();
                fixAttributes(made, held, changes);
            }
            fsyncDirectory(path.getParent());
        } else {
            fixAttributes(h, st, changes);
        }
        if (source != null) {
            try (Dir tree = openTree(path, held)) {
                changes.addAll(new TreeCopy(source, force).apply(tree));
            }
        }
    }

    /**
     * The directory at {@code path} to copy the tree into, if it is still the one {@code held}
     * describes (same {@code dev}/{@code ino}): the one whose attributes were checked or set
     * through another descriptor. A directory swapped in meanwhile is refused, not filled.
     */
    static Dir openTree(Path path, Stat held) throws IOException {
        Dir tree = Dir.open(path);
        try {
            if (!tree.stat().sameFile(held)) {
                throw new FileSystemException(path.toString(), null, "path: was replaced by another directory while"
                        + " mgmt was working on it; nothing copied into it (the next run looks again)");
            }
            return tree;
        } catch (IOException | RuntimeException e) {
            tree.close();
            throw e;
        }
    }

    // ------------------------------------------------------------------ file

    /** Changes the file in place, or writes its new content aside: that is returned, to be put in place. */
    private Replacement applyFile(FileHandle h, Stat st, List<String> changes) throws IOException {
        Stat prior = st;
        if (st != null && !st.regular()) {
            if (!force) {
                throw new IOException("path: " + path + " is a " + st.type() + ", not a file; set force to replace it");
            }
            if (st.dir()) {
                deleteTree(path);
            }
            // Anything else (a symlink, a fifo) is replaced by the rename itself.
            changes.add("replaced " + st.type());
            prior = null;
        }
        boolean write = prior == null
                || content != null && !sameContent(h, prior.size())
                || source != null && !sameAsSource(h);
        String unsafe = null;
        if (!write) {
            unsafe = inPlaceRefusal(prior);
            if (unsafe == null || content == null && source == null) {
                fixAttributes(h, prior, changes);
                return null;
            }
            // The content is mgmt's to write: write it to a new inode, with the owner and mode,
            // rather than change this one in place (see inPlaceRefusal).
            write = true;
        }
        ensureParent(changes);
        Replacement replacement = writeAside(prior);
        Stat written = replacement.written();
        if (st == null) {
            changes.add("created");
        } else if (unsafe != null) {
            changes.add(prior.nlink() > 1 ? "replaced (it had " + prior.nlink() + " hard links)"
                    : "replaced (it was owned by uid " + prior.uid() + ")");
        } else if (prior != null) {
            changes.add("content");
        }
        describeAttributes(prior, written, changes);
        return replacement;
    }

    /**
     * Writes the desired content next to the target and gives it its owner and mode through its
     * own descriptor; {@link Replacement#commit} makes it durable and renames it over the target.
     */
    private Replacement writeAside(Stat prior) throws IOException {
        Path dir = path.getParent();
        String prefix = tempPrefix(path.getFileName().toString());
        sweepStaleTemps(dir, prefix);
        Path tmp;
        FileHandle out;
        for (;;) {
            tmp = dir.resolve(prefix + hex(ThreadLocalRandom.current().nextLong()));
            try {
                // Created 0600 (or less, by the umask): nobody else reads it half-written.
                out = FileHandle.createTemp(tmp);
                break;
            } catch (FileAlreadyExistsException e) {
                // another temp by that name; draw again
            }
        }
        GroupFlush.Ticket ticket = null;
        boolean handedOn = false;
        try {
            // Before the first write: a write-back error reported from here on fails this file's flush.
            ticket = GroupFlush.SHARED.begin(dir, out.opened().dev(), out);
            int uid = -1;
            int gid = -1;
            if (content != null) {
                out.write(content, 0, content.length);
            } else if (source != null) {
                copyFrom(source, out);
            }
            // A new file with no owner or group asked for keeps the process's: no need to look.
            if (owner != null || group != null || prior != null) {
                Stat t = out.stat();
                uid = owner != null ? Ids.uid(owner) : prior != null ? prior.uid() : t.uid();
                gid = group != null ? Ids.gid(group) : prior != null ? prior.gid() : t.gid();
                keepOwner(out, t, uid, gid);
            }
            int perm = mode != null ? mode : prior != null ? prior.perm() : Umask.newFilePermissions();
            if (mode == null && prior != null && (perm & SET_ID) != 0 && (uid != prior.uid() || gid != prior.gid())) {
                // Kept from the file replaced, for another owner: drop the set-id bits, as
                // chown(2) does; only a managed mode makes a file set-id for a new owner.
                perm &= ~SET_ID;
            }
            out.chmod(perm);
            Stat made = out.opened();
            Replacement r = new Replacement(GroupFlush.SHARED, ticket, tmp, path, out,
                    new Stat(FileHandle.S_IFREG | perm, uid, gid, 0, 1, made.dev(), made.ino()));
            handedOn = true;
            return r;
        } finally {
            if (!handedOn) {
                out.close();
                Replacement.discard(tmp, path);
                if (ticket != null) {
                    GroupFlush.SHARED.end(ticket);
                }
            }
        }
    }

    private void keepOwner(FileHandle tmp, Stat t, int uid, int gid) throws IOException {
        if (uid == t.uid() && gid == t.gid()) {
            return;
        }
        try {
            if (uid != t.uid()) {
                tmp.chown(uid, -1);
            }
            if (gid != t.gid()) {
                tmp.chown(-1, gid);
            }
        } catch (FileSystemException e) {
            if (owner != null || group != null) {
                throw e;
            }
            log.debug("{}: could not keep owner {}:{}: {}", path, uid, gid, e.getMessage());
        }
    }

    private static void copyFrom(Path source, FileHandle out) throws IOException {
        try (FileChannel in = FileChannel.open(source, READ)) {
            ByteBuffer buf = ByteBuffer.allocate(CHUNK);
            // To the end as it is now: a source that grows while we copy gives the rest too.
            while (in.read(buf) > 0) {
                out.write(buf.array(), 0, buf.position());
                buf.clear();
            }
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(source.toString(), null, "source does not exist");
        }
    }

    /**
     * Removes temp files of this name left by a process that was killed mid-write. The
     * directory is listed once per JVM, at its first write.
     */
    private static void sweepStaleTemps(Path dir, String prefix) {
        Set<String> stale = STALE.computeIfAbsent(dir, FileSync::listTemps);
        if (stale.isEmpty()) {
            return;
        }
        for (Iterator<String> it = stale.iterator(); it.hasNext(); ) {
            String n = it.next();
            if (n.length() == prefix.length() + TEMP_HEX && n.startsWith(prefix)) {
                it.remove();
                // Through the directory's descriptor: unlinkat never removes a directory, and only
                // a regular file of ours (see TreeCopy.leftTemp) is removed; the rest is not ours.
                try (Dir d = Dir.open(dir)) {
                    Stat st = d.stat(n);
                    if (st != null && TreeCopy.leftTemp(st)) {
                        d.unlink(n);
                        log.info("removed stale temp file {}", dir.resolve(n));
                    }
                } catch (IOException e) {
                    log.warn("could not remove stale temp file {}: {}", dir.resolve(n), e.toString());
                }
            }
        }
    }

    private static Set<String> listTemps(Path dir) {
        Set<String> found = ConcurrentHashMap.newKeySet();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (n.startsWith(".") && n.contains(TEMP_TAG) && TEMP.matcher(n).matches()) {
                    found.add(n);
                }
            }
        } catch (IOException e) {
            log.debug("could not list {} for stale temp files: {}", dir, e.toString());
        }
        return found;
    }

    /** {@code .<name>.mgmt-}, with the name cut so that the whole temp name fits in 255 bytes. */
    static String tempPrefix(String name) {
        String n = name;
        while (n.getBytes(StandardCharsets.UTF_8).length > 200) {
            n = n.substring(0, n.offsetByCodePoints(0, n.codePointCount(0, n.length()) - 1));
        }
        return "." + n + TEMP_TAG;
    }

    private static String hex(long v) {
        String h = Long.toHexString(v);
        return "0".repeat(TEMP_HEX - h.length()) + h;
    }

    // ------------------------------------------------------------------ shared steps

    private void ensureParent(List<String> changes) throws IOException {
        Path parent = path.getParent();
        if (Files.isDirectory(parent)) {
            return;
        }
        if (!recurse) {
            requireParent();
        }
        Files.createDirectories(parent);
        changes.add("created parent directories");
    }

    /** Refuses a missing parent directory (without {@code recurse}), in check and apply alike. */
    private void requireParent() throws MissingPrerequisite {
        Path parent = path.getParent();
        if (Files.isDirectory(parent)) {
            return;
        }
        String what = Files.exists(parent, LinkOption.NOFOLLOW_LINKS) ? " is not a directory" : " does not exist";
        throw new MissingPrerequisite("parent directory " + parent + what
                + " (create it with a file resource or set recurse: true)");
    }

    /**
     * Owner, group and mode in place, through the descriptor that {@code st} was read from
     * (never by path, which would follow a symlink swapped in since); chown first, since it
     * clears set-id bits.
     */
    private void fixAttributes(FileHandle h, Stat st, List<String> changes) throws IOException {
        String refusal = inPlaceRefusal(st);
        if (refusal != null) {
            throw new IOException(refusal);
        }
        boolean chowned = false;
        if (owner != null) {
            int uid = Ids.uid(owner);
            if (uid != st.uid()) {
                h.chown(uid, -1);
                changes.add("owner " + owner);
                chowned = true;
            }
        }
        if (group != null) {
            int gid = Ids.gid(group);
            if (gid != st.gid()) {
                h.chown(-1, gid);
                changes.add("group " + group);
                chowned = true;
            }
        }
        if (mode != null) {
            int now = chowned ? h.stat().perm() : st.perm();
            if (now != mode) {
                h.chmod(mode);
            }
            if (st.perm() != mode) {
                changes.add("mode " + octal(mode));
            }
        }
    }

    /**
     * Why owner, group and mode may not be set in place on the regular file {@code st}
     * describes, as a sentence starting with the path; {@code null} when they may, or when
     * nothing needs changing. Two cases (issue 11), both about a file that someone who can
     * write in the directory may have put there:
     * <ul>
     *   <li><b>More than one hard link.</b> {@code O_NOFOLLOW} stops symlinks only: a hard link
     *       to another file (say {@code /etc/shadow}, where {@code fs.protected_hardlinks} is 0,
     *       as in many containers) is that file. A change through one name changes every name,
     *       so nothing is changed in place on a file with {@code nlink > 1}.</li>
     *   <li><b>Set-id bits on someone else's file.</b> Making a file set-user-ID or
     *       set-group-ID grants its owner's rights to whoever runs it; whoever owns the file
     *       chose its content. So set-id bits are added (or kept across a change of owner or
     *       group, which clears them) only on a file already owned by the wanted owner: the
     *       managed {@code owner}, or when none is managed, this process's own uid, the only
     *       identity mgmt can vouch for without being told (what mgmt would own had it created
     *       the file). A file of another user that is meant to be set-id says so with
     *       {@code owner}. Directories are not concerned (set-gid on a directory grants
     *       nothing; no hard links).</li>
     * </ul>
     * With {@code content} or {@code source} managed, the caller writes a new file instead,
     * which gets the owner and mode on its own inode, and never touches the one found.
     */
    private String inPlaceRefusal(Stat st) throws IOException {
        if (!st.regular()) {
            return null;
        }
        int uid = owner != null ? Ids.uid(owner) : st.uid();
        int gid = group != null ? Ids.gid(group) : st.gid();
        boolean chown = uid != st.uid() || gid != st.gid();
        boolean chmod = mode != null && (mode != st.perm() || chown && (mode & SET_ID) != 0);
        if (!chown && !chmod) {
            return null;
        }
        if (st.nlink() > 1) {
            return "path: " + path + " has " + st.nlink() + " hard links, so changing its "
                    + (chown ? chmod ? "owner and mode" : "owner" : "mode") + " would change the same file under"
                    + " every other name too (a hard link to another file may have been put there); refused. Make"
                    + " it the file's only link, or manage its content (content or source) so that mgmt replaces"
                    + " it with a new file";
        }
        if (mode != null && (mode & SET_ID) != 0 && ((mode & SET_ID & ~st.perm()) != 0 || chown)) {
            int vouched = owner != null ? uid : FileHandle.euid();
            if (st.uid() != vouched) {
                return "path: " + path + " is owned by uid " + st.uid() + ", not by " + (owner != null
                        ? "its owner " + owner + " (uid " + uid + ")" : "mgmt's uid " + vouched + " (no owner is managed)")
                        + "; mgmt does not make someone else's file set-user-ID or set-group-ID (mode "
                        + octal(mode) + ") in place, since whoever owns it chose its content; refused. Give it that"
                        + " owner first" + (owner != null ? "" : " or name its owner with owner")
                        + ", or manage its content (content or source) so that mgmt writes the file itself";
            }
        }
        return null;
    }

    private void describeAttributes(Stat prior, Stat now, List<String> changes) {
        if (owner != null && (prior == null || prior.uid() != now.uid())) {
            changes.add("owner " + owner);
        }
        if (group != null && (prior == null || prior.gid() != now.gid())) {
            changes.add("group " + group);
        }
        if (mode != null && (prior == null || prior.perm() != mode)) {
            changes.add("mode " + octal(mode));
        }
    }

    /** Whether the file held by {@code h} has exactly {@link #content}. */
    private boolean sameContent(FileHandle h, long size) throws IOException {
        if (size != content.length) {
            return false;
        }
        byte[] buf = new byte[Math.min(CHUNK, Math.max(1, content.length))];
        int off = 0;
        while (off < content.length) {
            int n = h.read(buf, Math.min(buf.length, content.length - off));
            if (n <= 0) {
                return false;
            }
            if (!Arrays.equals(buf, 0, n, content, off, off + n)) {
                return false;
            }
            off += n;
        }
        // Grown since the stat?
        return h.read(buf, 1) <= 0;
    }

    /** Whether the file held by {@code h} has the source's content. */
    private boolean sameAsSource(FileHandle h) throws IOException {
        FileChannel in;
        try {
            in = FileChannel.open(source, READ);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(source.toString(), null, "source does not exist");
        }
        try (in) {
            byte[] mine = new byte[CHUNK];
            ByteBuffer theirs = ByteBuffer.allocate(CHUNK);
            for (;;) {
                theirs.clear();
                int n = in.read(theirs);
                if (n <= 0) {
                    return h.read(mine, 1) <= 0;
                }
                int got = 0;
                while (got < n) {
                    int m = h.read(mine, n - got);
                    if (m <= 0) {
                        return false;
                    }
                    if (!Arrays.equals(mine, 0, m, theirs.array(), got, got + m)) {
                        return false;
                    }
                    got += m;
                }
            }
        }
    }

    /** Removes the directory {@code root} with everything in it; see {@link FileHandle#deleteTree}. */
    private static void deleteTree(Path root) throws IOException {
        FileHandle.deleteTree(root);
    }

    /** Makes a rename or removal in {@code dir} durable. */
    private static void fsyncDirectory(Path dir) throws IOException {
        DirectorySync.fsync(dir);
    }

    /**
     * Binds the C library's calls a first check and watch make, ahead of them: for
     * {@link dev.mgmt.api.WarmUp}. Changes nothing on the machine. When they cannot be bound,
     * says why once, as a warning: every file resource then fails with an error that no longer
     * can (the JVM keeps a failed class initialization, not its reason).
     */
    public static void warmUp() {
        try {
            FileHandle.warmUp();
        } catch (ClassNotFoundException | LinkageError e) {
            log.warn("file resources cannot use the C library here, and each will fail: {}", e.toString());
        }
    }

    /** {@code 0644} for 420. */
    public static String octal(int mode) {
        return String.format("%04o", mode);
    }

    /** Parses an octal mode such as {@code 0644} or {@code 1777}; {@code -1} when it is not one. */
    public static int parseMode(String text) {
        if (text == null || text.isEmpty() || text.length() > 5) {
            return -1;
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '7') {
                return -1;
            }
        }
        int v = Integer.parseInt(text, 8);
        return v <= 07777 ? v : -1;
    }

}
