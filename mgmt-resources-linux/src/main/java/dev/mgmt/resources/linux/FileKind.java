package dev.mgmt.resources.linux;

import dev.mgmt.api.ResourceKind;
import java.util.Set;

/** Registers kind {@code file} for YAML and the cluster codec. */
public final class FileKind implements ResourceKind<FileResource> {

    @Override
    public String kind() {
        return FileResource.KIND;
    }

    @Override
    public Class<FileResource> type() {
        return FileResource.class;
    }

    /** mgmt wrote these out empty; any other value is an error, since they are not supported. */
    @Override
    public Set<String> emptyKeysAccepted() {
        return Set.of("dirname", "basename", "fragments", "purge", "symlink");
    }
}
