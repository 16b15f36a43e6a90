package dev.mgmt.engine.resources;

import dev.mgmt.api.ResourceKind;

/** Registers kind {@code noop} for YAML and the cluster codec. */
public final class NoopKind implements ResourceKind<NoopResource> {

    @Override
    public String kind() {
        return NoopResource.KIND;
    }

    @Override
    public Class<NoopResource> type() {
        return NoopResource.class;
    }
}
