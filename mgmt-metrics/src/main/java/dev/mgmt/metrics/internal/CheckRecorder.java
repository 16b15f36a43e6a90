package dev.mgmt.metrics.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.function.Function;

/**
 * Each check's duration for the check histogram ({@code CheckTiming.HISTOGRAM}), recorded in
 * batches rather than one by one: every worker would otherwise update the same histogram bucket
 * (checks of one kind take about as long), and those updates, bounced between cores, cost more
 * than the check of a resource with nothing to do. Each thread appends to a batch of its own
 * (plain writes, then one ordered write); its batch is recorded when it is full, when its oldest
 * check is {@link #MAX_AGE_NANOS} old at the thread's next check, and by {@link #drain} (the
 * meters drain at every convergence, final failure and graph swap, so figures read then are
 * exact). A run of checks of one kind costs one look-up of the kind's meters. The counts of
 * checks come from the engine's own count, not from here.
 */
final class CheckRecorder {

    /** Checks a batch holds; a power of two. */
    static final int CAPACITY = 256;
    /** How long a check may wait in a busy thread's batch, on the engine's clock. */
    static final long MAX_AGE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final ThreadLocal<Batch> mine = ThreadLocal.withInitial(this::newBatch);
    private final List<Batch> batches = new CopyOnWriteArrayList<>();
    private final Function<String, KindMeters> meters;

    /** @param meters a kind's meters, null once there are none (the binding closed) */
    CheckRecorder(Function<String, KindMeters> meters) {
        this.meters = meters;
    }

    /** On the thread that ran the check. */
    void add(String kind, long startNanos, long endNanos) {
        mine.get().add(kind, endNanos - startNanos, endNanos);
    }

    /** Records every check reported so far. Any thread. */
    void drain() {
        for (Batch b : batches) {
            // Asked before the drain: a thread seen ended has added all it ever will (isAlive
            // orders its last add before this), so the drain takes everything and it can go.
            boolean ended = !b.owner.isAlive();
            b.drain();
            if (ended) {
                // An engine's worker after close, a thread of a finished async check.
                batches.remove(b);
            }
        }
    }

    /** Batches held (for tests). */
    int batches() {
        return batches.size();
    }

    private Batch newBatch() {
        Batch b = new Batch(Thread.currentThread(), meters);
        batches.add(b);
        return b;
    }

    /**
     * One thread's checks: a ring its owner writes at {@code head} and any drainer reads up to
     * {@code head} under the batch's lock, moving {@code tail}. The owner reuses a slot only
     * once {@code tail} has passed it.
     */
    private static final class Batch {
        private static final AtomicLongFieldUpdater<Batch> HEAD = AtomicLongFieldUpdater.newUpdater(Batch.class, "head");
        private static final int MASK = CAPACITY - 1;

        final Thread owner;
        private final Function<String, KindMeters> meters;
        private final String[] kinds = new String[CAPACITY];
        private final long[] took = new long[CAPACITY];
        private volatile long head;
        private volatile long tail;
        /** When the owner's oldest undrained check ended; the owner's own. */
        private long oldest;

        Batch(Thread owner, Function<String, KindMeters> meters) {
            this.owner = owner;
            this.meters = meters;
        }

        void add(String kind, long tookNanos, long endNanos) {
            long h = head;
            long t = tail;
            if (h - t == CAPACITY || (h != t && endNanos - oldest >= MAX_AGE_NANOS)) {
                drain();
                t = h;
            }
            if (h == t) {
                oldest = endNanos;
            }
            int i = (int) (h & MASK);
            kinds[i] = kind;
            took[i] = tookNanos;
            HEAD.lazySet(this, h + 1); // publishes the slot to a drainer that reads head
        }

        synchronized void drain() {
            long h = head;
            String runKind = null;
            KindMeters runMeters = null;
            for (long j = tail; j < h; j++) {
                int i = (int) (j & MASK);
                String k = kinds[i];
                kinds[i] = null;
                if (!k.equals(runKind)) {
                    runKind = k;
                    runMeters = meters.apply(k);
                }
                if (runMeters != null && runMeters.checkHistogram != null) {
                    runMeters.checkHistogram.record(took[i], TimeUnit.NANOSECONDS);
                }
            }
            tail = h;
        }
    }
}
