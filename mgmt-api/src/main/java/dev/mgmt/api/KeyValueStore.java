package dev.mgmt.api;

import java.util.Map;
import java.util.Optional;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

/**
 * A key/value store that resources may read and write: on a cluster host, the cluster's
 * (its {@code World}), whose keys are the ones {@code mgmt cluster put} and {@code get} and
 * the {@code {{ kv }}} template see. The cluster keeps these keys apart from its own (exports,
 * converged states, settings), so a graph cannot touch those.
 *
 * <p>An engine given a store ({@code Engine.builder().keyValueStore(store)}) puts it in the
 * Reactor context of the watch, check, apply and refresh of each resource that says it needs it
 * with {@link NeedsKeyValueStore}, and of no other; such a resource takes it with
 * {@link #in(ContextView)}. An engine without one refuses such a resource when it compiles the
 * graph.
 */
public interface KeyValueStore {

    /** The Reactor context key under which the engine puts its store. */
    Object KEY = KeyValueStore.class;

    /** Writes a key. Idempotent, so that a retried write does no harm. */
    Mono<Void> put(String key, String value);

    /** Reads a key, as of now (not a stale copy): empty when it is absent. */
    Mono<Optional<String>> get(String key);

    /** Deletes a key; deleting a missing key is not an error. */
    Mono<Void> delete(String key);

    /** Every key under {@code prefix} with its value: the current map at once, then each change. */
    Flux<Map<String, String>> watch(String prefix);

    /** The store of the engine running the caller, from its Reactor context; empty outside such an engine. */
    static Optional<KeyValueStore> in(ContextView context) {
        return context.getOrEmpty(KEY);
    }
}
