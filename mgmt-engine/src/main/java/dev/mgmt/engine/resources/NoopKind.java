package dev.mgmt.engine.resources;

import dev.mgmt.api.ResourceKind;
import dev.mgmt.api.codec.ParamKeys;
import dev.mgmt.api.codec.Params;
import dev.mgmt.api.codec.ParamsReader;

/** Registers kind {@code noop} for YAML and the cluster codec. */
public final class NoopKind implements ResourceKind<NoopResource>, ParamsReader<NoopResource> {

    private static final ParamKeys KEYS = ParamKeys.builder()
            .text("comment").build();

    @Override
    public String kind() {
        return NoopResource.KIND;
    }

    @Override
    public Class<NoopResource> type() {
        return NoopResource.class;
    }

    @Override
    public ParamKeys keys() {
        return KEYS;
    }

    @Override
    public NoopResource read(Params p) {
        return new NoopResource(p.name(), p.text("comment"), p.meta());
    }
}
