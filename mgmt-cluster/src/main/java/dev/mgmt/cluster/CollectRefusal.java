package dev.mgmt.cluster;

import java.util.Objects;

/**
 * An export a collector did not take, and why: the collect policy refused a parameter, the
 * resource would land outside the collect directory, it claims a path something else already
 * manages, or it could not be read. Shown by {@code mgmt cluster status}.
 *
 * @param collector the host that refused it
 * @param exporter  the host that exported it
 * @param resource  the exported resource's id, as the exporter named it
 * @param reason    why, with any text from the exporter escaped
 */
public record CollectRefusal(String collector, String exporter, String resource, String reason) {

    public CollectRefusal {
        Objects.requireNonNull(collector, "collector");
        Objects.requireNonNull(exporter, "exporter");
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(reason, "reason");
    }
}
