package dev.mgmt.resources.linux;

import dev.mgmt.api.ResourceKind;
import dev.mgmt.api.codec.ParamKeys;
import dev.mgmt.api.codec.Params;
import dev.mgmt.api.codec.ParamsReader;

/** Registers kind {@code group} for YAML and the cluster codec. */
public final class GroupKind implements ResourceKind<GroupResource>, ParamsReader<GroupResource> {

    private static final ParamKeys KEYS = ParamKeys.builder()
            .text("state").wholeNumber("gid").build();

    @Override
    public String kind() {
        return GroupResource.KIND;
    }

    @Override
    public Class<GroupResource> type() {
        return GroupResource.class;
    }

    @Override
    public ParamKeys keys() {
        return KEYS;
    }

    @Override
    public GroupResource read(Params p) {
        return GroupResource.decode(p.name(), p.text("state"), p.wholeNumber("gid"), p.meta());
    }
}
