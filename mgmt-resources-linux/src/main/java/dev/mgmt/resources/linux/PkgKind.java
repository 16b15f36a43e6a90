package dev.mgmt.resources.linux;

import dev.mgmt.api.ResourceKind;
import dev.mgmt.api.codec.ParamKeys;
import dev.mgmt.api.codec.Params;
import dev.mgmt.api.codec.ParamsReader;

/** Registers kind {@code pkg} for YAML and the cluster codec. */
public final class PkgKind implements ResourceKind<PkgResource>, ParamsReader<PkgResource> {

    private static final ParamKeys KEYS = ParamKeys.builder()
            .text("state").text("source").bool("allowdowngrade").bool("allowuntrusted")
            .bool("allownonfree").bool("allowunsupported").parsed("backend", PkgResource.Backend::parse).build();

    @Override
    public String kind() {
        return PkgResource.KIND;
    }

    @Override
    public Class<PkgResource> type() {
        return PkgResource.class;
    }

    @Override
    public ParamKeys keys() {
        return KEYS;
    }

    @Override
    public PkgResource read(Params p) {
        return PkgResource.decode(p.name(), p.text("state"), p.text("source"), p.bool("allowdowngrade"),
                p.bool("allowuntrusted"), p.bool("allownonfree"), p.bool("allowunsupported"),
                p.parsed("backend", PkgResource.Backend.class), p.meta());
    }
}
