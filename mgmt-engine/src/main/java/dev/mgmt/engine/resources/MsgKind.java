package dev.mgmt.engine.resources;

import dev.mgmt.api.ResourceKind;

/** Registers kind {@code msg} for YAML and the cluster codec. */
public final class MsgKind implements ResourceKind<MsgResource> {

    @Override
    public String kind() {
        return MsgResource.KIND;
    }

    @Override
    public Class<MsgResource> type() {
        return MsgResource.class;
    }
}
