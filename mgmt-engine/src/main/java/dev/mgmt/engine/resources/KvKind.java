package dev.mgmt.engine.resources;

import dev.mgmt.api.ResourceKind;
import dev.mgmt.api.codec.ParamKeys;
import dev.mgmt.api.codec.Params;
import dev.mgmt.api.codec.ParamsReader;

/** Registers kind {@code kv} for YAML and the cluster codec. */
public final class KvKind implements ResourceKind<KvResource>, ParamsReader<KvResource> {

    private static final ParamKeys KEYS = ParamKeys.builder()
            .text("key").text("value").bool("skiplessthan").integer("skipcmpstyle").build();

    @Override
    public String kind() {
        return KvResource.KIND;
    }

    @Override
    public Class<KvResource> type() {
        return KvResource.class;
    }

    @Override
    public ParamKeys keys() {
        return KEYS;
    }

    @Override
    public KvResource read(Params p) {
        return KvResource.decode(p.name(), p.text("key"), p.text("value"), p.bool("skiplessthan"), p.integer("skipcmpstyle"), p.meta());
    }
}
