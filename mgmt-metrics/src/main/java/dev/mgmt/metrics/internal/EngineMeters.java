package dev.mgmt.metrics.internal;

import dev.mgmt.api.EngineEvent;
import dev.mgmt.api.ResourceId;
import dev.mgmt.engine.Engine;
import dev.mgmt.engine.VertexState;
import dev.mgmt.metrics.CheckTiming;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.Disposable;

/**
 * The engine's meters, fed by the events it hands to {@code Engine.listen} (see
 * {@code EngineMetrics} for what each measures). Those come on the engine's loop and on its
 * workers at the same time, one vertex's in order: the maps are concurrent, a vertex's repair
 * is updated atomically, and registering and removing meters is guarded against {@link #close}.
 * Not API (public for {@code EngineMetrics} only).
 */
public final class EngineMeters implements dev.mgmt.metrics.MetricsBinding {

    private final MeterRegistry registry;
    private final StateSample states;
    /**
     * The event types the meters need; the engine builds no other for them. Checks are counted
     * by the engine ({@link #totals}); {@code Engine.listenChecks} brings each check only for
     * a drift repair under way and for the histogram ({@link #checks}), without an event each.
     */
    private static final Set<Class<? extends EngineEvent>> TYPES = Set.of(EngineEvent.Changed.class,
            EngineEvent.Applied.class,
            EngineEvent.WouldApply.class, EngineEvent.Refreshed.class, EngineEvent.Failed.class,
            EngineEvent.Converged.class, EngineEvent.Unconverged.class, EngineEvent.GraphSwapped.class);

    private final Map<String, KindMeters> kinds = new ConcurrentHashMap<>();
    private final Map<ResourceId, DriftRepair.Track> repairs = new ConcurrentHashMap<>();
    // Guarded by this.
    private final List<Meter> meters = new ArrayList<>();
    private volatile boolean closed;
    private volatile boolean converged;
    /** Set by the first event: before it, the engine has not started and is not asked for its states. */
    private volatile boolean started;
    private final Disposable subscription;
    private final Disposable checkSubscription;
    private final CheckRecorder checks = new CheckRecorder(this::kind);
    private final CheckSample totals;
    private final CheckTiming checkTiming;
    private final Engine engine;

    private EngineMeters(Engine engine, MeterRegistry registry, long statesMaxAgeMillis, CheckTiming checkTiming) {
        this.registry = registry;
        this.engine = engine;
        this.checkTiming = Objects.requireNonNull(checkTiming, "checkTiming");
        this.states = new StateSample(() -> started ? engine.states() : null, registry.config().clock(),
                statesMaxAgeMillis);
        // The first call starts the engine's count. Before the listeners: one may at once be
        // handed the engine's latest convergence, which reads the sample.
        engine.checkTotals();
        this.totals = new CheckSample(engine::checkTotals, registry.config().clock(), statesMaxAgeMillis);
        for (VertexState s : VertexState.values()) {
            meters.add(Gauge.builder("mgmt.vertices", states, st -> st.count(s))
                    .description("Vertices of the running graph in each state")
                    .tag("state", s.name().toLowerCase(Locale.ROOT)).strongReference(true).register(registry));
        }
        meters.add(Gauge.builder("mgmt.resources", states, StateSample::total)
                .description("Vertices in the running graph").strongReference(true).register(registry));
        meters.add(Gauge.builder("mgmt.converged", this, m -> m.converged ? 1 : 0)
                .description("1 when every vertex has settled (clean, failed or blocked), else 0")
                .strongReference(true).register(registry));
        this.subscription = engine.listen(TYPES, this::on);
        this.checkSubscription = engine.listenChecks(this::checked);
    }

    /**
     * @param statesMaxAgeMillis how old the sample of {@code engine.states()} behind the state
     *                           gauges may be before a read takes a new one
     */
    public static EngineMeters bind(Engine engine, MeterRegistry registry, long statesMaxAgeMillis,
                                    CheckTiming checkTiming) {
        return new EngineMeters(engine, registry, statesMaxAgeMillis, checkTiming);
    }

