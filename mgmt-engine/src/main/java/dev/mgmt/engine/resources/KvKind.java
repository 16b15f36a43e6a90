package dev.mgmt.engine.resources;

import dev.mgmt.api.ResourceKind;

/** Registers kind {@code kv} for YAML and the cluster codec. */
public final class KvKind implements ResourceKind<KvResource> {

    @Override
    public String kind() {
        return KvResource.KIND;
    }

    @Override
    public Class<KvResource> type() {
        return KvResource.class;
    }
}
