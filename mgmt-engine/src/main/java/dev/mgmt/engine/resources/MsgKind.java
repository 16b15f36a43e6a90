package dev.mgmt.engine.resources;

import dev.mgmt.api.ResourceKind;
import dev.mgmt.api.codec.ParamKeys;
import dev.mgmt.api.codec.Params;
import dev.mgmt.api.codec.ParamsReader;

/** Registers kind {@code msg} for YAML and the cluster codec. */
public final class MsgKind implements ResourceKind<MsgResource>, ParamsReader<MsgResource> {

    private static final ParamKeys KEYS = ParamKeys.builder()
            .text("body").bool("fail").text("priority").textMap("fields").bool("journal").bool("syslog").build();

    @Override
    public String kind() {
        return MsgResource.KIND;
    }

    @Override
    public Class<MsgResource> type() {
        return MsgResource.class;
    }

    @Override
    public ParamKeys keys() {
        return KEYS;
    }

    @Override
    public MsgResource read(Params p) {
        return new MsgResource(p.name(), p.text("body"), p.bool("fail"), p.text("priority"), p.textMap("fields"),
                p.bool("journal"), p.bool("syslog"), p.meta());
    }
}
