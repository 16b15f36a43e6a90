package dev.mgmt.resources.linux;

import dev.mgmt.api.ResourceKind;
import dev.mgmt.api.codec.ParamKeys;
import dev.mgmt.api.codec.Params;
import dev.mgmt.api.codec.ParamsReader;

/** Registers kind {@code svc} for YAML and the cluster codec. */
public final class SvcKind implements ResourceKind<SvcResource>, ParamsReader<SvcResource> {

    private static final ParamKeys KEYS = ParamKeys.builder()
            .text("state").text("startup").bool("session").text("bus").build();

    @Override
    public String kind() {
        return SvcResource.KIND;
    }

    @Override
    public Class<SvcResource> type() {
        return SvcResource.class;
    }

    @Override
    public ParamKeys keys() {
        return KEYS;
    }

    @Override
    public SvcResource read(Params p) {
        return SvcResource.decode(p.name(), p.text("state"), p.text("startup"), p.bool("session"), p.text("bus"), p.meta());
    }
}
