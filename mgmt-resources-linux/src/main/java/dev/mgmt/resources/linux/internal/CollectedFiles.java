package dev.mgmt.resources.linux.internal;

import dev.mgmt.api.CollectPolicy.Admission;
import dev.mgmt.api.CollectPolicy.Refused;
import dev.mgmt.api.CollectPolicy.Taken;
import dev.mgmt.api.Quoted;
import dev.mgmt.resources.linux.FileResource;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Places a collected file in its collect directory, as mgmt does: the pattern directory plus
 * the exported file's base name. Anything that could write outside that directory is refused,
 * never written: a path with {@code ..} in it, a name that is not a plain file name (control,
 * format or bidirectional characters, a NUL), a directory, or a symlink already sitting where
 * the file would go. (The pattern directory itself is this host's own choice.) This is
 * {@link FileResource#placed}.
 */
public final class CollectedFiles {

    private CollectedFiles() {
    }

    /** The file to manage on this host, named {@code host:name}, or why it is refused. */
    public static Admission place(String pattern, String host, FileResource f) {
        String raw = f.path();
        if (raw == null || raw.isEmpty() || raw.endsWith("/")) {
            return new Refused("only files can be collected, not " + Quoted.of(raw));
        }
        if (!Quoted.isPlain(raw) || raw.indexOf('\0') >= 0) {
            return new Refused("its path " + Quoted.of(raw) + " has characters no collected file name may have");
        }
        for (String segment : raw.split("/")) {
            if (segment.equals("..")) {
                return new Refused("its path " + Quoted.of(raw) + " climbs out with '..'");
            }
        }
        Path base = Path.of(raw).getFileName();
        String name = base == null ? "" : base.toString();
        if (name.isEmpty() || name.equals(".") || name.startsWith(".") && name.contains(".mgmt-")) {
            return new Refused(Quoted.of(name) + " is not a plain file name");
        }
        Path dir = Path.of(pattern).toAbsolutePath().normalize();
        Path target = dir.resolve(name).normalize();
        if (!dir.equals(target.getParent())) {
            return new Refused(Quoted.of(raw) + " would land outside " + dir);
        }
        if (Files.isSymbolicLink(target)) {
            return new Refused(target + " is a symlink; collected files are never written through one");
        }
        return new Taken(f.toBuilder().name(host + ":" + f.name()).path(target.toString()).build());
    }
}