    private void on(EngineEvent e) {
        markStarted();
        if (e instanceof EngineEvent.Converged) {
            // The moment figures are read at, on the engine's loop (so its count is taken
            // here at once): the checks so far count, and a kind that has had checks gets its
            // meters.
            checks.drain();
            totals.take().keySet().forEach(this::kind);
        } else if (e instanceof EngineEvent.Unconverged || e instanceof EngineEvent.GraphSwapped
                || e instanceof EngineEvent.Failed f && !f.willRetry()) {
            // The next read takes a new sample. A Failed comes on a worker, under its call's
            // lock, where the engine is not asked; not at each failure retried (a resource
            // failing over and over would drain every thread's batch each time).
            checks.drain();
            totals.invalidate();
        }
        if (e instanceof EngineEvent.Applied a) {
            KindMeters m = kind(a.id());
            if (m != null) {
                m.applies.increment();
                m.apply.record(a.took());
                track(a.id(), e, m);
            }
        } else if (e instanceof EngineEvent.Changed c) {
            KindMeters m = kind(c.id());
            if (m != null) {
                if (c.coalesced() > 0) {
                    m.coalesced.increment(c.coalesced());
                }
                track(c.id(), e, m);
            }
        } else if (e instanceof EngineEvent.Failed f) {
            KindMeters m = kind(f.id());
            if (m != null) {
                m.failures[f.phase().ordinal()].increment();
                if (f.willRetry()) {
                    m.retries.increment();
                }
                track(f.id(), e, m);
            }
        } else if (e instanceof EngineEvent.Refreshed r) {
            KindMeters m = kind(r.id());
            if (m != null) {
                m.refreshes.increment();
            }
        } else if (e instanceof EngineEvent.WouldApply w) {
            track(w.id(), e, null);
        } else if (e instanceof EngineEvent.Converged c) {
            converged = true;
            forgetSettled(c);
        } else if (e instanceof EngineEvent.Unconverged) {
            converged = false;
        } else if (e instanceof EngineEvent.GraphSwapped g) {
            g.removed().forEach(repairs::remove);
        }
    }

    private void checked(ResourceId id, boolean ok, long startNanos, long endNanos) {
        if (closed) {
            return; // a worker that read the listeners before close: its batch would never drain
        }
        markStarted();
        if (checkTiming == CheckTiming.HISTOGRAM) {
            checks.add(id.kind(), startNanos, endNanos);
        }
        if (!repairs.isEmpty() && repairs.containsKey(id)) {
            // Rare (a repair under way): only then is the check made into an event.
            step(id, new EngineEvent.Checked(engine.eventTime(endNanos), id, ok,
                    Duration.ofNanos(endNanos - startNanos)), kind(id));
        }
    }

    private void markStarted() {
        if (!started) {
            started = true; // a volatile write per event would cost more than this read
        }
    }

    /** Follows the vertex's drift repair; {@code m} may be null for events that never end one. */
    private void track(ResourceId id, EngineEvent e, KindMeters m) {
        // Only a change starts a repair; with none under way (the usual case) the other events
        // need not look the vertex up.
        if (e instanceof EngineEvent.Changed || repairs.containsKey(id)) {
            step(id, e, m);
        }
    }

    /** One event of the vertex's drift repair, {@link DriftRepair#next}, recorded when it ends one. */
    private void step(ResourceId id, EngineEvent e, KindMeters m) {
        Duration[] repaired = new Duration[1];
        repairs.compute(id, (k, t) -> {
            DriftRepair.Step step = DriftRepair.next(t == null ? DriftRepair.Track.IDLE : t, e);
            repaired[0] = step.repaired();
            return step.track().idle() ? null : step.track();
        });
        if (repaired[0] != null && m != null) {
            m.driftRepair.record(repaired[0]);
        }
    }

    /**
     * Once everything has settled no run is under way or owed, so only a failed or blocked vertex
     * still has a repair to finish (from its first change, when it runs again). Any other track
     * is of a vertex gone without a {@code GraphSwapped} (a finished reversal taken out of the
     * graph) and would never end.
     */
    private void forgetSettled(EngineEvent.Converged c) {
        if (repairs.isEmpty()) {
            return;
        }
        Set<ResourceId> unfinished = new HashSet<>(c.failed());
        unfinished.addAll(c.blocked());
        repairs.keySet().retainAll(unfinished);
    }

    /** Vertices with a drift repair under way (for tests). */
    int repairsUnderWay() {
        return repairs.size();
    }

    private KindMeters kind(ResourceId id) {
        return kind(id.kind());
    }

    /** The kind's meters, registered at the first call; null once closed. */
    private KindMeters kind(String kind) {
        KindMeters m = kinds.get(kind);
        return m != null ? m : register(kind);
    }

    private synchronized KindMeters register(String kind) {
        KindMeters m = kinds.get(kind);
        if (m != null || closed) {
            return m;
        }
        m = new KindMeters(registry, kind, checkTiming, () -> totals.of(kind), meters::add);
        kinds.put(kind, m);
        return m;
    }

    /** Stops following the engine and removes every meter this binding registered. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        subscription.dispose();
        checkSubscription.dispose();
        // Not under this lock: a drain looks kinds up, and registering one takes this lock.
        checks.drain();
        synchronized (this) {
            meters.forEach(registry::remove);
            meters.clear();
        }
    }
}
