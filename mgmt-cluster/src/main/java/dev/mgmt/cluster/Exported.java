package dev.mgmt.cluster;

import dev.mgmt.api.Graph;
import dev.mgmt.api.Resource;
import java.util.Objects;
import java.util.Set;

/**
 * A resource another host exported.
 *
 * @param host     the exporting host
 * @param resource the resource, decoded through the resource codec
 * @param to       the hosts it is exported to (mgmt's {@code meta.export}); empty for every host
 */
public record Exported(String host, Resource resource, Set<String> to) {

    public Exported {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(resource, "resource");
        to = Set.copyOf(to);
    }

    /** A resource exported to every host. */
    public Exported(String host, Resource resource) {
        this(host, resource, Set.of());
    }

    /** Whether {@code collector} is among the hosts this export is for. */
    public boolean isFor(String collector) {
        return to.isEmpty() || to.contains(collector) || to.contains(Graph.EVERY_HOST);
    }
}
