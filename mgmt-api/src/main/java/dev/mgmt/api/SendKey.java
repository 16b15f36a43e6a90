package dev.mgmt.api;

import java.util.Objects;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

/**
 * A value a kind of resource sends after it ran, named and typed: {@code exec}'s
 * {@code stdout} is a {@code SendKey<String>}. A {@link Sender} lists its keys; an edge of the
 * graph maps one of them to a {@link RecvParam} of the resource after it
 * ({@link GraphBuilder#send}), and the engine hands the value over after every run of the
 * sender that ends clean.
 *
 * <p>A resource sends from inside {@code check()}, {@code apply()} or {@code refresh()}, by
 * chaining {@link #send}, the way {@link Report#say} is chained:
 *
 * <pre>{@code
 * public static final SendKey<String> VALUE = SendKey.of("value", String.class);
 * ...
 * return write(value).then(VALUE.send(value));
 * }</pre>
 *
 * <p>The values exist only after a run, so they travel with it, not with the resource: the
 * resource stays a value with value equality. The engine gives a run a sink only when an edge
 * of the running graph takes one of the resource's keys, and keeps the last value sent for each
 * key; a run that sends nothing for a key leaves its last value standing. So a sender sends, in
 * every run that ends clean, what it knows: a run that changed nothing sends what the last one
 * that did would have (an {@code exec} that already ran sends that run's output again, when it
 * kept it: it keeps it only while an edge takes it, see {@link #wanted}). When a swap adds an
 * edge that takes a key the sender never sent, the engine runs the sender again.
 * Outside an engine, sending does nothing.
 *
 * <p>Equality is by name and type.
 *
 * @param <T> the type of the value
 */
public final class SendKey<T> {

    /** The Reactor context key under which the engine puts a run's {@link Sink}. */
    public static final Object SINK = Sink.class;

    private final String name;
    private final Class<T> type;

    private SendKey(String name, Class<T> type) {
        this.name = Objects.requireNonNull(name, "name");
        this.type = Objects.requireNonNull(type, "type");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a send key needs a name");
        }
    }

    /** The key {@code name} (lower case, as YAML names it) for values of {@code type}. */
    public static <T> SendKey<T> of(String name, Class<T> type) {
        return new SendKey<>(name, type);
    }

    /** The name, as an edge's {@code send:} names it in YAML. */
    public String name() {
        return name;
    }

    /** The type of the values sent. */
    public Class<T> type() {
        return type;
    }

    /** Sends {@code value} for this key in the current run. */
    public Mono<Void> send(T value) {
        Objects.requireNonNull(value, "value");
        return Mono.deferContextual(ctx -> {
            Sink s = sink(ctx);
            if (s != null) {
                s.sent(this, type.cast(value));
            }
            return Mono.empty();
        });
    }

    /**
     * Sends the value {@code value} computes, computing it only when an edge of the running graph
     * takes this key: for a value that costs something to find (a hash of a file read from disk).
     */
    public Mono<Void> sendLazily(java.util.function.Supplier<? extends T> value) {
        Objects.requireNonNull(value, "value");
        return Mono.deferContextual(ctx -> {
            Sink s = sink(ctx);
            if (s != null && s.wants(this)) {
                s.sent(this, type.cast(Objects.requireNonNull(value.get(), "value")));
            }
            return Mono.empty();
        });
    }

    /**
     * Whether an edge of the running graph takes this key from the resource now running: the
     * engine's sink for this run {@linkplain Sink#wants wants} it. A sender asks before it keeps
     * something that costs memory to keep (an {@code exec} keeps its command's whole output only
     * when one of its output keys is wanted). Outside an engine, false.
     */
    public Mono<Boolean> wanted() {
        return Mono.deferContextual(ctx -> {
            Sink s = sink(ctx);
            return Mono.just(s != null && s.wants(this));
        });
    }

    /**
     * Says why this run has no value for this key ({@code "the command's output is over 1 MiB"}),
     * so that a receiver fails with that reason instead of a guess. It replaces the last value.
     */
    public Mono<Void> withhold(String why) {
        Objects.requireNonNull(why, "why");
        return Mono.deferContextual(ctx -> {
            Sink s = sink(ctx);
            if (s != null) {
                s.withheld(this, why);
            }
            return Mono.empty();
        });
    }

    private static Sink sink(ContextView ctx) {
        return ctx.getOrDefault(SINK, null);
    }

    /** What the engine gives each run of a {@link Sender} (a test may give its own). */
    public interface Sink {
        /** Whether an edge of the running graph takes {@code key} from this resource. */
        boolean wants(SendKey<?> key);

        /** {@code value} was sent for {@code key}; its type is the key's. */
        void sent(SendKey<?> key, Object value);

        /** This run has no value for {@code key}, for the reason given. */
        void withheld(SendKey<?> key, String why);
    }

    /** A type as a message shows it: {@code string}, {@code integer}, {@code boolean}, else its simple name. */
    public static String typeName(Class<?> type) {
        if (type == String.class) {
            return "string";
        }
        if (type == Integer.class || type == Long.class) {
            return "integer";
        }
        if (type == Boolean.class) {
            return "boolean";
        }
        return type.getSimpleName();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SendKey<?> k && k.name.equals(name) && k.type.equals(type);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + type.hashCode();
    }

    @Override
    public String toString() {
        return name + " (" + typeName(type) + ")";
    }
}
