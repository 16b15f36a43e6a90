package dev.mgmt.engine;

import dev.mgmt.api.EngineEvent.GraphRejected;
import dev.mgmt.api.ResourceId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The outcome of a converged engine: it has settled, but some vertices may have failed, and
 * their descendants are blocked. When the engine follows a stream of graphs
 * ({@link Engine#follow}) and the latest graph did not compile, it settles on the previous graph
 * and {@code rejected} says so.
 *
 * @param failed   vertices that failed with no retries left
 * @param blocked  vertices waiting behind a failed ancestor
 * @param rejected the latest followed graph, when it did not compile and the previous one runs instead
 */
public record Convergence(List<ResourceId> failed, List<ResourceId> blocked, Optional<GraphRejected> rejected) {

    public Convergence {
        failed = List.copyOf(failed);
        blocked = List.copyOf(blocked);
        rejected = rejected == null ? Optional.empty() : rejected;
    }

    /** A convergence of the graph that was asked for: no rejected graph. */
    public Convergence(List<ResourceId> failed, List<ResourceId> blocked) {
        this(failed, blocked, Optional.empty());
    }

    /** Whether every vertex is clean and the latest graph is the one running. */
    public boolean isSuccess() {
        return failed.isEmpty() && blocked.isEmpty() && rejected.isEmpty();
    }

    /**
     * Returns this when successful.
     *
     * @throws ConvergenceFailedException naming the failed and blocked vertices, and the rejected graph
     */
    public Convergence orThrow() {
        if (!isSuccess()) {
            throw new ConvergenceFailedException(this);
        }
        return this;
    }

    /**
     * {@code "converged"}, or a sentence naming the rejected graph with its problems (the graph
     * before it is the one that runs), then the failed and blocked vertices.
     */
    public String describe() {
        if (isSuccess()) {
            return "converged";
        }
        List<String> parts = new ArrayList<>();
        rejected.ifPresent(r -> parts.add((r.graphName().isEmpty() ? "the latest graph" : "graph " + r.graphName())
                + " was rejected: " + String.join("; ", r.problems())));
        if (!failed.isEmpty() || !blocked.isEmpty()) {
            StringBuilder sb = new StringBuilder("converged with failures: ");
            if (!failed.isEmpty()) {
                sb.append("failed ").append(join(failed));
            }
            if (!blocked.isEmpty()) {
                sb.append(failed.isEmpty() ? "" : "; ").append("blocked ").append(join(blocked));
            }
            parts.add(sb.toString());
        }
        return String.join("; ", parts);
    }

    private static String join(List<ResourceId> ids) {
        return ids.stream().map(ResourceId::toString).collect(Collectors.joining(", "));
    }
}
