package dev.mgmt.resources.linux;

import dev.mgmt.api.ResourceKind;
import dev.mgmt.api.codec.ParamKeys;
import dev.mgmt.api.codec.Params;
import dev.mgmt.api.codec.ParamsReader;

/** Registers kind {@code hostname} for YAML and the cluster codec. */
public final class HostnameKind implements ResourceKind<HostnameResource>, ParamsReader<HostnameResource> {

    private static final ParamKeys KEYS = ParamKeys.builder()
            .text("hostname").text("static_hostname").text("transient_hostname").text("pretty_hostname").build();

    @Override
    public String kind() {
        return HostnameResource.KIND;
    }

    @Override
    public Class<HostnameResource> type() {
        return HostnameResource.class;
    }

    @Override
    public ParamKeys keys() {
        return KEYS;
    }

    @Override
    public HostnameResource read(Params p) {
        return HostnameResource.decode(p.name(), p.text("hostname"), p.text("static_hostname"), p.text("transient_hostname"),
                p.text("pretty_hostname"), p.meta());
    }
}
