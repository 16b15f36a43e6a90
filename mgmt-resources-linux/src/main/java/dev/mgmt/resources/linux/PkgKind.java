package dev.mgmt.resources.linux;

import dev.mgmt.api.ResourceKind;

/** Registers kind {@code pkg} for YAML and the cluster codec. */
public final class PkgKind implements ResourceKind<PkgResource> {

    @Override
    public String kind() {
        return PkgResource.KIND;
    }

    @Override
    public Class<PkgResource> type() {
        return PkgResource.class;
    }
}
