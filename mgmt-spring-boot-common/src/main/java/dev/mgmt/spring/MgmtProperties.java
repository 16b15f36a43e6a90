package dev.mgmt.spring;

import dev.mgmt.api.Durations;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * The {@code mgmt.*} properties (docs/spring-boot.md). A key under {@code mgmt} that is none of
 * them fails the start naming it, and so does a value out of range: Boot's binder names the
 * property, the value and why.
 */
@ConfigurationProperties(prefix = "mgmt", ignoreUnknownFields = false)
public class MgmtProperties implements Validator {

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

    /**
     * How long closing the application lets the check and apply calls under way finish before
     * they are cancelled (0s: at once). Unset: spring.lifecycle.timeout-per-shutdown-phase, 30s
     * unless set.
     */
    private Duration shutdownTimeout;

    /** A cluster host: any of these set makes this application one. */
    @NestedConfigurationProperty
    private final MgmtClusterProperties cluster = new MgmtClusterProperties();

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

    public Duration getShutdownTimeout() {
        return shutdownTimeout;
    }

    public void setShutdownTimeout(Duration shutdownTimeout) {
        this.shutdownTimeout = shutdownTimeout;
    }

    public MgmtClusterProperties getCluster() {
        return cluster;
    }

    /** Checks these properties once bound; Boot names each one out of range, with its value. */
    @Override
    public boolean supports(Class<?> type) {
        return MgmtProperties.class.isAssignableFrom(type);
    }

    @Override
    public void validate(Object target, Errors errors) {
        MgmtProperties p = (MgmtProperties) target;
        if (p.parallelism < 0) {
            errors.rejectValue("parallelism", "mgmt.range", "must be 0 (no cap) or more, not " + p.parallelism);
        }
        if (p.startupTimeout != null) {
            positive(errors, "startupTimeout", p.startupTimeout);
        }
        positive(errors, "graphPoll", p.graphPoll);
        if (p.shutdownTimeout != null && p.shutdownTimeout.isNegative()) {
            errors.rejectValue("shutdownTimeout", "mgmt.range", "must be 0s or more, not "
                    + Durations.format(p.shutdownTimeout));
        }
    }

    private static void positive(Errors errors, String field, Duration d) {
        if (d == null || d.isZero() || d.isNegative()) {
            errors.rejectValue(field, "mgmt.range", "must be more than 0s, not " + (d == null ? "empty" : Durations.format(d)));
        }
    }
}
