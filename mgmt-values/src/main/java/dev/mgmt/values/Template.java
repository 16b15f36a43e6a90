package dev.mgmt.values;

import dev.mgmt.api.Utf8;
import dev.mgmt.values.internal.TemplateBody;
import dev.mgmt.values.internal.TemplateCompiler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A file's content as a text with holes for a record's components, checked against the record
 * type when it is made: a hole that names no component fails at {@code of}, not at the first
 * render. Use it reactively with Reactor's own {@code map(template::render)}.
 *
 * <pre>{@code
 * record Host(String name, String address) {}
 * record Hosts(String domain, List<Host> hosts) {}
 *
 * Template<Hosts> hostsFile = Template.of(Hosts.class, """
 *         # {{ domain }}: managed by mgmt
 *         {{#each hosts}}
 *         {{ address }} {{ name }}.{{ domain }}
 *         {{/each}}
 *         """);
 * hostsFile.render(new Hosts("lan", List.of(new Host("a", "10.0.0.1"))));
 * // # lan: managed by mgmt
 * // 10.0.0.1 a.lan
 * }</pre>
 *
 * <p>The tags:
 * <ul>
 * <li>{@code {{ name }}}: the component {@code name}; {@code {{ peer.name }}} a component of a
 *     record component. Text, numbers, booleans, characters and enums render as {@link
 *     String#valueOf}; an {@code Optional} (or {@code OptionalInt}, …) renders its value or
 *     nothing. Any other type is refused at {@code of}.</li>
 * <li>{@code {{#each hosts}} … {{/each}}}: the text between, once for each element of a {@code
 *     List} or other {@code Collection} of records, in its order. Inside, a name is looked up
 *     in the element first, then in the records around it. Sections nest.</li>
 * <li>{@code {{ "text" }}}: the text itself, with {@code \"}, {@code \\}, {@code \n} and
 *     {@code \t} escapes; a literal <code>{{</code> is written <code>{{ "{{" }}</code>.</li>
 * </ul>
 * Spaces and tabs inside a tag do not matter; a tag ends on the line it begins on.
 *
 * <p><b>Standalone lines.</b> A line that holds one {@code {{#each …}}} or {@code {{/each}}}
 * and otherwise only spaces and tabs is removed whole, its line ending ({@code \n} or {@code
 * \r\n}) included. Every other line, one with a hole too, is kept as written. So a section
 * written on lines of its own adds no blank lines, and one written inline ({@code
 * {{#each hosts}}{{ name }} {{/each}}}) adds nothing but its elements.
 *
 * <p><b>Errors.</b> A mistake throws {@link IllegalArgumentException} from {@code of}, with the
 * line and column ({@code line 3:5:}, or {@code file:3:5:} for a file; columns count Unicode code
 * points from 1) and what was expected, naming the records in scope and their components. A
 * component that is null when rendering throws {@link IllegalArgumentException} naming it and
 * its hole: a template never writes "null".
 *
 * <p>The record may be in any package or module, public or not: its accessors are called
 * through reflection made accessible, which always works on the class path; in a named module,
 * open the record's package to {@code dev.mgmt.values}. A template is immutable and safe to
 * share between threads.
 *
 * @param <T> the record whose components fill the holes
 */
public final class Template<T extends Record> {

    private final Class<T> type;
    private final TemplateBody body;

    private Template(Class<T> type, TemplateBody body) {
        this.type = type;
        this.body = body;
    }

    /**
     * The template {@code text} for records of {@code type}.
     *
     * @throws IllegalArgumentException at a mistake in the text, with its line and column
     */
    public static <T extends Record> Template<T> of(Class<T> type, String text) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(text, "text");
        return new Template<>(type, TemplateCompiler.compile(type, text, null));
    }

    /**
     * The template in {@code file} (UTF-8 text) for records of {@code type}; positions in
     * messages are the file's ({@code hosts.tmpl:3:5:}).
     *
     * @throws IOException when the file cannot be read
     * @throws IllegalArgumentException when it is not UTF-8 text, or at a mistake in it
     */
    public static <T extends Record> Template<T> of(Class<T> type, Path file) throws IOException {
        Objects.requireNonNull(type, "type");
        byte[] bytes = Files.readAllBytes(file);
        String text = Utf8.decode(bytes).orElseThrow(() -> new IllegalArgumentException(
                file + " is not UTF-8 text (byte " + Utf8.firstBadByte(bytes) + " of " + bytes.length + ")"));
        return new Template<>(type, TemplateCompiler.compile(type, text, file.toString()));
    }

    /**
     * The text for {@code value}.
     *
     * @throws IllegalArgumentException when a component it renders is null
     */
    public String render(T value) {
        return body.render(Objects.requireNonNull(value, "value"));
    }

    /** The record type this template renders. */
    public Class<T> type() {
        return type;
    }

    @Override
    public String toString() {
        return "Template<" + type.getSimpleName() + ">";
    }
}
