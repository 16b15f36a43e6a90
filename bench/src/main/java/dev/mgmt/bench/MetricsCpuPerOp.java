package dev.mgmt.bench;

import dev.mgmt.api.EngineEvent;
import dev.mgmt.api.Graph;
import dev.mgmt.api.ResourceId;
import dev.mgmt.engine.CheckListener;
import dev.mgmt.engine.Convergence;
import dev.mgmt.engine.Engine;
import dev.mgmt.engine.VertexState;
import dev.mgmt.metrics.EngineMetrics;
import dev.mgmt.metrics.MetricsBinding;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.reactivestreams.Publisher;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The meters' own CPU time in one op of the engine benchmark, steadier than a difference of
 * two noisy wall times: the events and checks one first convergence of a 10,000-vertex graph
 * hands to {@code EngineMetrics} are captured from a real engine, then replayed, in their
 * order, on one thread, into a fresh binding on a Prometheus registry (200 times after 100
 * warm-ups; median and min). What this leaves out is the engine's side: building those events,
 * reading the clock for the checks and calling the listeners.
 *
 * <p>Usage: {@code MetricsCpuPerOp [shape=random] [n=10000]}.
 */
public final class MetricsCpuPerOp {

    private MetricsCpuPerOp() {
    }

    public static void main(String[] args) {
        String shape = args.length > 0 ? args[0] : "random";
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        Graph graph = Graphs.build(Graphs.Shape.valueOf(shape.toUpperCase(Locale.ROOT)), n);
        // The types EngineMetrics asks for, as the real engine hands them over.
        Replayed capture = new Replayed();
        List<Object> events = new CopyOnWriteArrayList<>();
        Engine real = Engine.builder().build();
        try (Engine engine = real) {
            EngineMetrics.bind(capture, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)).close();
            engine.listen(capture.types, events::add);
            engine.listenChecks((id, ok, start, end) -> events.add(new Check(id, ok, start, end)));
            engine.start(graph);
            engine.awaitConverged(Duration.ofMinutes(1)).orThrow();
        }
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        long[] nanos = new long[200];
        for (int r = -100; r < nanos.length; r++) {
            Replayed engine = new Replayed(real);
            MetricsBinding bound = EngineMetrics.bind(engine, registry);
            long t0 = System.nanoTime();
            for (Object e : events) {
                if (e instanceof Check c) {
                    engine.checks.checked(c.id, c.ok, c.start, c.end);
                } else {
                    engine.listener.accept((EngineEvent) e);
                }
            }
            long took = System.nanoTime() - t0;
            bound.close();
            if (r >= 0) {
                nanos[r] = took;
            }
        }
        Arrays.sort(nanos);
        System.out.printf(Locale.ROOT, "meters' CPU per op, %s %d: %d events and checks, median %.3f ms, min %.3f ms%n", shape, n,
                events.size(), nanos[nanos.length / 2] / 1e6, nanos[0] / 1e6);
    }

    private record Check(ResourceId id, boolean ok, long start, long end) {
    }

    /** An engine that only takes listeners, so that events and checks can be replayed into them. */
    private static final class Replayed implements Engine {
        Set<Class<? extends EngineEvent>> types = Set.of();
        Consumer<? super EngineEvent> listener = e -> { };
        CheckListener checks = (id, ok, start, end) -> { };
        /** The engine the checks came from: its readings are its clock's, not the epoch's. */
        private final Engine source;

        Replayed(Engine source) {
            this.source = source;
        }

        Replayed() {
            this(null);
        }

        @Override
        public java.time.Instant eventTime(long nanos) {
            return source == null ? Engine.super.eventTime(nanos) : source.eventTime(nanos);
        }

        @Override
        public Disposable listenChecks(CheckListener l) {
            checks = l;
            return () -> { };
        }

        @Override
        public Disposable listen(Set<Class<? extends EngineEvent>> t, Consumer<? super EngineEvent> l) {
            types = t;
            listener = l;
            return () -> { };
        }

        @Override
        public Map<VertexState, Integer> states() {
            return Map.of();
        }

        @Override
        public void start(Graph graph) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void swap(Graph graph) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Disposable follow(Publisher<? extends Graph> graphs) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Flux<EngineEvent> events() {
            return Flux.never();
        }

        @Override
        public Mono<Convergence> converged(Duration quietFor) {
            return Mono.never();
        }

        @Override
        public Convergence awaitConverged(Duration timeout) {
            throw new UnsupportedOperationException();
        }

        @Override
        public VertexState state(ResourceId id) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<ResourceId> noopReport() {
            return new ArrayList<>();
        }

        @Override
        public String toDot() {
            return "";
        }

        @Override
        public void close() {
        }
    }
}
