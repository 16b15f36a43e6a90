package dev.mgmt.resources.linux.internal;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import java.io.IOException;

/** Resolves user and group names to numeric ids through the C library (so NSS applies). */
final class Ids {

    private Ids() {
    }

    /** The uid of a user name, or the number itself when {@code owner} is numeric. */
    static int uid(String owner) throws IOException {
        return resolve(owner, false);
    }

    /** The gid of a group name, or the number itself when {@code group} is numeric. */
    static int gid(String group) throws IOException {
        return resolve(group, true);
    }

    static boolean numeric(String s) {
        if (s.isEmpty() || s.length() > 10) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return Long.parseLong(s) <= 0xFFFFFFFEL;
    }

    private static int resolve(String name, boolean group) throws IOException {
        if (numeric(name)) {
            return (int) Long.parseLong(name);
        }
        try {
            return lookup(name, group);
        } catch (LinkageError e) {
            throw new IOException((group ? "group" : "owner") + ": cannot look up '" + name
                    + "' without the C library: " + e, e);
        }
    }

    private static int lookup(String name, boolean group) throws IOException {
        long size = 16 * 1024;
        for (;;) {
            // struct passwd and struct group both keep the id after two pointers (name, password).
            try (Memory record = new Memory(64); Memory buf = new Memory(size); Memory result = new Memory(Native.POINTER_SIZE)) {
                result.setPointer(0, null);
                int rc = group
                        ? LibC.getgrnam_r(name, record, buf, new NativeLong(size), result)
                        : LibC.getpwnam_r(name, record, buf, new NativeLong(size), result);
                if (rc == LibC.ERANGE && size < 1 << 22) {
                    size *= 4;
                    continue;
                }
                if (rc != 0) {
                    throw new IOException((group ? "group" : "owner") + ": cannot look up '" + name + "': "
                            + Inotify.describe(rc));
                }
                if (result.getPointer(0) == null) {
                    throw new IOException((group ? "group: no such group '" : "owner: no such user '") + name + "'");
                }
                return record.getInt(2L * Native.POINTER_SIZE);
            }
        }
    }
}
