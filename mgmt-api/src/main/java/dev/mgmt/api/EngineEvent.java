package dev.mgmt.api;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What the engine reports while it runs a graph. Observers switch over the sealed set:
 *
 * <pre>{@code
 * engine.events().subscribe(e -> {
 *     if (e instanceof EngineEvent.Applied a) log.info("{}: applied in {} ms", a.id(), a.took().toMillis());
 * });
 * }</pre>
 */
public sealed interface EngineEvent {

    /**
     * When it happened, on the engine's clock: wall-clock time (within 2 ms of it) with the
     * clock's nanosecond resolution, so the time between two events of one engine is exact
     * ({@code Duration.between(changed.time(), applied.time())}) even when it is under a millisecond.
     */
    Instant time();

    /** An event about one vertex: {@code if (e instanceof EngineEvent.OfVertex v) byId.get(v.id())}. */
    sealed interface OfVertex extends EngineEvent {
        /** The vertex it is about. */
        ResourceId id();
    }

    /** The step of a vertex that an event is about. */
    enum Phase { WATCH, CHECK, APPLY, REFRESH }

    /**
     * A vertex's watch emitted its first element: from now on no change is missed. An engine
     * that does not watch (a one-shot run) arms every vertex at once and watches nothing.
     */
    record WatchArmed(Instant time, ResourceId id) implements OfVertex {
    }

    /**
     * A vertex's watch saw a change, and the engine took it: the vertex owes a run from now on
     * (a check, then an apply if needed). {@code time} is when the first of the watch's elements
     * reached the engine. Not sent for the element that arms a watch ({@link WatchArmed}), nor
     * for one that a failed or removed watch drops.
     *
     * <p>Watch elements that arrive faster than the engine takes them fold into one change, and
     * a change that comes while a run is owed and not started yet (or while a failed run waits to
     * retry) folds into that run. {@code coalesced} counts the elements that caused no run of
     * their own: the elements of this change after the first, plus the first when a run was
     * already owed. It is 0 for a lone element that caused a run.
     */
    record Changed(Instant time, ResourceId id, int coalesced) implements OfVertex {
    }

    /**
     * Send/recv: a vertex received a value for {@code param} from {@code from}'s {@code key} that
     * differs from the one it had, so it runs again with it. The value itself is not in the
     * event (it may be a secret).
     */
    record Received(Instant time, ResourceId id, String param, ResourceId from, String key) implements OfVertex {
    }

    /** A vertex started a run (check, then apply when needed). */
    record RunStarted(Instant time, ResourceId id, boolean refresh) implements OfVertex {
    }

    /** A check finished; {@code ok} means the state already matched. */
    record Checked(Instant time, ResourceId id, boolean ok, Duration took) implements OfVertex {
    }

    /** An apply changed the real state. */
    record Applied(Instant time, ResourceId id, Duration took) implements OfVertex {
    }

    /** In noop mode: the check said the state differs; nothing was changed. */
    record WouldApply(Instant time, ResourceId id) implements OfVertex {
    }

    /** Text a resource reported through {@link Report#say} during a step, such as a command's output. */
    record Output(Instant time, ResourceId id, Phase phase, String text) implements OfVertex {
    }

    /** A {@link Refreshable} resource reacted to a change upstream. */
    record Refreshed(Instant time, ResourceId id, Duration took) implements OfVertex {
    }

    /**
     * A step failed. {@code attempt} counts from 1; {@code willRetry} tells whether the
     * engine tries again after {@link Meta#delay()}, or the vertex is now failed.
     */
    record Failed(Instant time, ResourceId id, Phase phase, int attempt, boolean willRetry, String message)
            implements OfVertex {
    }

    /** A vertex waits behind a failed ancestor and will not run until it recovers. */
    record Blocked(Instant time, ResourceId id, ResourceId by) implements OfVertex {
    }

    /** Every vertex is settled: clean, failed or blocked, with nothing pending. */
    record Converged(Instant time, List<ResourceId> failed, List<ResourceId> blocked) implements EngineEvent {
        public Converged {
            failed = List.copyOf(failed);
            blocked = List.copyOf(blocked);
        }
    }

    /** Work is pending again after a {@link Converged}. */
    record Unconverged(Instant time) implements EngineEvent {
    }

    /** A new graph replaced the running one. */
    record GraphSwapped(Instant time, List<ResourceId> added, List<ResourceId> removed, List<ResourceId> kept)
            implements EngineEvent {
        public GraphSwapped {
            added = List.copyOf(added);
            removed = List.copyOf(removed);
            kept = List.copyOf(kept);
        }
    }

    /**
     * A graph from a followed stream did not compile: nothing of it runs, and the previous graph
     * keeps running untouched.
     *
     * @param graphName the graph's name; empty when it has none
     * @param problems  every problem found, each naming the resource, edge or cycle at fault
     */
    record GraphRejected(Instant time, String graphName, List<String> problems) implements EngineEvent {
        public GraphRejected {
            problems = List.copyOf(problems);
        }
    }

    /**
     * A followed stream of graphs failed: no further graph comes from it, and the last graph
     * swapped in keeps running.
     */
    record GraphStreamFailed(Instant time, String message) implements EngineEvent {
    }
}
