package dev.mgmt.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * The rule for files that hold a secret or a password: only their owner may read or write
 * them (mode 0600 or 0400). Looser files are refused, not warned about, since whoever else
 * could read one may already have.
 */
final class SecretFiles {

    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private SecretFiles() {
    }

    /**
     * Why {@code file} is too open, or null when only its owner may use it (or the file
     * system has no POSIX permissions). Through a symlink, the target's mode counts.
     *
     * @throws IOException when the file cannot be looked at (missing, no permission)
     */
    static String looseness(Path file) throws IOException {
        if (!Files.getFileStore(file).supportsFileAttributeView("posix")) {
            return null;
        }
        PosixFileAttributes attrs = Files.readAttributes(file, PosixFileAttributes.class);
        String foreign = foreignOwner(file);
        if (foreign != null) {
            return foreign;
        }
        Set<PosixFilePermission> open = EnumSet.noneOf(PosixFilePermission.class);
        open.addAll(attrs.permissions());
        open.retainAll(OTHERS);
        if (open.isEmpty()) {
            return null;
        }
        return "its mode is " + mode(attrs.permissions()) + " (" + PosixFilePermissions.toString(attrs.permissions())
                + "); a secret file must be readable by its owner only: chmod 600 " + file;
    }

    /**
     * Why the file's owner is neither this process's user nor root, or null. Another user who
     * owns it can read it, or replace it with a secret of their choosing, whatever its mode.
     */
    private static String foreignOwner(Path file) {
        try {
            int owner = (Integer) Files.getAttribute(file, "unix:uid");
            // /proc/self belongs to the process's (effective) user.
            int self = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            if (owner == self || owner == 0) {
                return null;
            }
            return "it belongs to user " + Files.getOwner(file).getName() + " (uid " + owner + "), not to this user (uid "
                    + self + ") or root; a secret file must be this user's own: chown and chmod 600 " + file;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
            return null; // no unix attributes here: the mode check is all there is
        }
    }

    private static String mode(Set<PosixFilePermission> perms) {
        int m = 0;
        for (PosixFilePermission p : perms) {
            m |= 1 << (8 - p.ordinal());
        }
        return String.format("%04o", m);
    }
}
