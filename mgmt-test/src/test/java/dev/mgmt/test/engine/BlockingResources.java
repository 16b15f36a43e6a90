package dev.mgmt.test.engine;

import dev.mgmt.api.Meta;
import dev.mgmt.api.Resource;
import dev.mgmt.api.ResourceId;
import dev.mgmt.api.Semaphores;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;

/**
 * Resources of kind {@code blocking} whose apply can hold the engine's worker thread the way a
 * stuck system call does: it ignores interruption and cancellation and returns only on
 * {@link #release()}. Unlike the gate of a {@code FakeResource}, which a cancellation ends at
 * once, such a call goes on after the engine has given up on it (a swap, a timeout).
 *
 * <p>The family counts the calls that really are in flight, per resource id and per
 * {@code meta.sema} semaphore, and notes what must never happen: two calls on one id at once,
 * more holders of a semaphore than its size, or a resource closed while its own call still runs.
 * Resources are values: equal when name, meta and configuration are, so a swap keeps them.
 */
final class BlockingResources {

    static final String KIND = "blocking";

    private final CountDownLatch release = new CountDownLatch(1);
    // Everything below is guarded by this.
    private final Map<String, Boolean> inSync = new HashMap<>();
    private final Map<String, Integer> inFlightById = new HashMap<>();
    private final Map<String, Integer> maxInFlightById = new HashMap<>();
    private final Map<String, Integer> holders = new HashMap<>();
    private final Map<String, Integer> maxHolders = new HashMap<>();
    private final Map<String, Integer> closes = new HashMap<>();
    private final Map<String, Integer> watchSubscriptions = new HashMap<>();
    private final Map<String, List<FluxSink<Object>>> toArm = new HashMap<>();
    private final List<String> violations = new ArrayList<>();
    private int inFlight;
    private int blocked;

    static ResourceId id(String name) {
        return ResourceId.of(KIND, name);
    }

    /**
     * A resource out of sync until its first apply.
     *
     * @param blocks         whether its apply holds its thread until {@link #release()}
     * @param armOnSubscribe whether its watch arms at once, or on {@link #arm(String)}
     */
    Res resource(String name, Meta meta, boolean blocks, boolean armOnSubscribe) {
        return new Res(name, meta, blocks, armOnSubscribe);
    }

    /** Lets every held apply return, and every later one through. */
    void release() {
        release.countDown();
    }

    /** Arms the watches of this name that were built with {@code armOnSubscribe} false. */
    void arm(String name) {
        List<FluxSink<Object>> sinks;
        synchronized (this) {
            sinks = toArm.remove(name);
        }
        if (sinks != null) {
            // Outside the lock: the engine may do a lot of work on this thread.
            sinks.forEach(s -> s.next("armed"));
        }
    }

    /** Threads held in an apply now. */
    synchronized int blocked() {
        return blocked;
    }

    /** Calls in flight now, over all names. */
    synchronized int inFlight() {
        return inFlight;
    }

    /** The most calls that were in flight at once on {@code blocking[name]}. */
    synchronized int maxInFlight(String name) {
        return maxInFlightById.getOrDefault(name, 0);
    }

    /** The most calls that were in flight at once among the resources that name this semaphore. */
    synchronized int maxHolders(String sema) {
        return maxHolders.getOrDefault(sema, 0);
    }

    synchronized int closes(String name) {
        return closes.getOrDefault(name, 0);
    }

    synchronized int watchSubscriptions(String name) {
        return watchSubscriptions.getOrDefault(name, 0);
    }

    synchronized boolean isInSync(String name) {
        return inSync.getOrDefault(name, false);
    }

    /** What happened that must never happen, in order. */
    synchronized List<String> violations() {
        return List.copyOf(violations);
    }

    private synchronized void enter(Res r, String call) {
        r.running++;
        inFlight++;
        int n = inFlightById.merge(r.name, 1, Integer::sum);
        maxInFlightById.merge(r.name, n, Math::max);
        if (n > 1) {
            violations.add(r + ": " + call + " started while " + (n - 1) + " other call(s) on it were in flight");
        }
        for (Semaphores.Spec s : r.semas) {
            int h = holders.merge(s.id(), 1, Integer::sum);
            maxHolders.merge(s.id(), h, Math::max);
            if (h > s.size()) {
                violations.add(r + ": " + call + " made " + h + " holders of semaphore " + s.id() + " (size "
                        + s.size() + ")");
            }
        }
    }

    private synchronized void exit(Res r) {
        r.running--;
        inFlight--;
        inFlightById.merge(r.name, -1, Integer::sum);
        for (Semaphores.Spec s : r.semas) {
            holders.merge(s.id(), -1, Integer::sum);
        }
    }

    private void hold() {
        synchronized (this) {
            blocked++;
        }
        boolean interrupted = false;
        try {
            for (;;) {
                try {
                    release.await();
                    break;
                } catch (InterruptedException e) {
                    // A stuck system call does not care.
                    interrupted = true;
                }
            }
        } finally {
            synchronized (this) {
                blocked--;
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private synchronized void closed(Res r) {
        closes.merge(r.name, 1, Integer::sum);
        if (r.running > 0) {
            violations.add(r + " closed while its own call was still running");
        }
    }

    private synchronized void subscribed(Res r, FluxSink<Object> sink) {
        watchSubscriptions.merge(r.name, 1, Integer::sum);
        if (!r.armOnSubscribe) {
            toArm.computeIfAbsent(r.name, k -> new ArrayList<>()).add(sink);
        }
    }

    /** One resource of the family. */
    final class Res implements Resource {
        private final String name;
        private final Meta meta;
        private final boolean blocks;
        private final boolean armOnSubscribe;
        private final List<Semaphores.Spec> semas;
        /** Calls of this very instance in flight; guarded by the family. */
        private int running;

        private Res(String name, Meta meta, boolean blocks, boolean armOnSubscribe) {
            this.name = Objects.requireNonNull(name);
            this.meta = Objects.requireNonNull(meta);
            this.blocks = blocks;
            this.armOnSubscribe = armOnSubscribe;
            this.semas = meta.sema().stream().map(Semaphores::parse).toList();
        }

        @Override
        public String kind() {
            return KIND;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Meta meta() {
            return meta;
        }

        @Override
        public Flux<?> watch() {
            return Flux.create(sink -> {
                subscribed(this, sink);
                if (armOnSubscribe) {
                    sink.next("armed");
                }
            });
        }

        @Override
        public Mono<Boolean> check() {
            return Mono.fromCallable(() -> {
                enter(this, "check");
                try {
                    return isInSync(name);
                } finally {
                    exit(this);
                }
            });
        }

        @Override
        public Mono<Void> apply() {
            return Mono.fromRunnable(() -> {
                enter(this, "apply");
                try {
                    if (blocks) {
                        hold();
                    }
                    synchronized (BlockingResources.this) {
                        inSync.put(name, true);
                    }
                } finally {
                    exit(this);
                }
            });
        }

        @Override
        public void close() {
            closed(this);
        }

        private BlockingResources family() {
            return BlockingResources.this;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Res r && r.family() == family() && r.name.equals(name) && r.meta.equals(meta)
                    && r.blocks == blocks && r.armOnSubscribe == armOnSubscribe;
        }

        @Override
        public int hashCode() {
            return Objects.hash(System.identityHashCode(family()), name, meta, blocks, armOnSubscribe);
        }

        @Override
        public String toString() {
            return id().toString();
        }
    }
}
