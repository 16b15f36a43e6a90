package dev.mgmt.cluster.internal;

import dev.mgmt.api.Resource;
import dev.mgmt.cluster.Exported;
import dev.mgmt.resources.linux.FileResource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Places a collected file in its collect directory, as mgmt does: the pattern directory plus
 * the exported file's base name. Anything that could write outside that directory is refused
 * and logged, never written: a path with {@code ..} in it, a name that is not a plain file
 * name, a directory, or a symlink already sitting where the file would go. (The pattern
 * directory itself is this host's own choice.)
 */
public final class CollectedFiles {

    private static final Logger log = LoggerFactory.getLogger("dev.mgmt.cluster");

    private CollectedFiles() {
    }

    /** The file to manage on this host, or empty when the export is refused. */
    public static Optional<Resource> place(String pattern, Exported e) {
        if (!(e.resource() instanceof FileResource f)) {
            return refuse(e, "not a file resource");
        }
        String raw = f.path();
        if (raw == null || raw.isEmpty() || raw.endsWith("/")) {
            return refuse(e, "only files can be collected, not '" + raw + "'");
        }
        for (String segment : raw.split("/")) {
            if (segment.equals("..")) {
                return refuse(e, "path '" + raw + "' climbs out with '..'");
            }
        }
        String base = Path.of(raw).getFileName().toString();
        if (base.isEmpty() || base.equals(".") || base.startsWith(".") && base.contains(".mgmt-")) {
            return refuse(e, "'" + base + "' is not a plain file name");
        }
        Path dir = Path.of(pattern).toAbsolutePath().normalize();
        Path target = dir.resolve(base).normalize();
        if (!dir.equals(target.getParent())) {
            return refuse(e, "'" + raw + "' would land outside " + dir);
        }
        if (Files.isSymbolicLink(target)) {
            return refuse(e, target + " is a symlink; collected files are never written through one");
        }
        return Optional.of(f.toBuilder().name(e.host() + ":" + f.name()).path(target.toString()).build());
    }

    private static Optional<Resource> refuse(Exported e, String why) {
        log.warn("collect: refused {} exported by {}: {}", e.resource().id(), e.host(), why);
        return Optional.empty();
    }
}
