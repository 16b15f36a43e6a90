package dev.mgmt.resources.linux;

import dev.mgmt.api.ResourceKind;

/** Registers kind {@code user} for YAML and the cluster codec. */
public final class UserKind implements ResourceKind<UserResource> {

    @Override
    public String kind() {
        return UserResource.KIND;
    }

    @Override
    public Class<UserResource> type() {
        return UserResource.class;
    }
}
