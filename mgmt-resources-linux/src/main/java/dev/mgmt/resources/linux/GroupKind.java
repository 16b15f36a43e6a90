package dev.mgmt.resources.linux;

import dev.mgmt.api.ResourceKind;

/** Registers kind {@code group} for YAML and the cluster codec. */
public final class GroupKind implements ResourceKind<GroupResource> {

    @Override
    public String kind() {
        return GroupResource.KIND;
    }

    @Override
    public Class<GroupResource> type() {
        return GroupResource.class;
    }
}
