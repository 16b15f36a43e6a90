package dev.mgmt.engine.resources;

import dev.mgmt.api.ResourceKind;
import dev.mgmt.api.codec.ParamKeys;
import dev.mgmt.api.codec.Params;
import dev.mgmt.api.codec.ParamsReader;

/** Registers kind {@code http:ready} for YAML and the cluster codec. */
public final class HttpReadyKind implements ResourceKind<HttpReadyResource>, ParamsReader<HttpReadyResource> {

    private static final ParamKeys KEYS = ParamKeys.builder()
            .text("url").integers("status").text("contains").textMap("headers")
            .seconds("timeout").seconds("interval").seconds("request_timeout").build();

    @Override
    public String kind() {
        return HttpReadyResource.KIND;
    }

    @Override
    public Class<HttpReadyResource> type() {
        return HttpReadyResource.class;
    }

    @Override
    public ParamKeys keys() {
        return KEYS;
    }

    @Override
    public HttpReadyResource read(Params p) {
        return HttpReadyResource.decode(p.name(), p.text("url"), p.integers("status"), p.text("contains"),
                p.textMap("headers"), p.duration("timeout"), p.duration("interval"), p.duration("request_timeout"), p.meta());
    }
}
