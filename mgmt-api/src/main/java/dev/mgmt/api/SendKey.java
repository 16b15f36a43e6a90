package dev.mgmt.api;

import java.lang.invoke.MethodType;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

/**
 * A value a kind of resource sends after it ran, named and typed, and owned by the kind that
 * sends it: {@code exec}'s {@code stdout} is a {@code SendKey<ExecResource, String>}. A
 * {@link Sender} lists its keys; an edge of the graph maps one of them to a {@link RecvParam}
 * of the resource after it ({@link GraphBuilder#send}, which does not compile with a key of
 * another kind), and the engine hands the value over after every run of the sender that ends
 * clean.
 *
 * <p>A resource sends from inside {@code check()}, {@code apply()} or {@code refresh()}, by
 * chaining {@link #send}, the way {@link Report#say} is chained:
 *
 * <pre>{@code
 * public static final SendKey<KvResource, String> VALUE = SendKey.of(KvResource.class, "value", String.class);
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
 * <p>Equality is by owner, name and type.
 *
 * @param <S> the resource type that sends
 * @param <T> the type of the value
 */
public final class SendKey<S extends Resource, T> {

    /** The Reactor context key under which the engine puts a run's {@link Sink}. */
    public static final Object SINK = Sink.class;

    /** What a YAML edge can name plainly: {@code send: stdout}, {@code recv: content}. */
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");
    private static final Map<Class<?>, String> TYPE_NAMES = Map.of(String.class, "string", Integer.class, "integer",
            Long.class, "long", Boolean.class, "boolean", Double.class, "double", Float.class, "float",
            Short.class, "short", Byte.class, "byte", Character.class, "character");

    private final Class<S> owner;
    private final String name;
    private final Class<T> type;

    private SendKey(Class<S> owner, String name, Class<T> type) {
        this.owner = Objects.requireNonNull(owner, "owner");
        this.name = checkName("send key", name);
        this.type = checkType("send key", name, type);
    }

    /**
     * The key {@code name} of {@code owner}'s kind for values of {@code type}:
     * {@code SendKey.of(ExecResource.class, "stdout", String.class)}.
     *
     * @throws IllegalArgumentException when the name is not lower-case letters, digits and
     *                                  {@code _}, starting with a letter, or the type is primitive
     */
    public static <S extends Resource, T> SendKey<S, T> of(Class<S> owner, String name, Class<T> type) {
        return new SendKey<>(owner, name, type);
    }

    /** The resource type that sends it. */
    public Class<S> owner() {
        return owner;
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
        boolean wants(SendKey<?, ?> key);

        /** {@code value} was sent for {@code key}; its type is the key's. */
        void sent(SendKey<?, ?> key, Object value);

        /** This run has no value for {@code key}, for the reason given. */
        void withheld(SendKey<?, ?> key, String why);
    }

    /**
     * A type as a message shows it: {@code string}, {@code integer} ({@link Integer}),
     * {@code long}, {@code boolean} and the other boxes in lower case, else its simple name.
     */
    public static String typeName(Class<?> type) {
        return TYPE_NAMES.getOrDefault(type, type.getSimpleName());
    }

    /**
     * {@code type} as a message that also shows {@code other} names it: its {@link #typeName},
     * or its full name when that would read the same as {@code other}'s ({@code a.Digest},
     * {@code b.Digest}).
     */
    static String typeName(Class<?> type, Class<?> other) {
        String name = typeName(type);
        return type != other && name.equals(typeName(other)) ? type.getName() : name;
    }

    /** {@code name}, if an edge in YAML can name it plainly; {@code what} says whose it is. */
    static String checkName(String what, String name) {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(what + " " + Quoted.of(name) + ": a name must be lower-case"
                    + " letters, digits and '_', starting with a letter (a YAML edge names it plainly)");
        }
        if (name.equals("null")) {
            throw new IllegalArgumentException(what + " 'null': a YAML edge cannot name it (YAML reads null as"
                    + " no value)");
        }
        return name;
    }

    /** {@code type}, if a value of it can be sent (a class, not a primitive). */
    static <T> Class<T> checkType(String what, String name, Class<T> type) {
        Objects.requireNonNull(type, "type");
        if (type.isPrimitive()) {
            throw new IllegalArgumentException(what + " " + name + ": " + type + " is a primitive type; use "
                    + MethodType.methodType(type).wrap().returnType().getSimpleName() + ".class");
        }
        return type;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SendKey<?, ?> k && k.owner.equals(owner) && k.name.equals(name) && k.type.equals(type);
    }

    @Override
    public int hashCode() {
        return Objects.hash(owner, name, type);
    }

    @Override
    public String toString() {
        return name + " (" + typeName(type) + ")";
    }
}
