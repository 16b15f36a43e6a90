package dev.mgmt.api;

/**
 * Capability of a resource that works on the engine's {@link KeyValueStore} (kind {@code kv}):
 * the engine gives the store only to resources that declare it.
 * An engine that has no store refuses the graph when it compiles it, before anything runs,
 * naming each such resource and what it keeps there; {@code mgmt run} says which flags start
 * or join a cluster.
 */
public interface NeedsKeyValueStore {

    /** What the resource keeps in the store, for those messages: {@code "key 'stage'"}. */
    String storeUse();
}
