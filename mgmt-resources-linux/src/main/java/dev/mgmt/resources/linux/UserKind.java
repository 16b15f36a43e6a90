package dev.mgmt.resources.linux;

import dev.mgmt.api.ResourceKind;
import dev.mgmt.api.codec.ParamKeys;
import dev.mgmt.api.codec.Params;
import dev.mgmt.api.codec.ParamsReader;

/** Registers kind {@code user} for YAML and the cluster codec. */
public final class UserKind implements ResourceKind<UserResource>, ParamsReader<UserResource> {

    private static final ParamKeys KEYS = ParamKeys.builder()
            .text("state").wholeNumber("uid").wholeNumber("gid").text("group").texts("groups")
            .text("homedir").text("shell").bool("allowduplicateuid").build();

    @Override
    public String kind() {
        return UserResource.KIND;
    }

    @Override
    public Class<UserResource> type() {
        return UserResource.class;
    }

    @Override
    public ParamKeys keys() {
        return KEYS;
    }

    @Override
    public UserResource read(Params p) {
        return UserResource.decode(p.name(), p.text("state"), p.wholeNumber("uid"), p.wholeNumber("gid"), p.text("group"),
                p.texts("groups"), p.text("homedir"), p.text("shell"), p.bool("allowduplicateuid"), p.meta());
    }
}
