package dev.mgmt.api;

import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A managed thing: an immutable value that describes the desired state, plus the three
 * behaviours the engine drives.
 *
 * <ul>
 *   <li>{@link #watch()} says the real state <em>may</em> have changed. Its first element
 *       means "armed": the engine never checks a resource before its watch is armed, so no
 *       change between a check and the watch is lost. An engine of a one-shot run
 *       ({@code watchResources(false)}) never subscribes it: check and apply must not rely on it.</li>
 *   <li>{@link #check()} says whether the real state already matches, with no side effects.</li>
 *   <li>{@link #apply()} makes it match; it may assume {@code check()} just said no.</li>
 * </ul>
 *
 * <p>Implementations are values: two resources are equal when their parameters (meta
 * included) are equal. A graph swap keeps a vertex running when its old and new resources
 * are equal. {@code check}, {@code apply} and {@code refresh} run on a scheduler that allows
 * blocking.
 */
public interface Resource extends AutoCloseable {

    /** The kind, for example {@code file}. */
    String kind();

    /** The name, unique within the kind in one graph. */
    String name();

    /** {@code kind[name]}. */
    default ResourceId id() {
        return new ResourceId(kind(), name());
    }

    /** Meta parameters; {@link Meta#DEFAULTS} unless the resource carries its own. */
    default Meta meta() {
        return Meta.DEFAULTS;
    }

    /**
     * Checks the parameters only, before anything runs. Each message names the parameter
     * first, for example {@code "mode: '0999' is not an octal file mode"}.
     *
     * @return the problems found; empty when the resource is valid
     */
    default List<String> validate() {
        return List.of();
    }

    /**
     * Hot notifications that the real state may have changed. The first element means the
     * watch is armed. Spurious elements are fine; a missed one is a bug. It completes only
     * when cancelled; an error counts as a failed watch and is retried per {@link Meta#retry()}.
     * Not subscribed at all by an engine that does not watch (a one-shot run).
     */
    Flux<?> watch();

    /** Emits {@code true} when the real state already matches. No side effects. */
    Mono<Boolean> check();

    /** Makes the real state match. */
    Mono<Void> apply();

    /** UIDs other resources may seek to get an automatic edge from this one. */
    default List<Uid> provides() {
        return List.of();
    }

    /**
     * What this resource depends on, for automatic edges. Each inner list is one independent
     * need, as alternatives nearest first: the engine adds an edge from the resources that
     * provide the first alternative anyone provides. A file seeks one chain of its ancestor
     * directories (so it gets its nearest managed one); an exec seeks its cwd and, separately,
     * its binary.
     */
    default List<List<Uid>> seeks() {
        return List.of();
    }

    /** Releases connections held by the resource; called when it leaves the engine. */
    @Override
    default void close() {
    }
}
