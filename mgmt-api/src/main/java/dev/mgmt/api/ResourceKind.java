package dev.mgmt.api;

import java.util.Set;

/**
 * A kind of resource as the YAML loader, the cluster codec and the CLI see it. Register one
 * per kind with {@link java.util.ServiceLoader} (a line in
 * {@code META-INF/services/dev.mgmt.api.ResourceKind}); users register their own kinds the
 * same way.
 *
 * <p>The type is decoded with Jackson: each YAML key of a resource is a property of the type
 * (for a record, a component), plus {@code name} and {@code meta}. Unknown keys are errors.
 *
 * @param <R> the resource type
 */
public interface ResourceKind<R extends Resource> {

    /** The kind, as in {@code kind[name]} and as the key under {@code resources:} in YAML. */
    String kind();

    /** The resource type Jackson decodes and encodes. */
    Class<R> type();

    /**
     * Keys that mgmt's own YAML wrote out with empty or zero values ({@code shell: ''},
     * {@code timeout: 0}). They are accepted and dropped when their value is empty, zero or
     * false, so mgmt's example graphs load unchanged; with any other value they are errors.
     */
    default Set<String> emptyKeysAccepted() {
        return Set.of();
    }
}
