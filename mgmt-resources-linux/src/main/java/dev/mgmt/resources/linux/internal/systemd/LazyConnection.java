package dev.mgmt.resources.linux.internal.systemd;

import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

/**
 * A resource's D-Bus connection, opened on first use and again after it was lost, and the
 * watches a resource subscribes on it. Run state of one resource, outside its equality.
 *
 * @param <C> the connection ({@link HostnameBus}, {@link SystemdBus})
 */
public final class LazyConnection<C> {

    /** A watch's first element: the signal handlers are registered. */
    public static final Object ARMED = "armed";
    /** A watch's element for every change signalled. */
    public static final Object CHANGED = "changed";

    /** Registers a watch on a connection; it calls {@code changed} per signal, {@code failed} once on loss. */
    @FunctionalInterface
    public interface Watcher<C> {
        AutoCloseable watch(C connection, Runnable changed, Consumer<SystemdException> failed);
    }

    private final Supplier<C> open;
    private final Predicate<C> usable;
    private final Consumer<C> close;
    private C connection; // guarded by this

    /**
     * @param open opens (or acquires a share of) a connection; blocks, throws {@link SystemdException}
     * @param usable whether a connection is still usable
     * @param close closes (or releases) a connection
     */
    public LazyConnection(Supplier<C> open, Predicate<C> usable, Consumer<C> close) {
        this.open = open;
        this.usable = usable;
        this.close = close;
    }

    /** The connection, opened on first use and again after it was lost. Blocks. */
    public synchronized C get() {
        if (connection != null && !usable.test(connection)) {
            close.accept(connection);
            connection = null;
        }
        if (connection == null) {
            connection = open.get();
        }
        return connection;
    }

    /** Closes the connection if open; a later {@link #get()} opens another. */
    public synchronized void close() {
        if (connection != null) {
            close.accept(connection);
            connection = null;
        }
    }

    /**
     * {@link #ARMED} once {@code watcher} has registered, then {@link #CHANGED} per signal; fails
     * with {@code named} of the error when the bus cannot be reached or the connection is lost.
     * Subscribing blocks (it may connect): the engine subscribes on its own work pool, as a
     * Reactor shared thread would outlive the engine.
     *
     * @param owner the resource, named when closing the watch fails
     * @param log where a failure to close the watch is logged
     */
    public Flux<?> watch(Object owner, Logger log, Watcher<C> watcher, UnaryOperator<SystemdException> named) {
        return Flux.create((FluxSink<Object> sink) -> {
            try {
                AutoCloseable w = watcher.watch(get(), () -> sink.next(CHANGED), e -> sink.error(named.apply(e)));
                sink.onDispose(() -> {
                    try {
                        w.close();
                    } catch (Exception e) {
                        log.debug("{}: closing the watch: {}", owner, e.toString());
                    }
                });
                sink.next(ARMED);
            } catch (SystemdException e) {
                sink.error(named.apply(e));
            }
        }, FluxSink.OverflowStrategy.LATEST);
    }
}
