package dev.mgmt.api;

import java.util.Objects;
import java.util.function.BiFunction;

/**
 * A parameter of a kind that another resource's sent value can set over an edge (see
 * {@link SendKey}): named, typed, and with the way a resource that received a value is made.
 * Resources are immutable, so receiving makes a new one: {@code file}'s {@code content} is
 * {@code RecvParam.of(FileResource.class, "content", String.class, FileResource::withContent)}.
 *
 * <p>The engine runs check, apply and refresh on the resource made by receiving; the
 * declared resource stays what graph swaps compare, what is watched and what is closed. So a
 * kind offers only parameters that do not change what its watch watches and that need nothing
 * closed of their own (a file's content and mode, not its path). The resource {@code with}
 * makes keeps the declared one's id; one with another id fails the run, naming the edge.
 *
 * <p>A value received may be a secret (a generated password), so no message shows it. When the
 * resource made by receiving does not {@linkplain Resource#validate() validate}, a problem that
 * shows a value received names the edge in its place: {@code mode: '0600\n' is not an octal
 * file mode} becomes {@code the value received over exec[m].stdout -> file[f].mode is not an
 * octal file mode}. That works when the problem has the form {@code name: <value> <why>} (the
 * value quoted or not, as {@link Quoted#of} shows it); a problem that shows the value anywhere
 * else says only {@code ... is not a valid mode}. So a kind writes the problems of a receivable
 * parameter in that form, or without the value.
 *
 * <p>Equality is by owner, name and type.
 *
 * @param <R> the resource type that receives
 * @param <T> the type of the value
 */
public final class RecvParam<R extends Resource, T> {

    private final Class<R> owner;
    private final String name;
    private final Class<T> type;
    private final BiFunction<? super R, ? super T, ? extends R> with;

    private RecvParam(Class<R> owner, String name, Class<T> type, BiFunction<? super R, ? super T, ? extends R> with) {
        this.owner = Objects.requireNonNull(owner, "owner");
        this.name = SendKey.checkName("receivable parameter", name);
        this.type = SendKey.checkType("receivable parameter", name, type);
        this.with = Objects.requireNonNull(with, "with");
    }

    /**
     * The parameter {@code name} (as YAML names it) of {@code owner}, taking values of
     * {@code type}; {@code with} returns the resource with that value set.
     *
     * @throws IllegalArgumentException when the name is not lower-case letters, digits and
     *                                  {@code _}, starting with a letter, or the type is primitive
     */
    public static <R extends Resource, T> RecvParam<R, T> of(Class<R> owner, String name, Class<T> type,
                                                             BiFunction<? super R, ? super T, ? extends R> with) {
        return new RecvParam<>(owner, name, type, with);
    }

    /** The resource type that has this parameter. */
    public Class<R> owner() {
        return owner;
    }

    /** The name, as an edge's {@code recv:} names it in YAML. */
    public String name() {
        return name;
    }

    /** The type of the values it takes. */
    public Class<T> type() {
        return type;
    }

    /** Whether a value sent for {@code key} fits this parameter. */
    public boolean accepts(SendKey<?, ?> key) {
        return type.isAssignableFrom(key.type());
    }

    /**
     * {@code resource} with {@code value} received into this parameter.
     *
     * @throws IllegalArgumentException when the resource or the value is of another type
     */
    public Resource receive(Resource resource, Object value) {
        if (!owner.isInstance(resource)) {
            throw new IllegalArgumentException(name + ": a " + resource.kind() + " cannot receive it");
        }
        if (!type.isInstance(value)) {
            throw new IllegalArgumentException(name + ": expected " + SendKey.typeName(type, value.getClass())
                    + ", was " + SendKey.typeName(value.getClass(), type));
        }
        return Objects.requireNonNull(with.apply(owner.cast(resource), type.cast(value)), "received resource");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RecvParam<?, ?> p && p.owner.equals(owner) && p.name.equals(name) && p.type.equals(type);
    }

    @Override
    public int hashCode() {
        return Objects.hash(owner, name, type);
    }

    @Override
    public String toString() {
        return name + " (" + SendKey.typeName(type) + ")";
    }
}
