package dev.mgmt.engine.internal;

import dev.mgmt.api.Graph;
import dev.mgmt.engine.Compilation;

/**
 * A graph compiled ahead of its engine's start ({@code EngineBuilder.compile}), kept so that the
 * engine built next can start it without compiling it again: a command line compiles a graph
 * first to say its problems before anything runs, and compiling twice cost a short run of 1,000
 * files some 20 ms. Used only when the engine would compile exactly the same: the very graph
 * (no reversal pending to add to it) with the same settings.
 */
public final class Precompiled {

    private final Graph graph;
    private final boolean autoEdges;
    private final boolean autoGroup;
    private final boolean store;
    final CompiledGraph compiled;

    private Precompiled(Graph graph, boolean autoEdges, boolean autoGroup, boolean store, CompiledGraph compiled) {
        this.graph = graph;
        this.autoEdges = autoEdges;
        this.autoGroup = autoGroup;
        this.store = store;
        this.compiled = compiled;
    }

    /**
     * Compiles {@code graph} with these settings.
     *
     * @throws dev.mgmt.engine.GraphCompileException listing every problem
     */
    public static Precompiled compile(Graph graph, boolean autoEdges, boolean autoGroup, boolean store) {
        return new Precompiled(graph, autoEdges, autoGroup, store,
                GraphCompiler.compile(graph, autoEdges, autoGroup, java.util.Set.of(), store));
    }

    /** What it compiled to, as the public API says it. */
    public Compilation compilation() {
        return new Compilation(compiled.resources, compiled.edges);
    }

    /** Whether an engine with these settings, starting {@code planned} with nothing pending, would compile the same. */
    boolean fits(Graph planned, boolean pendingNone, boolean autoEdges, boolean autoGroup, boolean store) {
        return planned == graph && pendingNone && autoEdges == this.autoEdges && autoGroup == this.autoGroup
                && store == this.store;
    }
}
