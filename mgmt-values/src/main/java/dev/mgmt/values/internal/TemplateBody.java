package dev.mgmt.values.internal;

import dev.mgmt.values.internal.RecordType.Component;
import dev.mgmt.values.internal.TemplateLexer.Tag;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A checked template, ready to render: text, values and sections whose names were resolved
 * against the record types when it was made, so rendering only reads components. A null
 * anywhere is refused with the hole, its position and the component, never written as "null".
 */
public final class TemplateBody {

    sealed interface Node permits Literal, Value, Each {
    }

    record Literal(String text) implements Node {
    }

    /** A component's value; the compiler checked its type is one that renders. */
    record Value(Ref ref, Tag tag) implements Node {
    }

    /** The body once for each element of a collection of records. */
    record Each(Ref ref, Tag tag, List<Node> body) implements Node {
    }

    /** The record {@code up} sections out from the innermost, then a chain of components from it. */
    record Ref(int up, List<Component> chain) {
    }

    /**
     * The record in hand, and the ones around it: element {@code index} of the list {@code name}
     * (none for the top record). Where it is, for messages, is worked out only when one is said.
     */
    private record Scope(Object record, Scope outer, int index, String name) {

        String where() {
            return name == null ? null
                    : "element " + index + " of " + name + (outer.where() == null ? "" : ", " + outer.where());
        }
    }

    private final List<Node> nodes;

    TemplateBody(List<Node> nodes) {
        this.nodes = List.copyOf(nodes);
    }

    /**
     * The text for {@code record}.
     *
     * @throws IllegalArgumentException when a component it renders is null
     */
    public String render(Object record) {
        Objects.requireNonNull(record, "record");
        StringBuilder out = new StringBuilder();
        render(nodes, new Scope(record, null, 0, null), out);
        return out.toString();
    }

    private static void render(List<Node> nodes, Scope scope, StringBuilder out) {
        for (Node n : nodes) {
            if (n instanceof Literal l) {
                out.append(l.text());
            } else if (n instanceof Value v) {
                out.append(text(get(v.ref(), v.tag(), scope)));
            } else if (n instanceof Each e) {
                Collection<?> elements = (Collection<?>) get(e.ref(), e.tag(), scope);
                String name = e.tag().path().get(e.tag().path().size() - 1);
                int i = 0;
                for (Object element : elements) {
                    i++;
                    Scope inner = new Scope(element, scope, i, name);
                    if (element == null) {
                        throw new IllegalArgumentException(e.tag().at() + ": " + e.tag().written() + ": "
                                + inner.where() + " is null; a template renders no null");
                    }
                    render(e.body(), inner, out);
                }
            }
        }
    }

    private static Object get(Ref ref, Tag tag, Scope scope) {
        Scope s = scope;
        for (int k = 0; k < ref.up(); k++) {
            s = s.outer();
        }
        Object value = s.record();
        for (Component c : ref.chain()) {
            value = c.get(value);
            if (value == null) {
                throw new IllegalArgumentException(tag.at() + ": " + tag.written() + ": " + c.name() + " of "
                        + c.owner().name() + " is null" + (s.where() == null ? "" : " (" + s.where() + ")")
                        + "; a template renders no null: " + advice(c));
            }
        }
        return value;
    }

    /** What to do instead of a null: only a rendered value can be an Optional (a hole cannot go through one). */
    private static String advice(Component c) {
        if (optional(c.type())) {
            return "give an empty " + c.type().getSimpleName() + " for a value that may be absent";
        }
        if (java.util.Collection.class.isAssignableFrom(c.type())) {
            return "give an empty " + c.type().getSimpleName() + " when there is nothing";
        }
        if (c.type().isRecord()) {
            return c.name() + " must not be null (a hole cannot read through an absent record)";
        }
        return "make it Optional<" + c.typeName() + "> for a value that may be absent";
    }

    static boolean optional(Class<?> type) {
        return type == Optional.class || type == OptionalInt.class || type == OptionalLong.class || type == OptionalDouble.class;
    }

    private static String text(Object value) {
        if (value instanceof Optional<?> o) {
            return o.map(String::valueOf).orElse("");
        }
        if (value instanceof OptionalInt o) {
            return o.isPresent() ? String.valueOf(o.getAsInt()) : "";
        }
        if (value instanceof OptionalLong o) {
            return o.isPresent() ? String.valueOf(o.getAsLong()) : "";
        }
        if (value instanceof OptionalDouble o) {
            return o.isPresent() ? String.valueOf(o.getAsDouble()) : "";
        }
        return String.valueOf(value);
    }
}
