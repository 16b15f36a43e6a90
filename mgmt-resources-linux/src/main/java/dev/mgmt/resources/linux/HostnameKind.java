package dev.mgmt.resources.linux;

import dev.mgmt.api.ResourceKind;

/** Registers kind {@code hostname} for YAML and the cluster codec. */
public final class HostnameKind implements ResourceKind<HostnameResource> {

    @Override
    public String kind() {
        return HostnameResource.KIND;
    }

    @Override
    public Class<HostnameResource> type() {
        return HostnameResource.class;
    }
}
