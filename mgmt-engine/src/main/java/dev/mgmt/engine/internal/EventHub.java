package dev.mgmt.engine.internal;

import dev.mgmt.api.EngineEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

/**
 * Hands engine events to the subscribers of {@code events()} off the engine loop: the loop (and
 * a worker, for the events of its check or apply) only queues them, and a serial drain on a shared daemon pool delivers them in order, then completes
 * {@code converged()} waiters in that same order (so a waiter sees every event before it). A
 * subscriber slow in {@code onNext} therefore delays the others of the same engine, never the
 * engine; one with bounded demand keeps its newest {@link #PER_SUBSCRIBER} events. A new
 * subscriber first receives the latest {@code Converged} or {@code Unconverged}, so it always
 * learns where the engine stands (DESIGN §4, "Threads"). The delivery thread idles for a minute
 * between bursts; once the engine has closed it ends as soon as nothing is left to deliver.
 * The listeners of {@code Engine.listen} ({@link EventTaps}) are called before an event is
 * queued, on the publishing thread.
 */
final class EventHub implements Executor {

    private static final Logger log = LoggerFactory.getLogger(EventHub.class);
    static final int PER_SUBSCRIBER = 65_536;
    private static final AtomicInteger SERIAL = new AtomicInteger();

    /** Hubs with deliveries queued or under way, for {@link Quiescence}. */
    static final AtomicInteger BUSY = new AtomicInteger();
    /** Set on a thread while it delivers; such a thread must not wait for deliveries to end. */
    static final ThreadLocal<Boolean> DELIVERING = ThreadLocal.withInitial(() -> Boolean.FALSE);

    /** At most one thread, as deliveries are serial; started on demand, ended after a minute idle. */
    private final ThreadPoolExecutor delivery;
    /** The delivery threads started and not ended yet, for {@link #awaitThreadsEnded}. */
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger wip = new AtomicInteger();
    // Delivery-confined.
    private final List<FluxSink<EngineEvent>> sinks = new ArrayList<>();
    private EngineEvent convergence;
    private boolean completed;
    /** Read by the loop to skip building events nobody will see; counted when subscribe() is called. */
    private final AtomicInteger subscribers = new AtomicInteger();
    private final EventTaps taps = new EventTaps();

    EventHub() {
        String name = "mgmt-events-" + SERIAL.incrementAndGet();
        delivery = new ThreadPoolExecutor(0, 1, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(() -> {
                try {
                    r.run();
                } finally {
                    threads.remove(Thread.currentThread());
                }
            }, name);
            t.setDaemon(true);
            threads.add(t);
            return t;
        });
    }

    /**
     * Once the engine has closed: the delivery thread ends as soon as the queue is empty, and a
     * later delivery (a subscriber that comes after close) gets a thread that ends with it.
     */
    void release() {
        delivery.setKeepAliveTime(1, TimeUnit.NANOSECONDS);
    }

    /** After {@link #release}: waits until the delivery thread has ended; false at the deadline. */
    boolean awaitThreadsEnded(long deadlineNanos) throws InterruptedException {
        for (Thread t : threads) {
            if (t == Thread.currentThread()) {
                continue;
            }
            long left = deadlineNanos - System.nanoTime();
            if (left > 0) {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
            if (t.isAlive()) {
                return false;
            }
        }
        return true;
    }

    /** Whether an {@code events()} subscriber or a listener wants events of this type ({@link EventTaps} bit). */
    boolean wants(int bit) {
        return subscribers.get() > 0 || taps.wants(bit);
    }

    /** The listeners of {@code Engine.listen}. */
    EventTaps taps() {
        return taps;
    }

    /**
     * From the loop or a worker: to the listeners at once, and queued for the subscribers, who
     * receive events in the order published. Only convergence is queued when no one subscribes.
     */
    void publish(EngineEvent e) {
        taps.publish(e);
        queue(e);
    }

    /** {@link #publish(EngineEvent)} for a caller that knows the event's {@link EventTaps} bit. */
    void publish(EngineEvent e, int bit) {
        taps.publish(e, bit);
        queue(e);
    }

    private void queue(EngineEvent e) {
        if (subscribers.get() == 0 && !(e instanceof EngineEvent.Converged || e instanceof EngineEvent.Unconverged)) {
            return;
        }
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
            delivery.execute(this::drain);
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
