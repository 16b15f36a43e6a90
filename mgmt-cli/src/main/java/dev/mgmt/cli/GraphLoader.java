package dev.mgmt.cli;

import dev.mgmt.api.Graph;
import dev.mgmt.api.ResourceId;
import dev.mgmt.api.codec.ResourceCodec;
import dev.mgmt.api.yaml.TemplateValues;
import dev.mgmt.api.yaml.YamlGraph;
import dev.mgmt.api.yaml.YamlGraphException;
import dev.mgmt.api.yaml.YamlGraphException.Problem;
import dev.mgmt.engine.Compilation;
import dev.mgmt.engine.GraphCompileException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the graph file for {@code mgmt run} and says everything that is wrong with it in one
 * pass: the problems found while reading and, for the resources that did read, those the
 * engine's compiler finds (a cycle, a conflict), each with its file and line, by line, at most
 * {@value #MAX_SHOWN} of them. A problem caused by a resource that failed to read (an edge to
 * it) is not said again. Warnings go to stderr too; they do not stop the graph.
 */
final class GraphLoader {

    static final int MAX_SHOWN = 20;
    private static final Pattern KIND = Pattern.compile("[\\w.-]+\\[");

    private final Path file;
    private final ResourceCodec codec;
    private final Function<Graph, Compilation> compile;
    private Compilation compiled;
    private final PrintStream err;

    /**
     * @param compile compiles a graph as the engine will (throwing {@link GraphCompileException})
     */
    GraphLoader(Path file, ResourceCodec codec, Function<Graph, Compilation> compile, PrintStream err) {
        this.file = file;
        this.codec = codec;
        this.compile = compile;
        this.err = err;
    }

    /**
     * The graph; empty after printing every problem under {@code header} (such as
     * {@code "is invalid; nothing was applied"}).
     */
    Optional<YamlGraph> load(String header) {
        return load(header, TemplateValues.NONE);
    }

    /** {@link #load(String)} with the file's templates rendered from {@code values}. */
    Optional<YamlGraph> load(String header, TemplateValues values) {
        return accept(header, read(values));
    }

    /**
     * The file read once with {@code values}, saying nothing: what a caller looks at (the
     * templates' needs) before {@linkplain #accept accepting} the same reading, so that a run
     * reads its graph once rather than twice (docs/benchmarks.md, "Start-up").
     */
    Reading read(TemplateValues values) {
        try {
            return new Reading(YamlGraph.read(file, codec, values), null);
        } catch (YamlGraphException e) {
            return new Reading(e.partial().orElse(null), e);
        }
    }

    /**
     * The graph of {@code r}; empty after printing every problem under {@code header}: those
     * found while reading and, for the resources that did read, the compiler's.
     */
    Optional<YamlGraph> accept(String header, Reading r) {
        if (r.error() != null) {
            List<Problem> all = new ArrayList<>(r.error().problems());
            r.error().partial().ifPresent(partial -> all.addAll(compileProblems(partial)));
            print(header, all);
            return Optional.empty();
        }
        YamlGraph g = r.graph();
        // Checked here too, before anything starts: a graph the engine would refuse must not first
        // bring up a cluster (its Raft files, its port) or announce itself as running.
        List<Problem> refused = compileProblems(g);
        if (!refused.isEmpty()) {
            print(header, refused);
            return Optional.empty();
        }
        for (Problem w : g.warnings()) {
            err.println("mgmt: " + w.source() + (w.line() > 0 ? ":" + w.line() : "") + ": warning: " + w.message());
        }
        return Optional.of(g);
    }

    /**
     * One reading of the file: the whole graph and no error, or the part that read (null when
     * nothing did) and the error saying why the rest did not.
     *
     * @param graph the graph, or only the part that read when {@code error} is set: not one to run
     * @param error why the file did not read whole; null when it did
     */
    record Reading(YamlGraph graph, YamlGraphException error) {
    }

    /** Prints problems found outside the file's reading (such as a template needing a cluster) under {@code header}. */
    void printProblems(String header, List<Problem> problems) {
        print(header, problems);
    }

    /** What the graph {@link #accept} last returned compiles to (vertices after grouping, automatic edges). */
    Compilation compiled() {
        return compiled;
    }

    /** Prints the compiler's problems with {@code g}, located, under {@code header}. */
    void printCompileProblems(String header, GraphCompileException e, YamlGraph g) {
        print(header, located(e, g));
    }

    private List<Problem> compileProblems(YamlGraph g) {
        try {
            compiled = null;
            compiled = compile.apply(g.graph());
            return List.of();
        } catch (GraphCompileException e) {
            return located(e, g);
        } catch (RuntimeException e) {
            // The compiler is only asked for more problems; reading's are said regardless.
            return List.of();
        }
    }

    private void print(String header, List<Problem> problems) {
        List<Problem> sorted = new ArrayList<>(problems);
        // Stable: problems of one line keep their order; those of no one line come last.
        sorted.sort(Comparator.comparingInt(p -> p.line() > 0 ? p.line() : Integer.MAX_VALUE));
        err.println("mgmt: " + file + " " + header + ":");
        sorted.stream().limit(MAX_SHOWN).forEach(p -> err.println("  " + p));
        if (sorted.size() > MAX_SHOWN) {
            int more = sorted.size() - MAX_SHOWN;
            err.println("  … and " + more + " more problem" + (more == 1 ? "" : "s"));
        }
    }

    private static List<Problem> located(GraphCompileException e, YamlGraph g) {
        List<Problem> out = new ArrayList<>();
        for (String p : e.problems()) {
            out.add(new Problem(g.source(), firstResource(p, g).map(id -> g.line(id, p)).orElse(0), p));
        }
        return out;
    }

    /** The first resource of the graph a compiler message names ({@code kind[name]}; a cycle names several). */
    private static Optional<ResourceId> firstResource(String problem, YamlGraph g) {
        Matcher m = KIND.matcher(problem);
        while (m.find()) {
            // A name may itself hold ']': try each closing bracket after the kind.
            for (int close = problem.indexOf(']', m.end()); close >= 0; close = problem.indexOf(']', close + 1)) {
                ResourceId id = new ResourceId(problem.substring(m.start(), m.end() - 1), problem.substring(m.end(), close));
                if (g.graph().resource(id).isPresent()) {
                    return Optional.of(id);
                }
            }
        }
        return Optional.empty();
    }
}
