package dev.mgmt.api;

import reactor.core.publisher.Mono;

/**
 * A resource that reacts to a refresh: a parent reached over a {@code notify} edge changed
 * something. For example a service restarts, a command re-runs despite its guards, a timer
 * resets. The engine calls {@link #refresh()} after this resource's own check and apply.
 * Resources that do not implement this ignore refreshes.
 */
@FunctionalInterface
public interface Refreshable {

    /** Reacts to a change upstream. Runs on a scheduler that allows blocking. */
    Mono<Void> refresh();
}
