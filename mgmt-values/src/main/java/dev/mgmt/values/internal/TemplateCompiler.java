package dev.mgmt.values.internal;

import dev.mgmt.values.internal.RecordType.Component;
import dev.mgmt.values.internal.TemplateBody.Each;
import dev.mgmt.values.internal.TemplateBody.Literal;
import dev.mgmt.values.internal.TemplateBody.Node;
import dev.mgmt.values.internal.TemplateBody.Ref;
import dev.mgmt.values.internal.TemplateBody.Value;
import dev.mgmt.values.internal.TemplateLexer.Bad;
import dev.mgmt.values.internal.TemplateLexer.Position;
import dev.mgmt.values.internal.TemplateLexer.Tag;
import dev.mgmt.values.internal.TemplateLexer.Text;
import dev.mgmt.values.internal.TemplateLexer.Token;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Checks a template's tags against a record type and builds its {@link TemplateBody}. Every
 * mistake is found here, when the template is made: a name that is no component, a hole whose
 * type does not render, an each over what is not a collection of records, sections that do not
 * pair up, and syntax. Each message has the position and names the records in scope.
 */
public final class TemplateCompiler {

    private static final String RENDERS = "a hole takes text, a number, a boolean, a character, an enum, "
            + "or an Optional of one";

    /** A section being read: the record type in it, and the nodes so far. */
    private record Frame(RecordType type, Tag opener, Ref over, List<Node> nodes, Frame outer) {
    }

    private final Map<Class<?>, RecordType> types = new HashMap<>();

    private TemplateCompiler() {
    }

    /**
     * The checked template.
     *
     * @param file the file {@code text} is from, for positions; null for text given in code
     * @throws IllegalArgumentException at the first mistake, with its position
     */
    public static TemplateBody compile(Class<?> type, String text, String file) {
        return new TemplateCompiler().body(type, TemplateLexer.tokens(text, file));
    }

    private TemplateBody body(Class<?> type, List<Token> tokens) {
        Frame f = new Frame(type(type), null, null, new ArrayList<>(), null);
        for (Token t : tokens) {
            if (t instanceof Text text) {
                f.nodes().add(new Literal(text.text()));
            } else if (t instanceof Bad bad) {
                throw fail(bad.at(), bad.problem() + "; here a hole names a component of " + scope(f));
            } else if (t instanceof Tag tag) {
                switch (tag.kind()) {
                    case LITERAL -> f.nodes().add(new Literal(tag.literal()));
                    case VALUE -> f.nodes().add(new Value(value(f, tag), tag));
                    case EACH -> {
                        Ref ref = resolve(f, tag);
                        Component over = ref.chain().get(ref.chain().size() - 1);
                        f = new Frame(type(elements(over, tag, f)), tag, ref, new ArrayList<>(), f);
                    }
                    case END -> {
                        if (f.outer() == null) {
                            throw fail(tag.at(), "{{/each}} has no {{#each …}} before it to close; here a hole names "
                                    + "a component of " + scope(f));
                        }
                        Frame inner = f;
                        f = f.outer();
                        f.nodes().add(new Each(inner.over(), inner.opener(), List.copyOf(inner.nodes())));
                    }
                }
            }
        }
        if (f.outer() != null) {
            throw fail(f.opener().at(), f.opener().written() + " is not closed: expected {{/each}} before the end "
                    + "of the template; in it a hole names a component of " + scope(f));
        }
        return new TemplateBody(List.copyOf(f.nodes()));
    }

    /** The reference of a hole, checked to render. */
    private Ref value(Frame f, Tag tag) {
        Ref ref = resolve(f, tag);
        Component c = ref.chain().get(ref.chain().size() - 1);
        if (renders(c.genericType())) {
            return ref;
        }
        String is = tag.written() + ": " + c.name() + " of " + c.owner().name() + " is " + c.typeName();
        if (c.type().isRecord()) {
            RecordType r = type(c.type());
            String first = r.names().isEmpty() ? "…" : r.names().get(0);
            throw fail(tag.at(), is + ", a record: name one of its components, as in {{ " + String.join(".", tag.path())
                    + "." + first + " }} (components of " + r.describe() + ")");
        }
        if (Collection.class.isAssignableFrom(c.type())) {
            throw fail(tag.at(), is + ": go over it with {{#each " + String.join(".", tag.path()) + "}} … {{/each}}");
        }
        throw fail(tag.at(), is + ": " + RENDERS);
    }

