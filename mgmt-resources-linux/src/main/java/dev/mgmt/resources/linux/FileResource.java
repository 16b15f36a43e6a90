package dev.mgmt.resources.linux;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.mgmt.api.Claims;
import dev.mgmt.api.CollectPolicy;
import dev.mgmt.api.Collectable;
import dev.mgmt.api.Meta;
import dev.mgmt.api.Placeable;
import dev.mgmt.api.Quoted;
import dev.mgmt.api.Receiver;
import dev.mgmt.api.RecvParam;
import dev.mgmt.api.Report;
import dev.mgmt.api.Resource;
import dev.mgmt.api.Reversible;
import dev.mgmt.api.SendKey;
import dev.mgmt.api.Sender;
import dev.mgmt.api.Uid;
import dev.mgmt.api.Warnings;
import dev.mgmt.resources.linux.internal.AccountNames;
import dev.mgmt.resources.linux.internal.CollectedFiles;
import dev.mgmt.resources.linux.internal.FileSync;
import dev.mgmt.resources.linux.internal.FileWatcher;
import dev.mgmt.resources.linux.internal.Irreversible;
import dev.mgmt.resources.linux.internal.Sha256;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Kind {@code file}: a file or directory with its content, owner, group and mode, or its absence.
 *
 * <p>Parameters, with mgmt's YAML names:
 * <ul>
 *   <li>{@code path}: absolute; when absent or empty the name is the path. A trailing {@code /}
 *       means a directory.</li>
 *   <li>{@code state}: {@code exists} (the default) or {@code absent}.</li>
 *   <li>{@code content}: the exact text of the file (UTF-8); {@code null} leaves content alone
 *       (a missing file is created empty). {@code source}: a file to copy content from instead;
 *       for a directory, a directory (ending in {@code /}) whose tree is copied, which needs
 *       {@code recurse}. On a directory, {@code content} and a file {@code source} are ignored
 *       with a {@link #warnings() warning}, as mgmt 0.0.15 ignored them.</li>
 *   <li>{@code owner}, {@code group}: names or numeric ids; {@code mode}: octal, such as
 *       {@code "0644"}. For a copied tree they apply to the directory at the path itself.</li>
 *   <li>{@code recurse}: create missing parent directories; copy a directory source's tree;
 *       remove a non-empty directory. {@code force}: replace a thing of the wrong type (a
 *       directory where a file belongs); in a copied tree, also remove what the source does not
 *       have; remove a non-empty directory.</li>
 * </ul>
 *
 * <p>A missing parent directory without {@code recurse} is refused by the check as well as the
 * apply ({@link dev.mgmt.api.MissingPrerequisite}), so a noop run fails where the real run would.
 *
 * <p><b>Directory trees</b> ({@code path: /a/}, {@code source: /b/}, {@code recurse: true}):
 * the tree at the path becomes a copy of the source's (directories; files' content and
 * permission bits, without set-id bits); the check compares the whole tree, the apply writes
 * only the files that differ, each atomically as below. Without {@code force} a thing of the
 * wrong type is an error and what the source lacks stays; with it, the first is replaced and
 * the second removed. Both trees are walked relative to {@code O_NOFOLLOW|O_DIRECTORY}
 * descriptors, and files in the tree are replaced, never changed in place. A symlink in the
 * source is refused rather than copied: followed, it would let whoever can write in the source
 * tree have any file mgmt can read copied out; copied as a link, it would point into places
 * nothing checked. Both trees are watched whole with inotify, directories made later included.
 *
 * <p>The watch uses inotify on the parent directory (or the nearest existing ancestor), shared
 * by all file resources in the JVM. Content is written to a temp file in the same directory,
 * made durable and renamed over the target, the rename made durable before the apply ends, so
 * a reader never sees partial content, even when the process is killed mid-write; files
 * written at the same time share their flushes (one {@code syncfs} for many). With
 * {@code state: absent}, {@code content} is ignored (mgmt's
 * example graphs carry it).
 *
 * <p>A symlink at the path is never followed, and only what was checked is changed: the path
 * is opened once with {@code O_NOFOLLOW} per check and apply, and content, owner and mode are
 * read and set through that descriptor (a new file gets owner and mode on its temp file before
 * the rename). Someone who can write in the file's directory and swaps in a symlink to another
 * file, at any moment, never gets that file chmod'ed or chown'ed. Nor through a hard link:
 * owner, group and mode are not changed in place on a file with more than one link (an error
 * naming the link count; with {@code content} or {@code source} the file is replaced by a new
 * one instead). And a file is made set-user-ID or set-group-ID in place only when it already
 * belongs to the wanted owner ({@code owner}, or mgmt's own uid when none is given), else
 * only by writing its content.
 *
 * <p><b>Reversal</b> ({@code meta.reverse}, and a collected file whose export is withdrawn): a
 * file or directory that exists is removed; see {@link #reversed()}. An absent one has none.
 *
 * <p><b>Send/recv</b> (see {@link Sender}, {@link Receiver}): after every run that ends clean a
 * file sends {@link #CONTENT_SHA256}, the SHA-256 of its content in lower-case hex (of
 * {@code content} when it manages content, else read from the file, through
 * {@code O_NOFOLLOW}, only when an edge takes it); a directory or an absent file sends none and
 * says why. It can receive {@link #CONTENT} and {@link #MODE}: the value received replaces the
 * parameter (a received {@code content} with a {@code source} set is an error of the run, as
 * both set in YAML would be).
 *
 * <p>Equality covers the parameters and meta.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class FileResource implements Resource, Reversible, Claims, Collectable, Placeable, Warnings, Sender,
        Receiver {

    public static final String KIND = "file";
    /** UID kind a package provides for each path it ships; a file at that path seeks it. */
    public static final String SHIPPED = "shipped-file";
    /** Claim kind of the path a file manages (see {@link #claims()}). */
    public static final String CLAIM = "path";
    private static final Set<String> PEER_SAFE = Set.of("path", "content", "mode");

    /** Sent: the SHA-256 of the file's content, 64 lower-case hex digits ({@code sha256} in YAML). */
    public static final SendKey<FileResource, String> CONTENT_SHA256 =
            SendKey.of(FileResource.class, "sha256", String.class);
    /** Received: the file's exact text, as {@code content} ({@code content} in YAML). */
    public static final RecvParam<FileResource, String> CONTENT =
            RecvParam.of(FileResource.class, "content", String.class, FileResource::withContent);
    /** Received: the octal mode, as {@code mode} ({@code mode} in YAML). */
    public static final RecvParam<FileResource, String> MODE =
            RecvParam.of(FileResource.class, "mode", String.class, FileResource::withMode);
    private static final List<SendKey<?, ?>> SENDS = List.of(CONTENT_SHA256);
    private static final List<RecvParam<?, ?>> RECEIVES = List.of(CONTENT, MODE);

    /** Whether the path should exist. */
    public enum State {
        /** The file or directory exists (mgmt's {@code exists}). */
        EXISTS,
        /** Nothing is at the path (mgmt's {@code absent}). */
        ABSENT;

        /** mgmt's spelling. */
        public String yaml() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Parses mgmt's spelling; empty means {@link #EXISTS}. */
        public static State parse(String text) {
            if (text == null || text.isEmpty() || text.equals("exists")) {
                return EXISTS;
            }
            if (text.equals("absent")) {
                return ABSENT;
            }
            throw new IllegalArgumentException("state: must be 'exists' or 'absent', was '" + text + "'");
        }
    }

    private final String name;
    private final String path;
    private final State state;
    private final String content;
    private final String source;
    private final String owner;
    private final String group;
    private final String mode;
    private final boolean recurse;
    private final boolean force;
    private final Meta meta;
    private volatile byte[] contentBytes; // cache of content in UTF-8; not a parameter
    // Worked out once, as contentBytes: compiling asks each of them several times per resource.
    private volatile Optional<String> pathFault;
    private volatile Path target;

    private FileResource(Builder b) {
        this.name = Objects.requireNonNull(b.name, "name");
        this.path = blankToNull(b.path) == null ? b.name : b.path;
        this.state = Objects.requireNonNull(b.state, "state");
        this.content = b.content;
        this.source = blankToNull(b.source);
        this.owner = blankToNull(b.owner);
        this.group = blankToNull(b.group);
        this.mode = blankToNull(b.mode);
        this.recurse = b.recurse;
        this.force = b.force;
        this.meta = b.meta == null ? Meta.DEFAULTS : b.meta;
    }

    /** Decodes mgmt's YAML form. */
    @JsonCreator
    static FileResource decode(@JsonProperty(value = "name", required = true) String name,
                               @JsonProperty("path") String path,
                               @JsonProperty("state") String state,
                               @JsonProperty("content") String content,
                               @JsonProperty("source") String source,
                               @JsonProperty("owner") String owner,
                               @JsonProperty("group") String group,
                               @JsonProperty("mode") String mode,
                               @JsonProperty("recurse") boolean recurse,
                               @JsonProperty("force") boolean force,
                               @JsonProperty("meta") Meta meta) {
        return builder(name).path(path).state(State.parse(state)).content(content).source(source)
                .owner(owner).group(group).mode(mode).recurse(recurse).force(force).meta(meta).build();
    }

    /** A builder for a resource named {@code name}; the name is the path unless {@link Builder#path} is set. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** A file at {@code path} (also its name) with exactly {@code content}. */
    public static FileResource file(String path, String content) {
        return builder(path).content(content).build();
    }

    /** A directory at {@code path} (also its name); a trailing {@code /} is added if missing. */
    public static FileResource directory(String path) {
        return builder(path.endsWith("/") ? path : path + "/").build();
    }

    /** Nothing at {@code path} (also its name). */
    public static FileResource absent(String path) {
        return builder(path).state(State.ABSENT).build();
    }

    /** A builder holding this resource's parameters. */
    public Builder toBuilder() {
        return builder(name).path(path).state(state).content(content).source(source).owner(owner).group(group)
                .mode(mode).recurse(recurse).force(force).meta(meta);
    }

    /** This resource with other meta parameters. */
    public FileResource withMeta(Meta meta) {
        return toBuilder().meta(meta).build();
    }

    /** This resource with {@code content} (null: content not managed). */
    public FileResource withContent(String content) {
        return toBuilder().content(content).build();
    }

    /** This resource with {@code mode} (null: mode not managed). */
    public FileResource withMode(String mode) {
        return toBuilder().mode(mode).build();
    }

    @Override
    public List<SendKey<?, ?>> sends() {
        return SENDS;
    }

    @Override
    public List<RecvParam<?, ?>> receives() {
        return RECEIVES;
    }

    /** An absent file takes neither content nor mode; a directory takes no content. */
    @Override
    public Optional<String> ignores(RecvParam<?, ?> param) {
        if (state == State.ABSENT) {
            return Optional.of("it is declared state: absent");
        }
        return param == CONTENT && directory() ? Optional.of("it is a directory (a path ending in '/')") : Optional.empty();
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

    /** The path as given (the name when none was); a trailing {@code /} means a directory. */
    @JsonProperty("path")
    public String path() {
        return path;
    }

    public State state() {
        return state;
    }

    @JsonProperty("state")
    String stateYaml() {
        return state.yaml();
    }

    /** The file's exact text, or {@code null} when content is not managed. */
    @JsonProperty("content")
    public String content() {
        return content;
    }

    /** A file whose content is copied, or {@code null}. */
    @JsonProperty("source")
    public String source() {
        return source;
    }

    @JsonProperty("owner")
    public String owner() {
        return owner;
    }

    @JsonProperty("group")
    public String group() {
        return group;
    }

    /** The octal mode as given, such as {@code "0644"}, or {@code null}. */
    @JsonProperty("mode")
    public String mode() {
        return mode;
    }

    @JsonProperty("recurse")
    public boolean recurse() {
        return recurse;
    }

    @JsonProperty("force")
    public boolean force() {
        return force;
    }

    @Override
    @JsonProperty("meta")
    public Meta meta() {
        return meta;
    }

    /** Whether this manages a directory (the path ends in {@code /}). */
    public boolean directory() {
        return path.endsWith("/");
    }

    @Override
    public List<String> validate() {
        List<String> out = new ArrayList<>();
        pathFault().ifPresent(out::add);
        if (mode != null && FileSync.parseMode(mode) < 0) {
            out.add("mode: '" + mode + "' is not an octal file mode");
        }
        if (content != null && source != null) {
            out.add("content and source are mutually exclusive");
        }
        if (source != null) {
            pathProblem("source", source).ifPresent(out::add);
            if (state == State.EXISTS && treeSource()) {
                if (!directory()) {
                    out.add("source: " + Quoted.of(source) + " is a directory (it ends in '/'), so path must be one"
                            + " too: end it in '/', was " + Quoted.of(path));
                } else if (!recurse) {
                    out.add("recurse: a directory source (" + Quoted.of(source) + ") is copied only with"
                            + " recurse: true");
                } else if (pathProblem("source", source).isEmpty() && pathFault().isEmpty()
                        && overlaps(Path.of(path), Path.of(source))) {
                    out.add("source: " + Quoted.of(source) + " and path " + Quoted.of(path) + " hold one another;"
                            + " a tree is not copied into or out of itself");
                }
            }
        }
        if (owner != null && !idLike(owner)) {
            out.add("owner: '" + owner + "' is not a user name or uid");
        }
        if (group != null && !idLike(group)) {
            out.add("group: '" + group + "' is not a group name or gid");
        }
        Irreversible.validate(this, irreversible(), out);
        return out;
    }

    /**
     * The resource that undoes this one: the same path, {@code state: absent}, with nothing else
     * set (no content, source, owner, group or mode) and default meta.
     *
     * <ul>
     *   <li>A <b>file</b> is removed, whatever its content is by then.</li>
     *   <li>A <b>directory</b> (a path ending in {@code /}) is removed only when it is empty: one
     *       that still holds files nobody reversed first (with {@code meta.reverse}, the engine
     *       reverses a directory after the files in it) is left in place, and the reversal fails
     *       with an error that says the directory is not empty. Only when this resource has both
     *       {@code recurse} and {@code force} does its reversal carry both, and remove the
     *       directory with everything in it: {@code recurse} alone means "create missing
     *       parents", and {@code force} alone "replace a thing of the wrong type"; neither says
     *       that everything under the directory is ours to delete.</li>
     *   <li>Parent directories that {@code recurse} created are not removed: they are not
     *       this resource, and may hold other things.</li>
     * </ul>
     *
     * <p>A file with {@code state: absent} has no reversal: what it removed (its content,
     * owner and mode) is not known, so there is nothing to put back, and creating an empty file
     * in its place would be a guess. So {@code meta.reverse} on it is a {@link #validate()}
     * problem ({@code state: meta.reverse needs state 'exists' ...}), and this throws.
     *
     * @throws IllegalStateException when {@code state} is {@code absent}
     */
    @Override
    public FileResource reversed() {
        Irreversible.require(this, irreversible());
        boolean withContents = directory() && recurse && force;
        return builder(name).path(path).state(State.ABSENT).recurse(withContents).force(withContents).build();
    }

    /** Why there is no reversal; {@code null} when there is one. */
    private Irreversible irreversible() {
        return state == State.ABSENT ? new Irreversible("state", "state 'exists'",
                "an absent file cannot be put back: what was removed is not known") : null;
    }

    /**
     * Parameters accepted but not acted on: {@code content} on a directory, and a file
     * {@code source} on a directory (mgmt 0.0.15 ignored both; its example graphs carry them).
     */
    @Override
    public List<String> warnings() {
        if (state != State.EXISTS || !directory()) {
            return List.of();
        }
        List<String> out = new ArrayList<>(2);
        if (content != null) {
            out.add("content: ignored on a directory (a path ending in '/')");
        }
        if (source != null && !treeSource()) {
            out.add("source: ignored on a directory unless it is a directory too (ending in '/'), copied with"
                    + " recurse: true; was " + Quoted.of(source));
        }
        return out;
    }

    @Override
    public Flux<?> watch() {
        return Flux.defer(() -> copiesTree()
                ? FileWatcher.watchTrees(target(), Path.of(source).normalize())
                : FileWatcher.watch(target(), directory(),
                        source == null || directory() ? List.of() : List.of(Path.of(source).normalize())));
    }

    @Override
    public Mono<Boolean> check() {
        return Mono.fromCallable(() -> sync().check()).flatMap(ok -> ok ? sendHash().thenReturn(true) : Mono.just(false));
    }

    @Override
    public Mono<Void> apply() {
        return Mono.defer(() -> sync().apply())
                .flatMap(changes -> changes.isEmpty() ? Mono.empty() : Report.say(String.join(", ", changes)))
                .then(Mono.defer(this::sendHash));
    }

    /** What this file sends once its real state matches. */
    private Mono<Void> sendHash() {
        if (state == State.ABSENT) {
            return CONTENT_SHA256.withhold(this + " is absent");
        }
        if (directory()) {
            return CONTENT_SHA256.withhold(this + " is a directory");
        }
        return CONTENT_SHA256.sendLazily(() -> content != null ? Sha256.hex(contentBytes()) : Sha256.ofFile(target()));
    }

    /** {@code file:<path>}, with the trailing {@code /} of a directory. */
    @Override
    public List<Uid> provides() {
        return List.of(Uid.of(KIND, uidPath()));
    }

    /** {@code path:<path>}, without a directory's trailing {@code /}: one owner per path, whatever its name. */
    @Override
    public List<Uid> claims() {
        if (pathFault().isPresent()) {
            return List.of();
        }
        return List.of(Uid.of(CLAIM, target().toString()));
    }

    /** Path, content and mode: a peer may choose what a collected file says, not who owns it or where it comes from. */
    @Override
    public Set<String> safeFromPeers() {
        return PEER_SAFE;
    }

    /**
     * A collected copy is written into the collect's directory under its base name, named
     * {@code exporter:name}, as mgmt does. Anything that could write outside that directory is
     * refused: a path with {@code ..}, a name that is not a plain file name, a directory, or a
     * symlink where the file would go.
     */
    @Override
    public CollectPolicy.Admission placed(String pattern, String exporter) {
        return CollectedFiles.place(pattern, exporter, this);
    }

    /** A mode with setuid, setgid or the sticky bit is not safe from a peer. */
    @Override
    public Optional<String> unsafeFromPeers(String param) {
        if (!param.equals("mode") || mode == null) {
            return Optional.empty();
        }
        int m = FileSync.parseMode(mode);
        if (m < 0 || (m & 07000) == 0) {
            return Optional.empty();
        }
        List<String> bits = new ArrayList<>();
        if ((m & 04000) != 0) {
            bits.add("setuid");
        }
        if ((m & 02000) != 0) {
            bits.add("setgid");
        }
        if ((m & 01000) != 0) {
            bits.add("sticky");
        }
        return Optional.of("its mode " + Quoted.of(mode) + " sets the " + String.join(" and ", bits) + " bit"
                + (bits.size() > 1 ? "s" : ""));
    }

    /**
     * Every ancestor directory, nearest first, each as {@code file:<dir>/}; what ships the path
     * ({@code shipped-file:<path>}); and its {@code owner} and {@code group} as {@code user:<name>}
     * or {@code uid:<id>} and {@code group:<name>} or {@code gid:<id>}, each a need of its own.
     */
    @Override
    public List<List<Uid>> seeks() {
        if (pathFault().isPresent()) {
            return List.of();
        }
        // Its nearest managed ancestor directory, and whatever ships this very path (a pkg).
        List<Uid> ancestors = new ArrayList<>();
        for (Path p = target().getParent(); p != null; p = p.getParent()) {
            String s = p.toString();
            ancestors.add(Uid.of(KIND, s.endsWith("/") ? s : s + "/"));
        }
        List<List<Uid>> out = new ArrayList<>(4);
        out.add(ancestors);
        out.add(List.of(Uid.of(SHIPPED, uidPath())));
        // And the accounts it is to belong to, so that they exist before it is chowned.
        if (owner != null) {
            OptionalLong uid = AccountNames.id(owner);
            out.add(List.of(uid.isPresent() ? Uid.of(UserResource.UID, Long.toString(uid.getAsLong()))
                    : Uid.of(UserResource.KIND, owner)));
        }
        if (group != null) {
            OptionalLong gid = AccountNames.id(group);
            out.add(List.of(gid.isPresent() ? Uid.of(GroupResource.GID, Long.toString(gid.getAsLong()))
                    : Uid.of(GroupResource.KIND, group)));
        }
        return out;
    }
    private String uidPath() {
        if (pathFault().isPresent()) {
            return path;
        }
        String s = target().toString();
        return directory() ? s + "/" : s;
    }

    private Path target() {
        Path t = target;
        if (t == null) {
            t = Path.of(path).normalize();
            target = t;
        }
        return t;
    }

    /** {@link #pathProblem} of {@code path}. */
    private Optional<String> pathFault() {
        Optional<String> f = pathFault;
        if (f == null) {
            f = pathProblem("path", path);
            pathFault = f;
        }
        return f;
    }

    private FileSync sync() {
        Integer m = mode == null ? null : FileSync.parseMode(mode);
        // A directory ignores content, and any source but a directory one (see warnings()).
        boolean dir = directory();
        return new FileSync(target(), dir, state == State.ABSENT, content == null || dir ? null : contentBytes(),
                source == null || dir && !treeSource() ? null : Path.of(source).normalize(), owner, group, m,
                recurse, force);
    }

    /** Whether either path is the other or inside it (as written; the copy asks the trees too). */
    private static boolean overlaps(Path a, Path b) {
        Path x = a.normalize();
        Path y = b.normalize();
        return x.startsWith(y) || y.startsWith(x);
    }

    /** Whether {@code source} names a directory (ends in {@code /}). */
    private boolean treeSource() {
        return source != null && source.endsWith("/");
    }

    /** Whether this copies a directory tree: an existing directory with a directory source. */
    private boolean copiesTree() {
        return state == State.EXISTS && directory() && treeSource();
    }

    private byte[] contentBytes() {
        byte[] b = contentBytes;
        if (b == null) {
            b = content.getBytes(StandardCharsets.UTF_8);
            contentBytes = b;
        }
        return b;
    }

    /** What is wrong with {@code p} as an absolute path for parameter {@code key}; empty when nothing. */
    static Optional<String> pathProblem(String key, String p) {
        if (p.isEmpty()) {
            return Optional.of(key + ": must not be empty");
        }
        if (!p.startsWith("/")) {
            return Optional.of(key + ": must be absolute, was '" + p + "'");
        }
        for (String part : p.split("/")) {
            if (part.equals(".") || part.equals("..")) {
                return Optional.of(key + ": must not contain '.' or '..', was '" + p + "'");
            }
        }
        if (p.replace("/", "").isEmpty()) {
            return Optional.of(key + ": '/' itself cannot be managed");
        }
        try {
            Path.of(p);
        } catch (InvalidPathException e) {
            return Optional.of(key + ": " + e.getReason() + ", was '" + p + "'");
        }
        return Optional.empty();
    }

    private static boolean idLike(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c) || c == ':' || c == '/' || c == 0) {
                return false;
            }
        }
        return true;
    }

    private static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FileResource f && f.name.equals(name) && f.path.equals(path) && f.state == state
                && Objects.equals(f.content, content) && Objects.equals(f.source, source)
                && Objects.equals(f.owner, owner) && Objects.equals(f.group, group) && Objects.equals(f.mode, mode)
                && f.recurse == recurse && f.force == force && f.meta.equals(meta);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, path, state, content, source, owner, group, mode, recurse, force, meta);
    }

    @Override
    public String toString() {
        return KIND + "[" + name + "]";
    }

    /** Builds a {@link FileResource}; everything but the name is optional. */
    public static final class Builder {
        private String name;
        private String path;
        private State state = State.EXISTS;
        private String content;
        private String source;
        private String owner;
        private String group;
        private String mode;
        private boolean recurse;
        private boolean force;
        private Meta meta = Meta.DEFAULTS;

        private Builder(String name) {
            this.name = name;
        }

        public Builder name(String v) { name = v; return this; }
        /** Absolute; a trailing {@code /} means a directory. Defaults to the name. */
        public Builder path(String v) { path = v; return this; }
        public Builder state(State v) { state = v; return this; }
        /** The exact text of the file; {@code null} leaves content alone. */
        public Builder content(String v) { content = v; return this; }
        /** A file to copy content from. */
        public Builder source(String v) { source = v; return this; }
        /** A user name or uid. */
        public Builder owner(String v) { owner = v; return this; }
        /** A group name or gid. */
        public Builder group(String v) { group = v; return this; }
        /** Octal, such as {@code "0644"}. */
        public Builder mode(String v) { mode = v; return this; }
        public Builder recurse(boolean v) { recurse = v; return this; }
        public Builder force(boolean v) { force = v; return this; }
        public Builder meta(Meta v) { meta = v; return this; }

        public FileResource build() {
            return new FileResource(this);
        }
    }
}
