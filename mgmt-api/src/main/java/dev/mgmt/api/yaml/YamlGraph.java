package dev.mgmt.api.yaml;

import dev.mgmt.api.Graph;
import dev.mgmt.api.ResourceId;
import dev.mgmt.api.codec.ResourceCodec;
import dev.mgmt.api.yaml.internal.Documents;
import dev.mgmt.api.yaml.internal.GraphReader;
import dev.mgmt.api.yaml.internal.Keys;
import dev.mgmt.api.yaml.internal.Problems;
import dev.mgmt.api.yaml.internal.Templating;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.Node;

/**
 * A graph read from mgmt's YAML format:
 *
 * <pre>
 * graph: mygraph
 * comment: an example
 * resources:
 *   file:
 *   - name: f1
 *     path: /tmp/mgmt/f1
 *     content: "i am f1\n"
 *   exec:
 *   - name: "@@e1"          # exported (the @@ is not part of the name)
 *     cmd: sleep 1
 *   - name: e2
 *     cmd: touch /tmp/e2
 *     meta:
 *       export: [b, c]      # exported to hosts b and c only (mgmt's meta.export; "*" for every host)
 * edges:
 * - name: e1
 *   from: {kind: file, name: f1}
 *   to: {kind: exec, name: e1}
 *   notify: true
 * collect:
 * - kind: file
 *   pattern: /tmp/mgmtA/
 *   allow: [owner]           # optional: parameters taken from peers beyond the kind's safe ones
 * - kind: exec
 *   pattern: ""
 *   trust: true              # required for a kind that runs a peer's choice here (exec, pkg, svc, hostname)
 * </pre>
 *
 * Reading is strict and never guesses: an unknown key, a key given twice, an unknown kind, a bad
 * value, a duplicate resource, a dangling edge, an alias to no anchor, or a number YAML 1.1
 * would read in another base ({@code retry: 010}) is an error naming the file, line, resource and
 * key, and every problem of the file is reported at once. A text parameter takes a scalar as
 * written ({@code mode: 0644} is the text {@code 0644}, as in mgmt); anchors, aliases and merge
 * keys ({@code <<: *base}) work by YAML's rules, and a key written before a {@code <<} that sets it
 * to another value is refused, since Go's yaml.v2 (mgmt) would take the merged value there.
 * Limits: {@link #MAX_CHARACTERS},
 * {@link #MAX_ALIASES}, {@link #MAX_DEPTH}, {@link #MAX_VALUES}.
 */
public final class YamlGraph {

    /** The most characters a graph file may have (8 MiB of text). */
    public static final int MAX_CHARACTERS = 8 * 1024 * 1024;
    /** The most aliases to lists or maps a file may use (a guard against "alias bombs"). */
    public static final int MAX_ALIASES = 100;
    /** The deepest lists and maps may nest. */
    public static final int MAX_DEPTH = 64;
    /** The most values (scalars, lists and maps) a file may expand to once its aliases are followed. */
    public static final int MAX_VALUES = 1_000_000;

    private final String source;
    private final GraphReader.Result read;
    private final List<YamlGraphException.Problem> warnings;

    private final List<TemplateUse> templateUses;

    private YamlGraph(String source, GraphReader.Result read, List<YamlGraphException.Problem> warnings,
                      List<TemplateUse> templateUses) {
        this.source = source;
        this.read = read;
        this.warnings = List.copyOf(warnings);
        this.templateUses = List.copyOf(templateUses);
    }

    /**
     * Reads a YAML graph file (UTF-8, at most {@link #MAX_CHARACTERS}).
     *
     * @throws YamlGraphException listing every problem with file and line
     */
    public static YamlGraph read(Path file, ResourceCodec codec) {
        return read(file, codec, TemplateValues.NONE);
    }

