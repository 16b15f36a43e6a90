package dev.mgmt.resources.linux;

import dev.mgmt.api.ResourceKind;
import dev.mgmt.api.codec.ParamKeys;
import dev.mgmt.api.codec.Params;
import dev.mgmt.api.codec.ParamsReader;

/** Registers kind {@code line} for YAML and the cluster codec. */
public final class LineKind implements ResourceKind<LineResource>, ParamsReader<LineResource> {

    private static final ParamKeys KEYS = ParamKeys.builder()
            .text("file").text("state").text("content").bool("trim").build();

    @Override
    public String kind() {
        return LineResource.KIND;
    }

    @Override
    public Class<LineResource> type() {
        return LineResource.class;
    }

    @Override
    public ParamKeys keys() {
        return KEYS;
    }

    @Override
    public LineResource read(Params p) {
        return LineResource.decode(p.name(), p.text("file"), p.text("state"), p.text("content"), p.bool("trim"), p.meta());
    }
}
