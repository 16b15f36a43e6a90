package dev.mgmt.resources.linux;

import dev.mgmt.api.ResourceKind;
import dev.mgmt.api.WarmUp;
import dev.mgmt.api.codec.ParamKeys;
import dev.mgmt.api.codec.Params;
import dev.mgmt.api.codec.ParamsReader;
import dev.mgmt.resources.linux.internal.FileSync;
import java.util.Set;

/** Registers kind {@code file} for YAML and the cluster codec. */
public final class FileKind implements ResourceKind<FileResource>, ParamsReader<FileResource>, WarmUp {

    private static final ParamKeys KEYS = ParamKeys.builder()
            .text("path").text("state").text("content").text("source").text("owner").text("group")
            .text("mode").bool("recurse").bool("force").build();

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

    @Override
    public ParamKeys keys() {
        return KEYS;
    }

    @Override
    public FileResource read(Params p) {
        return FileResource.decode(p.name(), p.text("path"), p.text("state"), p.text("content"), p.text("source"),
                p.text("owner"), p.text("group"), p.text("mode"), p.bool("recurse"), p.bool("force"), p.meta());
    }

    /** Binds the C library's calls a file's first check makes (JNA's start: tens of milliseconds). */
    @Override
    public void warmUp() {
        FileSync.warmUp();
    }
}
