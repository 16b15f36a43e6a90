package dev.mgmt.engine.resources;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import dev.mgmt.api.Durations;
import dev.mgmt.api.Meta;
import dev.mgmt.api.Refreshable;
import dev.mgmt.api.Resource;
import dev.mgmt.api.Trigger;
import dev.mgmt.api.codec.DurationParams;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import dev.mgmt.engine.internal.EngineClock;

/**
 * Kind {@code timer}: ticks every {@code interval}. A tick is an event; it reaches the
 * children over {@code notify} edges as a refresh, and changes nothing itself, so it does not
 * keep the graph unconverged. A refresh resets the timer.
 *
 * <p>Equality covers the parameters only; the ticking clock is run state.
 */
public final class TimerResource implements Resource, Trigger, Refreshable {

    public static final String KIND = "timer";

    private final String name;
    private final Duration interval;
    private final Meta meta;
    private final Sinks.Many<Long> resets = Sinks.many().multicast().directBestEffort();

    public TimerResource(String name, Duration interval, Meta meta) {
        this.name = Objects.requireNonNull(name, "name");
        this.interval = Objects.requireNonNull(interval, "interval");
        this.meta = Objects.requireNonNull(meta, "meta");
    }

    /** Decodes mgmt's YAML form: {@code interval} in seconds, or a duration such as {@code 90s} or {@code 1m30s}. */
    @JsonCreator
    static TimerResource decode(@JsonProperty(value = "name", required = true) String name,
                                @JsonProperty(value = "interval", required = true)
                                @JsonDeserialize(using = DurationParams.Seconds.class) Duration interval,
                                @JsonProperty("meta") Meta meta) {
        return new TimerResource(name, interval, meta == null ? Meta.DEFAULTS : meta);
    }

    /** The interval as mgmt's YAML spells it: whole seconds, or a duration when finer. */
    @JsonProperty("interval")
    Object intervalSeconds() {
        return interval.toNanos() % 1_000_000_000L == 0 ? (Object) interval.toSeconds() : Durations.format(interval);
    }

    /** A timer ticking every {@code interval}. */
    public static TimerResource every(String name, Duration interval) {
        return new TimerResource(name, interval, Meta.DEFAULTS);
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    @JsonProperty("name")
    public String name() {
        return name;
    }

    @JsonIgnore
    public Duration interval() {
        return interval;
    }

    @Override
    @JsonProperty("meta")
    public Meta meta() {
        return meta;
    }

    @Override
    public List<String> validate() {
        List<String> out = new ArrayList<>();
        if (interval.isZero() || interval.isNegative()) {
            out.add("interval: must be positive, was " + Durations.format(interval));
        }
        return out;
    }

    @Override
    public Flux<?> watch() {
        // The engine's clock, from the subscription's context: it follows a virtual-time test, and
        // its thread ends with the engine (Reactor's shared parallel() threads never end).
        return Flux.<Object>deferContextual(ctx -> resets.asFlux().startWith(0L)
                        .switchMap(x -> Flux.interval(interval, interval, EngineClock.in(ctx))))
                .startWith(Watches.ARMED);
    }

    @Override
    public Mono<Boolean> check() {
        return Mono.just(Boolean.TRUE);
    }

    @Override
    public Mono<Void> apply() {
        return Mono.empty();
    }

    @Override
    public Mono<Void> refresh() {
        return Mono.fromRunnable(() -> resets.tryEmitNext(0L));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TimerResource t && t.name.equals(name) && t.interval.equals(interval)
                && t.meta.equals(meta);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, interval, meta);
    }

    @Override
    public String toString() {
        return "timer[" + name + "]";
    }
}
