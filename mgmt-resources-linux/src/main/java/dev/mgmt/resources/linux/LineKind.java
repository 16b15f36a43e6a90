package dev.mgmt.resources.linux;

import dev.mgmt.api.ResourceKind;

/** Registers kind {@code line} for YAML and the cluster codec. */
public final class LineKind implements ResourceKind<LineResource> {

    @Override
    public String kind() {
        return LineResource.KIND;
    }

    @Override
    public Class<LineResource> type() {
        return LineResource.class;
    }
}
