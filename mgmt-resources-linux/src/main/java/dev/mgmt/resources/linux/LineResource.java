package dev.mgmt.resources.linux;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.mgmt.api.Meta;
import dev.mgmt.api.Quoted;
import dev.mgmt.api.Report;
import dev.mgmt.api.Resource;
import dev.mgmt.api.Reversible;
import dev.mgmt.api.Uid;
import dev.mgmt.resources.linux.FileResource.State;
import dev.mgmt.resources.linux.internal.FileWatcher;
import dev.mgmt.resources.linux.internal.Irreversible;
import dev.mgmt.resources.linux.internal.LineSync;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Kind {@code line}: one line present in a file, or absent from it, as mgmt's {@code line}.
 *
 * <p>Parameters, with mgmt's YAML names:
 * <ul>
 *   <li>{@code file}: the file's absolute path (mgmt's {@code ~user/} is not expanded).</li>
 *   <li>{@code state}: {@code exists} (the default; mgmt requires it) or {@code absent}.</li>
 *   <li>{@code content}: the line, without its newline. A line break in it is refused: this
 *       keeps one line (mgmt matched a block of lines; give each line its own resource).</li>
 *   <li>{@code trim}: drop white space at both ends of {@code content} first (Go's
 *       {@code strings.TrimSpace}, as mgmt), so that text read from a file with its final
 *       newline can be given as is.</li>
 * </ul>
 *
 * <p><b>Check</b>: whether a line of the file is exactly the line (a {@code \r} before the
 * newline is the line's ending, so CRLF files match). <b>Apply</b> with {@code exists} adds
 * the line at the end, ending it as the file's last line ends ({@code \r\n} or {@code \n}) and
 * first ending a last line that has no newline; a missing file is created holding the line,
 * mode {@code 0600} (as mgmt's {@code line} creates it), its directory is not ({@link dev.mgmt.api.MissingPrerequisite}, in the
 * check too). With {@code absent} every copy of the line is removed, each with its ending. The
 * file is rewritten atomically as {@code file} writes it, keeping its owner and mode, and is
 * read and replaced without following a symlink at the path (see {@link LineSync}).
 *
 * <p><b>Watch</b>: inotify on the file's directory, filtered by name, as {@code file}.
 * <b>Automatic edges</b>: after a {@code file} that manages this path or, failing that, its
 * nearest managed directory, and after the {@code pkg} that ships the file.
 * <b>Reversal</b>: a line that exists is removed; an absent one has none.
 *
 * <p>Equality covers the parameters and meta.
 *
 * <pre>{@code
 * LineResource hosts = LineResource.exists("app-host", "/etc/hosts", "10.0.0.5 app.internal");
 * }</pre>
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class LineResource implements Resource, Reversible {

    /** The kind name, {@code line}. */
    public static final String KIND = "line";

    private final String name;
    private final String file;
    private final State state;
    private final String content;
    private final boolean trim;
    private final Meta meta;

    private LineResource(Builder b) {
        this.name = Objects.requireNonNull(b.name, "name");
        this.file = b.file == null ? "" : b.file;
        this.state = Objects.requireNonNull(b.state, "state");
        this.content = b.content == null ? "" : b.content;
        this.trim = b.trim;
        this.meta = b.meta == null ? Meta.DEFAULTS : b.meta;
    }

    /** Decodes mgmt's YAML form. */
    @JsonCreator
    static LineResource decode(@JsonProperty(value = "name", required = true) String name,
                               @JsonProperty("file") String file,
                               @JsonProperty("state") String state,
                               @JsonProperty("content") String content,
                               @JsonProperty("trim") boolean trim,
                               @JsonProperty("meta") Meta meta) {
        return builder(name).file(file).state(State.parse(state)).content(content).trim(trim).meta(meta).build();
    }

    /** A builder for a line resource named {@code name}; set {@link Builder#file} and {@link Builder#content}. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** {@code line} present in {@code file}. */
    public static LineResource exists(String name, String file, String line) {
        return builder(name).file(file).content(line).build();
    }

    /** {@code line} nowhere in {@code file}. */
    public static LineResource absent(String name, String file, String line) {
        return builder(name).file(file).content(line).state(State.ABSENT).build();
    }

    /** A builder holding this resource's parameters. */
    public Builder toBuilder() {
        return builder(name).file(file).state(state).content(content).trim(trim).meta(meta);
    }

    /** This resource with other meta parameters. */
    public LineResource withMeta(Meta meta) {
        return toBuilder().meta(meta).build();
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    @JsonProperty("name")
    public String name() {
        return name;
    }

    /** The file's path as given. */
    @JsonProperty("file")
    public String file() {
        return file;
    }

    /** Whether the line is kept in the file ({@code exists}) or kept out of it ({@code absent}). */
    public State state() {
        return state;
    }

    @JsonProperty("state")
    String stateYaml() {
        return state.yaml();
    }

    /** The content as given (before {@code trim}). */
    @JsonProperty("content")
    public String content() {
        return content;
    }

    @JsonProperty("trim")
    @JsonInclude(JsonInclude.Include.NON_DEFAULT)
    public boolean trim() {
        return trim;
    }

    @Override
    @JsonProperty("meta")
    public Meta meta() {
        return meta;
    }

    /** The line managed: {@link #content()}, trimmed when {@link #trim()} is set. */
    public String line() {
        return trim ? trimSpace(content) : content;
    }

    @Override
    public List<String> validate() {
        List<String> out = new ArrayList<>();
        if (file.startsWith("~")) {
            out.add("file: must be absolute ('~' is not expanded), was " + Quoted.of(file));
        } else if (file.endsWith("/") && FileResource.pathProblem("file", file).isEmpty()) {
            out.add("file: must name a file, not a directory (it ends in '/'), was " + Quoted.of(file));
        } else {
            FileResource.pathProblem("file", file).ifPresent(out::add);
        }
        String l = line();
        if (l.indexOf('\n') >= 0 || l.indexOf('\r') >= 0) {
            out.add("content: " + Quoted.of(content) + " has a line break; a line resource keeps one line (give each"
                    + " line its own resource" + (trim ? "" : ", or set trim: true to drop a final newline") + ")");
        } else if (l.isEmpty()) {
            out.add("content: must not be " + (content.isEmpty() ? "empty" : "only white space with trim: true")
                    + " (mgmt's line does nothing then; say which line you mean)");
        }
        Irreversible.validate(this, irreversible(), out);
        return out;
    }

    /** The same line {@code absent}, with default meta; a line that is absent has no reversal. */
    @Override
    public LineResource reversed() {
        Irreversible.require(this, irreversible());
        return builder(name).file(file).content(content).trim(trim).state(State.ABSENT).build();
    }

    private Irreversible irreversible() {
        return state == State.ABSENT ? new Irreversible("state", "state 'exists'",
                "a removed line cannot be put back: where it was is not known") : null;
    }

    @Override
    public Flux<?> watch() {
        return Flux.defer(() -> FileWatcher.watch(target(), false, List.of()));
    }

    @Override
    public Mono<Boolean> check() {
        return Mono.fromCallable(() -> sync().check());
    }

    @Override
    public Mono<Void> apply() {
        return Mono.fromCallable(() -> sync().apply())
                .flatMap(changes -> changes.isEmpty() ? Mono.empty() : Report.say(String.join(", ", changes)));
    }

    /**
     * The file at this path ({@code file:<path>}), else its nearest managed ancestor directory;
     * and, separately, whatever ships this path (a {@code pkg}).
     */
    @Override
    public List<List<Uid>> seeks() {
        if (FileResource.pathProblem("file", file).isPresent() || file.endsWith("/")) {
            return List.of();
        }
        List<Uid> nearest = new ArrayList<>();
        Path target = target();
        nearest.add(Uid.of(FileResource.KIND, target.toString()));
        for (Path p = target.getParent(); p != null; p = p.getParent()) {
            String s = p.toString();
            nearest.add(Uid.of(FileResource.KIND, s.endsWith("/") ? s : s + "/"));
        }
        return List.of(nearest, List.of(Uid.of(FileResource.SHIPPED, target.toString())));
    }

    private Path target() {
        return Path.of(file).normalize();
    }

    private LineSync sync() {
        return new LineSync(target(), line().getBytes(StandardCharsets.UTF_8), state == State.ABSENT);
    }

    /** Go's {@code strings.TrimSpace}: Unicode white space (Zs, Zl, Zp, and the ASCII and NEL controls) at both ends. */
    static String trimSpace(String s) {
        int from = 0;
        int to = s.length();
        while (from < to && space(s.charAt(from))) {
            from++;
        }
        while (to > from && space(s.charAt(to - 1))) {
            to--;
        }
        return s.substring(from, to);
    }

    private static boolean space(char c) {
        return c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r' || c == 0x85 || Character.isSpaceChar(c);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LineResource l && l.name.equals(name) && l.file.equals(file) && l.state == state
                && l.content.equals(content) && l.trim == trim && l.meta.equals(meta);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, file, state, content, trim, meta);
    }

    @Override
    public String toString() {
        return KIND + "[" + name + "]";
    }

    /** Builds a {@link LineResource}. */
    public static final class Builder {
        private String name;
        private String file;
        private State state = State.EXISTS;
        private String content;
        private boolean trim;
        private Meta meta = Meta.DEFAULTS;

        private Builder(String name) {
            this.name = name;
        }

        /** The resource's name. */
        public Builder name(String v) { name = v; return this; }
        /** The file's absolute path. */
        public Builder file(String v) { file = v; return this; }
        /** {@code EXISTS} (the default) or {@code ABSENT}. */
        public Builder state(State v) { state = v; return this; }
        /** The line, without its newline. */
        public Builder content(String v) { content = v; return this; }
        /** Drop white space at both ends of the content. */
        public Builder trim(boolean v) { trim = v; return this; }
        /** The meta parameters; default {@link Meta#DEFAULTS}. */
        public Builder meta(Meta v) { meta = v; return this; }

        /** The resource (the name and state must be set); {@link LineResource#validate()} checks the rest. */
        public LineResource build() {
            return new LineResource(this);
        }
    }
}
