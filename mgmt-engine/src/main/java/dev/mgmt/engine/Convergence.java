package dev.mgmt.engine;

import dev.mgmt.api.ResourceId;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The outcome of a converged engine: it has settled, but some vertices may have failed, and
 * their descendants are blocked.
 *
 * @param failed  vertices that failed with no retries left
 * @param blocked vertices waiting behind a failed ancestor
 */
public record Convergence(List<ResourceId> failed, List<ResourceId> blocked) {

    public Convergence {
        failed = List.copyOf(failed);
        blocked = List.copyOf(blocked);
    }

    /** Whether every vertex is clean. */
    public boolean isSuccess() {
        return failed.isEmpty() && blocked.isEmpty();
    }

    /**
     * Returns this when successful.
     *
     * @throws ConvergenceFailedException naming the failed and blocked vertices
     */
    public Convergence orThrow() {
        if (!isSuccess()) {
            throw new ConvergenceFailedException(this);
        }
        return this;
    }

    /** {@code "converged"} or a sentence naming failed and blocked vertices. */
    public String describe() {
        if (isSuccess()) {
            return "converged";
        }
        StringBuilder sb = new StringBuilder("converged with failures: failed ").append(join(failed));
        if (!blocked.isEmpty()) {
            sb.append("; blocked ").append(join(blocked));
        }
        return sb.toString();
    }

    private static String join(List<ResourceId> ids) {
        return ids.stream().map(ResourceId::toString).collect(Collectors.joining(", "));
    }
}
