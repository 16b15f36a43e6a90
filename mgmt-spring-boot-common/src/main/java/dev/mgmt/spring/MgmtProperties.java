package dev.mgmt.spring;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** The {@code mgmt.*} properties (docs/spring-boot.md). */
@ConfigurationProperties("mgmt")
public class MgmtProperties {

    /** Whether the starter sets up the engine at all. */
    private boolean enabled = true;

    /**
     * The graph as a YAML resource: "classpath:graph.yaml", or "file:/etc/app/graph.yaml", which
     * is watched and swapped in whenever it changes (an invalid edit keeps the running graph).
     * Give the graph this way, or as a Graph or GraphSource bean: one way only.
     */
    private String graph;

    /** Check only: report what would change and change nothing. */
    private boolean noop;

    /** At most this many check/apply runs at once; 0 for no cap. */
    private int parallelism;

    /** Whether automatic edges are added (a file after its managed directory, ...). */
    private boolean autoEdges = true;

    /** Whether groupable resources (packages) are merged into one vertex. */
    private boolean autoGroup = true;

    /**
     * Where the engine keeps what must survive a restart (pending undos of resources with
     * meta.reverse). Unset: kept in memory only.
     */
    private Path stateDirectory;

    /**
     * How long the application's start waits for the graph's first convergence; the start
     * fails naming what is pending, failed or blocked. Unset: the start does not wait (health
     * says OUT_OF_SERVICE until then).
     */
    private Duration startupTimeout;

    /** How often a "file:" graph is read again even when its directory reports no change. */
    private Duration graphPoll = Duration.ofSeconds(2);

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getGraph() {
        return graph;
    }

    public void setGraph(String graph) {
        this.graph = graph;
    }

    public boolean isNoop() {
        return noop;
    }

    public void setNoop(boolean noop) {
        this.noop = noop;
    }

    public int getParallelism() {
        return parallelism;
    }

    public void setParallelism(int parallelism) {
        this.parallelism = parallelism;
    }

    public boolean isAutoEdges() {
        return autoEdges;
    }

    public void setAutoEdges(boolean autoEdges) {
        this.autoEdges = autoEdges;
    }

    public boolean isAutoGroup() {
        return autoGroup;
    }

    public void setAutoGroup(boolean autoGroup) {
        this.autoGroup = autoGroup;
    }

    public Path getStateDirectory() {
        return stateDirectory;
    }

    public void setStateDirectory(Path stateDirectory) {
        this.stateDirectory = stateDirectory;
    }

    public Duration getStartupTimeout() {
        return startupTimeout;
    }

    public void setStartupTimeout(Duration startupTimeout) {
        this.startupTimeout = startupTimeout;
    }

    public Duration getGraphPoll() {
        return graphPoll;
    }

    public void setGraphPoll(Duration graphPoll) {
        this.graphPoll = graphPoll;
    }
}
