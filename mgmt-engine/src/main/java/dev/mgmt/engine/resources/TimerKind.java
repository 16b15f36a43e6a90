package dev.mgmt.engine.resources;

import dev.mgmt.api.ResourceKind;

/** Registers kind {@code timer} for YAML and the cluster codec. */
public final class TimerKind implements ResourceKind<TimerResource> {

    @Override
    public String kind() {
        return TimerResource.KIND;
    }

    @Override
    public Class<TimerResource> type() {
        return TimerResource.class;
    }
}