    /** The record type of the elements {@code over} holds, or a failure that says why it holds none. */
    private static Class<?> elements(Component over, Tag tag, Frame f) {
        String is = tag.written() + ": " + over.name() + " of " + over.owner().name() + " is " + over.typeName();
        String expected = "expected a List or other Collection of records to go over";
        if (!Collection.class.isAssignableFrom(over.type())) {
            throw fail(tag.at(), is + ": " + expected + "; here a hole names a component of " + scope(f));
        }
        Type element = over.genericType() instanceof ParameterizedType p && p.getActualTypeArguments().length == 1
                ? bound(p.getActualTypeArguments()[0]) : null;
        if (element instanceof Class<?> c && c.isRecord()) {
            return c;
        }
        throw fail(tag.at(), is + ": " + expected + " (map the elements into records of your own); here a hole "
                + "names a component of " + scope(f));
    }

    /**
     * The component the tag's path names: the first name in the innermost record that has it,
     * each next name in the record before it.
     */
    private Ref resolve(Frame f, Tag tag) {
        List<String> path = tag.path();
        int up = 0;
        Component c = null;
        for (Frame g = f; g != null && c == null; g = g.outer()) {
            c = g.type().component(path.get(0)).orElse(null);
            if (c == null) {
                up++;
            }
        }
        if (c == null) {
            throw fail(tag.at(), tag.written() + " names no component of " + scope(f));
        }
        List<Component> chain = new ArrayList<>(List.of(c));
        for (String name : path.subList(1, path.size())) {
            if (!c.type().isRecord()) {
                throw fail(tag.at(), tag.written() + ": " + c.name() + " of " + c.owner().name() + " is "
                        + c.typeName() + ", which has no components: expected a record before ." + name);
            }
            RecordType r = type(c.type());
            c = r.component(name).orElse(null);
            if (c == null) {
                throw fail(tag.at(), tag.written() + ": " + name + " names no component of " + r.describe());
            }
            chain.add(c);
        }
        return new Ref(up, List.copyOf(chain));
    }

    private RecordType type(Class<?> c) {
        RecordType t = types.get(c);
        if (t == null) {
            t = RecordType.of(c);
            types.put(c, t);
        }
        return t;
    }

    /** {@code Host (name, address) or Hosts (hosts, domain)}: the records in scope, innermost first. */
    private static String scope(Frame f) {
        List<String> records = new ArrayList<>();
        for (Frame g = f; g != null; g = g.outer()) {
            records.add(g.type().describe());
        }
        return String.join(" or ", records);
    }

    private static boolean renders(Type t) {
        if (t instanceof Class<?> c) {
            return scalar(c) || c == OptionalInt.class || c == OptionalLong.class || c == OptionalDouble.class;
        }
        return t instanceof ParameterizedType p && p.getRawType() == Optional.class
                && bound(p.getActualTypeArguments()[0]) instanceof Class<?> c && scalar(c);
    }

    private static boolean scalar(Class<?> c) {
        return c.isPrimitive() && c != void.class || CharSequence.class.isAssignableFrom(c)
                || Number.class.isAssignableFrom(c) || c == Boolean.class || c == Character.class
                || Enum.class.isAssignableFrom(c);
    }

    /** {@code ? extends X} as {@code X}. */
    private static Type bound(Type t) {
        return t instanceof WildcardType w && w.getLowerBounds().length == 0 ? w.getUpperBounds()[0] : t;
    }

    private static IllegalArgumentException fail(Position at, String message) {
        return new IllegalArgumentException(at + ": " + message);
    }
}
