package dev.mgmt.spring.internal;

import dev.mgmt.metrics.CheckTiming;
import java.util.Map;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Whether {@code mgmt.check.duration} gets histogram buckets, from the property Boot users
 * already set for their own timers: {@code management.metrics.distribution.percentiles-histogram}
 * looked up as Boot looks it up (the meter's name, then each shorter prefix, then {@code all}).
 * The engine times its checks itself unless asked (see {@link CheckTiming}), so Boot's meter
 * filter alone cannot turn the buckets on.
 */
public final class CheckTimingProperty {

    static final String PREFIX = "management.metrics.distribution.percentiles-histogram";
    private static final String METER = "mgmt.check.duration";

    private CheckTimingProperty() {
    }

    public static CheckTiming of(Environment env) {
        Map<String, Boolean> histograms = Binder.get(env)
                .bind(PREFIX, Bindable.mapOf(String.class, Boolean.class)).orElse(Map.of());
        for (String name = METER; !name.isEmpty(); name = name.contains(".")
                ? name.substring(0, name.lastIndexOf('.')) : "") {
            Boolean on = histograms.get(name);
            if (on != null) {
                return timing(on);
            }
        }
        return timing(histograms.getOrDefault("all", false));
    }

    private static CheckTiming timing(boolean histogram) {
        return histogram ? CheckTiming.HISTOGRAM : CheckTiming.TOTALS;
    }
}
