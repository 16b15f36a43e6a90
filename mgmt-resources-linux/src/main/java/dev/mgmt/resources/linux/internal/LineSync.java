package dev.mgmt.resources.linux.internal;

import dev.mgmt.resources.linux.internal.FileHandle.Stat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.List;

/**
 * Check and apply for one line of one file, as the {@code line} resource describes it.
 *
 * <p>The file is read through a descriptor opened with {@code O_NOFOLLOW} ({@link FileHandle}):
 * a symlink, a directory or a special file at the path is refused, never followed. The edited
 * content is written the way {@code file} writes content ({@link FileSync}): a temp file in
 * the same directory, given the old file's owner and mode, fsynced, renamed over the file, the
 * directory fsynced. A missing file is created with mode {@code 0600}, as mgmt's {@code line}
 * creates it (the line may be a secret; an existing file keeps its mode), but not its directory
 * ({@link dev.mgmt.api.MissingPrerequisite}, in the check too).
 *
 * <p>Edits of one file by line resources of this JVM are serialised, so two lines added at
 * once both land; a write by another program between the read and the rename is lost, as
 * with any editor that replaces a file, and the watch then sees the rename.
 */
public final class LineSync {

    private static final int CHUNK = 64 * 1024;
    /** mgmt's line opens a missing file with {@code O_CREATE, 0600}. */
    private static final int NEW_FILE_MODE = 0600;
    /** Lock stripes for the read-edit-rename of one path (a path always maps to the same one). */
    private static final Object[] LOCKS = new Object[64];

    static {
        for (int i = 0; i < LOCKS.length; i++) {
            LOCKS[i] = new Object();
        }
    }

    private final Path file;
    private final byte[] line;
    private final boolean absent;

    /**
     * @param file   absolute and normalised
     * @param line   the line's bytes, without an ending
     * @param absent remove every copy of the line rather than add it
     */
    public LineSync(Path file, byte[] line, boolean absent) {
        this.file = file;
        this.line = line;
        this.absent = absent;
    }

    /** Whether the file already has (or, when absent, lacks) the line. Reads only. */
    public boolean check() throws IOException {
        byte[] now = read();
        if (now == null) {
            // Nothing to remove; to add, the file is created: refused now if its directory is missing.
            return absent || writer(LineEdit.added(null, line), NEW_FILE_MODE).check();
        }
        return (LineEdit.count(now, line) > 0) != absent;
    }

    /**
     * Makes the file have (or lack) the line.
     *
     * @return what changed: {@code created}, {@code added}, {@code removed N lines}; empty for nothing
     */
    public List<String> apply() throws IOException {
        synchronized (LOCKS[Math.floorMod(file.hashCode(), LOCKS.length)]) {
            byte[] now = read();
            if (absent) {
                if (now == null) {
                    return List.of();
                }
                int n = LineEdit.count(now, line);
                if (n == 0) {
                    return List.of();
                }
                writer(LineEdit.removed(now, line), null).applyNow();
                return List.of(n == 1 ? "removed the line" : "removed the line " + n + " times");
            }
            byte[] next = LineEdit.added(now, line);
            if (next == now) {
                return List.of();
            }
            writer(next, now == null ? NEW_FILE_MODE : null).applyNow();
            return List.of(now == null ? "created with the line" : "added the line");
        }
    }

    /** @param mode for a new file; {@code null} to keep the existing file's mode */
    private FileSync writer(byte[] content, Integer mode) {
        return new FileSync(file, false, false, content, null, null, null, mode, false, false);
    }

    /** The file's bytes; {@code null} when nothing is at the path. */
    private byte[] read() throws IOException {
        try (FileHandle h = FileHandle.open(file)) {
            if (h == null) {
                return null;
            }
            Stat st = h.opened();
            if (!st.regular()) {
                throw new FileSystemException(file.toString(), null, "file: is a " + st.type()
                        + ", not a regular file; a line is kept only in a regular file (a symlink is never followed)");
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(st.size(), Integer.MAX_VALUE - 8));
            byte[] buf = new byte[CHUNK];
            for (int n; (n = h.read(buf, buf.length)) > 0; ) {
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        }
    }
}