    /**
     * Reads a YAML graph file, rendering the templates in its parameter values with
     * {@code values} (see {@link #templateUses()}).
     *
     * @throws YamlGraphException listing every problem with file and line
     */
    public static YamlGraph read(Path file, ResourceCodec codec, TemplateValues values) {
        Problems problems = new Problems(file.toString());
        byte[] bytes;
        try {
            // UTF-8 takes at most 4 bytes a character: only a file past that is sure to be too large.
            if (Files.size(file) > 4L * MAX_CHARACTERS) {
                problems.add(0, Documents.tooLarge());
                throw new YamlGraphException(problems.sorted());
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            problems.add(0, "cannot read the graph file: " + e.getMessage());
            throw new YamlGraphException(problems.sorted());
        }
        String text = Documents.text(bytes, problems);
        if (text == null) {
            throw new YamlGraphException(problems.sorted());
        }
        return parse(text, file.toString(), codec, values);
    }

    /**
     * Parses YAML text; {@code source} names it in messages.
     *
     * @throws YamlGraphException listing every problem with line; its
     *         {@link YamlGraphException#partial() partial} graph holds what did read
     */
    public static YamlGraph parse(String text, String source, ResourceCodec codec) {
        return parse(text, source, codec, TemplateValues.NONE);
    }

    /**
     * Parses YAML text, rendering the templates in its parameter values with {@code values}.
     *
     * @throws YamlGraphException listing every problem with line
     */
    public static YamlGraph parse(String text, String source, ResourceCodec codec, TemplateValues values) {
        Problems problems = new Problems(source);
        Node root = Documents.compose(text, problems);
        if (root == null) {
            throw new YamlGraphException(problems.sorted());
        }
        Problems warnings = new Problems(source);
        Templating templating = new Templating(values, problems);
        GraphReader.Result read = new GraphReader(source, codec, problems, warnings, templating).read(root);
        YamlGraph g = new YamlGraph(source, read, warnings.sorted(), templating.uses());
        if (!problems.isEmpty()) {
            throw new YamlGraphException(problems.sorted(), g);
        }
        return g;
    }

    /** The graph, ready for {@code Engine.start} or {@code swap}. */
    public Graph graph() {
        return read.graph();
    }

    /** The {@code comment:} text; empty when absent. */
    public String comment() {
        return read.comment();
    }

    /** Resources whose YAML name started with {@code @@}. */
    public Set<ResourceId> exported() {
        return Set.copyOf(read.exported());
    }

    /** The {@code collect:} entries. */
    public List<CollectSpec> collects() {
        return List.copyOf(read.collects());
    }

    /**
     * What the resources say they accepted but will ignore ({@link dev.mgmt.api.Warnings}), each
     * with its file and line, such as {@code g.yaml:12: file[x]: content: ignored on a directory}.
     * The graph runs regardless.
     */
    public List<YamlGraphException.Problem> warnings() {
        return warnings;
    }

    /** Where a resource was declared, as {@code file:line}, for messages about it. */
    public String locate(ResourceId id) {
        Map<ResourceId, Integer> lines = read.lines();
        Integer l = lines.get(id);
        return source + (l != null && l > 0 ? ":" + l : "");
    }

    /** The line a resource was declared on; 0 when it is not in this graph. */
    public int line(ResourceId id) {
        return read.lines().getOrDefault(id, 0);
    }

    /**
     * The line of a message about a resource: of the parameter the message starts with
     * ({@code "file[x]: mode: ..."} is on {@code mode}'s line, {@code "file[x]: meta.retry: ..."} on
     * {@code retry}'s inside {@code meta}), else of the resource; 0 when
     * it is not in this graph.
     */
    public int line(ResourceId id, String message) {
        String key = Keys.leading(message, id + ": ");
        Map<String, Integer> keys = read.keyLines().getOrDefault(id, Map.of());
        // The deepest key known: meta.retry's own line, else meta's.
        for (String k = key; !k.isEmpty(); k = k.contains(".") ? k.substring(0, k.lastIndexOf('.')) : "") {
            Integer at = keys.get(k);
            if (at != null) {
                return at;
            }
        }
        return line(id);
    }

    /**
     * The template functions the file's parameter values use, where: what the graph must be
     * rendered again on ({@code kv} keys, {@code hosts}). Empty for a graph without templates.
     */
    public List<TemplateUse> templateUses() {
        return templateUses;
    }

    /** The file or source name this graph was read from. */
    public String source() {
        return source;
    }
}
