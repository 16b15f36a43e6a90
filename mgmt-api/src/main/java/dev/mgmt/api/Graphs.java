package dev.mgmt.api;

import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;

/**
 * A graph as a function of live values: the fluent entry to a {@code Flux<Graph>} that an engine
 * follows ({@code engine.follow(...)}).
 *
 * <pre>{@code
 * engine.follow(Graphs.from(world.hosts(), facts.hostname())
 *         .map((hosts, me) -> Graph.builder("hosts")
 *                 .add(FileResource.file("/etc/mgmt-hosts", render(hosts, me)))
 *                 .build()));
 * }</pre>
 *
 * <p>It is a thin layer over Reactor's {@link Flux#combineLatest}: the first graph comes once
 * every source has a value, then one comes each time any source changes, built from the latest
 * value of each. A graph equal to the one before it (see {@link Graph#equals}) is dropped, so a
 * value that changes without changing the graph costs the engine nothing. An error in a source or
 * in the function ends the stream, as in Reactor. Sources that complete keep their last value.
 */
public final class Graphs {

    private Graphs() {
    }

    /** Graphs from one live value. */
    public static <A> From1<A> from(Publisher<? extends A> a) {
        return new From1<>(Objects.requireNonNull(a, "source"));
    }

    /** Graphs from two live values. */
    public static <A, B> From2<A, B> from(Publisher<? extends A> a, Publisher<? extends B> b) {
        return new From2<>(Objects.requireNonNull(a, "first source"), Objects.requireNonNull(b, "second source"));
    }

    /** Graphs from three live values. */
    public static <A, B, C> From3<A, B, C> from(Publisher<? extends A> a, Publisher<? extends B> b,
                                                Publisher<? extends C> c) {
        return new From3<>(Objects.requireNonNull(a, "first source"), Objects.requireNonNull(b, "second source"),
                Objects.requireNonNull(c, "third source"));
    }

    /** Graphs from four live values. */
    public static <A, B, C, D> From4<A, B, C, D> from(Publisher<? extends A> a, Publisher<? extends B> b,
                                                      Publisher<? extends C> c, Publisher<? extends D> d) {
        return new From4<>(Objects.requireNonNull(a, "first source"), Objects.requireNonNull(b, "second source"),
                Objects.requireNonNull(c, "third source"), Objects.requireNonNull(d, "fourth source"));
    }

    /** A function of three values (Reactor has none since 3.0). */
    @FunctionalInterface
    public interface Function3<A, B, C, R> {
        /** The result for these values. */
        R apply(A a, B b, C c);
    }

    /** A function of four values. */
    @FunctionalInterface
    public interface Function4<A, B, C, D, R> {
        /** The result for these values. */
        R apply(A a, B b, C c, D d);
    }

    /** One source, waiting for the function that makes a graph of its value. */
    public static final class From1<A> {
        private final Publisher<? extends A> a;

        private From1(Publisher<? extends A> a) {
            this.a = a;
        }

        /** A graph for each new value; equal consecutive graphs are dropped. */
        public Flux<Graph> map(Function<? super A, ? extends Graph> graph) {
            Objects.requireNonNull(graph, "graph function");
            return distinct(Flux.<A>from(a).map(x -> made(graph.apply(x))));
        }
    }

    /** Two sources, waiting for the function that makes a graph of their latest values. */
    public static final class From2<A, B> {
        private final Publisher<? extends A> a;
        private final Publisher<? extends B> b;

        private From2(Publisher<? extends A> a, Publisher<? extends B> b) {
            this.a = a;
            this.b = b;
        }

        /** A graph once both have a value, then on each change; equal consecutive graphs are dropped. */
        public Flux<Graph> map(BiFunction<? super A, ? super B, ? extends Graph> graph) {
            Objects.requireNonNull(graph, "graph function");
            return distinct(Flux.<A, B, Graph>combineLatest(a, b, (x, y) -> made(graph.apply(x, y))));
        }
    }

    /** Three sources, waiting for the function that makes a graph of their latest values. */
    public static final class From3<A, B, C> {
        private final Publisher<? extends A> a;
        private final Publisher<? extends B> b;
        private final Publisher<? extends C> c;

        private From3(Publisher<? extends A> a, Publisher<? extends B> b, Publisher<? extends C> c) {
            this.a = a;
            this.b = b;
            this.c = c;
        }

        /** A graph once all have a value, then on each change; equal consecutive graphs are dropped. */
        @SuppressWarnings("unchecked")
        public Flux<Graph> map(Function3<? super A, ? super B, ? super C, ? extends Graph> graph) {
            Objects.requireNonNull(graph, "graph function");
            return distinct(Flux.combineLatest(v -> made(graph.apply((A) v[0], (B) v[1], (C) v[2])), a, b, c));
        }
    }

    /** Four sources, waiting for the function that makes a graph of their latest values. */
    public static final class From4<A, B, C, D> {
        private final Publisher<? extends A> a;
        private final Publisher<? extends B> b;
        private final Publisher<? extends C> c;
        private final Publisher<? extends D> d;

        private From4(Publisher<? extends A> a, Publisher<? extends B> b, Publisher<? extends C> c,
                      Publisher<? extends D> d) {
            this.a = a;
            this.b = b;
            this.c = c;
            this.d = d;
        }

        /** A graph once all have a value, then on each change; equal consecutive graphs are dropped. */
        @SuppressWarnings("unchecked")
        public Flux<Graph> map(Function4<? super A, ? super B, ? super C, ? super D, ? extends Graph> graph) {
            Objects.requireNonNull(graph, "graph function");
            return distinct(Flux.combineLatest(
                    v -> made(graph.apply((A) v[0], (B) v[1], (C) v[2], (D) v[3])), a, b, c, d));
        }
    }

    private static Graph made(Graph g) {
        if (g == null) {
            // Reactor's own message would name its operator; this one names what the user wrote.
            throw new IllegalStateException("the function given to Graphs.from(...).map returned no graph");
        }
        return g;
    }

    private static Flux<Graph> distinct(Flux<Graph> graphs) {
        return graphs.distinctUntilChanged();
    }
}
