package dev.mgmt.engine.resources;

import dev.mgmt.api.ResourceKind;

/** Registers kind {@code http:ready} for YAML and the cluster codec. */
public final class HttpReadyKind implements ResourceKind<HttpReadyResource> {

    @Override
    public String kind() {
        return HttpReadyResource.KIND;
    }

    @Override
    public Class<HttpReadyResource> type() {
        return HttpReadyResource.class;
    }
}
