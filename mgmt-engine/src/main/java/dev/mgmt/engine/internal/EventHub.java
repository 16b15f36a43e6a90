package dev.mgmt.engine.internal;

import dev.mgmt.api.EngineEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

/**
 * Hands engine events to the subscribers of {@code events()} off the engine loop: the loop only
 * queues them, and a serial drain on a shared daemon pool delivers them in order, then completes
 * {@code converged()} waiters in that same order (so a waiter sees every event before it). A
 * subscriber slow in {@code onNext} therefore delays the others of the same engine, never the
 * engine; one with bounded demand keeps its newest {@link #PER_SUBSCRIBER} events. A new
 * subscriber first receives the latest {@code Converged} or {@code Unconverged}, so it always
 * learns where the engine stands (DESIGN §4, "Threads").
 */
final class EventHub implements Executor {

    private static final Logger log = LoggerFactory.getLogger(EventHub.class);
    static final int PER_SUBSCRIBER = 65_536;
    private static final ExecutorService DELIVERY = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "mgmt-events");
        t.setDaemon(true);
        return t;
    });

    /** Hubs with deliveries queued or under way, for {@link Quiescence}. */
    static final AtomicInteger BUSY = new AtomicInteger();
    /** Set on a thread while it delivers; such a thread must not wait for deliveries to end. */
    static final ThreadLocal<Boolean> DELIVERING = ThreadLocal.withInitial(() -> Boolean.FALSE);

    private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger wip = new AtomicInteger();
    // Delivery-confined.
    private final List<FluxSink<EngineEvent>> sinks = new ArrayList<>();
    private EngineEvent convergence;
    private boolean completed;
    /** Read by the loop to skip building events nobody will see; counted when subscribe() is called. */
    private final AtomicInteger subscribers = new AtomicInteger();

    /** Whether anyone listens; convergence events are kept for later subscribers either way. */
    boolean wanted() {
        return subscribers.get() > 0;
    }

    /** From the loop. */
    void publish(EngineEvent e) {
        deliver(() -> {
            if (e instanceof EngineEvent.Converged || e instanceof EngineEvent.Unconverged) {
                convergence = e;
            }
            for (int i = 0; i < sinks.size(); i++) {
                sinks.get(i).next(e);
            }
        });
    }

    /**
     * Completes every subscriber, and the ones still to come, after the events queued so far.
     *
     * @return done once they are delivered
     */
    CompletableFuture<Void> complete() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        deliver(() -> {
            completed = true;
            sinks.forEach(FluxSink::complete);
            sinks.clear();
            subscribers.set(0);
            done.complete(null);
        });
        return done;
    }

    /** Runs a task in order with the deliveries, off the loop: completes converged() waiters. */
    @Override
    public void execute(Runnable task) {
        deliver(task);
    }

    Flux<EngineEvent> flux() {
        return Flux.<EngineEvent>create(sink -> {
                    // Counted now, so the events the engine makes from here on are built and queued
                    // behind this registration.
                    subscribers.incrementAndGet();
                    deliver(() -> {
                        if (completed) {
                            sink.complete();
                            return;
                        }
                        if (convergence != null) {
                            sink.next(convergence);
                        }
                        sinks.add(sink);
                        sink.onDispose(() -> deliver(() -> {
                            if (sinks.remove(sink)) {
                                subscribers.decrementAndGet();
                            }
                        }));
                    });
                }, FluxSink.OverflowStrategy.IGNORE)
                .onBackpressureBuffer(PER_SUBSCRIBER, dropped -> { }, BufferOverflowStrategy.DROP_OLDEST);
    }

    private void deliver(Runnable task) {
        queue.offer(task);
        if (wip.getAndIncrement() == 0) {
            BUSY.incrementAndGet();
            DELIVERY.execute(this::drain);
        }
    }

    private void drain() {
        DELIVERING.set(Boolean.TRUE);
        int missed = 1;
        do {
            Runnable task;
            while ((task = queue.poll()) != null) {
                try {
                    task.run();
                } catch (Throwable t) {
                    log.warn("an events() subscriber failed: {}", t.toString());
                }
            }
            missed = wip.addAndGet(-missed);
        } while (missed != 0);
        DELIVERING.set(Boolean.FALSE);
        BUSY.decrementAndGet();
    }
}
