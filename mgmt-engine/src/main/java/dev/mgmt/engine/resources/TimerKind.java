package dev.mgmt.engine.resources;

import dev.mgmt.api.ResourceKind;
import dev.mgmt.api.codec.ParamKeys;
import dev.mgmt.api.codec.Params;
import dev.mgmt.api.codec.ParamsReader;

/** Registers kind {@code timer} for YAML and the cluster codec. */
public final class TimerKind implements ResourceKind<TimerResource>, ParamsReader<TimerResource> {

    private static final ParamKeys KEYS = ParamKeys.builder()
            .seconds("interval").required("interval").build();

    @Override
    public String kind() {
        return TimerResource.KIND;
    }

    @Override
    public Class<TimerResource> type() {
        return TimerResource.class;
    }

    @Override
    public ParamKeys keys() {
        return KEYS;
    }

    @Override
    public TimerResource read(Params p) {
        return TimerResource.decode(p.name(), p.duration("interval"), p.meta());
    }
}
