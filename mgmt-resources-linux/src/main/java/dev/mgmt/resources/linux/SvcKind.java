package dev.mgmt.resources.linux;

import dev.mgmt.api.ResourceKind;

/** Registers kind {@code svc} for YAML and the cluster codec. */
public final class SvcKind implements ResourceKind<SvcResource> {

    @Override
    public String kind() {
        return SvcResource.KIND;
    }

    @Override
    public Class<SvcResource> type() {
        return SvcResource.class;
    }
}
