package dev.mgmt.api.codec;

import dev.mgmt.api.ResourceKind;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;

/**
 * The resource kinds known to this process: every {@link ResourceKind} on the class path
 * (through {@link ServiceLoader}), or an explicit set.
 */
public final class ResourceRegistry {

    private final Map<String, ResourceKind<?>> kinds;

    private ResourceRegistry(Map<String, ResourceKind<?>> kinds) {
        this.kinds = Collections.unmodifiableMap(kinds);
    }

    /**
     * Every kind registered on the class path.
     *
     * @throws IllegalStateException when two registrations claim the same kind
     */
    public static ResourceRegistry load() {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        Map<String, ResourceKind<?>> m = new TreeMap<>();
        for (ResourceKind<?> k : ServiceLoader.load(ResourceKind.class, cl != null ? cl : ResourceRegistry.class.getClassLoader())) {
            add(m, k);
        }
        return new ResourceRegistry(m);
    }

    /** Exactly these kinds. */
    public static ResourceRegistry of(ResourceKind<?>... kinds) {
        Map<String, ResourceKind<?>> m = new TreeMap<>();
        for (ResourceKind<?> k : kinds) {
            add(m, k);
        }
        return new ResourceRegistry(m);
    }

    private static void add(Map<String, ResourceKind<?>> m, ResourceKind<?> k) {
        ResourceKind<?> prior = m.putIfAbsent(k.kind(), k);
        if (prior != null && !prior.type().equals(k.type())) {
            throw new IllegalStateException("resource kind '" + k.kind() + "' is registered twice: "
                    + prior.type().getName() + " and " + k.type().getName());
        }
    }

    /** The kind with this name, if registered. */
    public Optional<ResourceKind<?>> kind(String name) {
        return Optional.ofNullable(kinds.get(name));
    }

    /** Every registered kind name, sorted. */
    public Set<String> kinds() {
        return kinds.keySet();
    }
}
