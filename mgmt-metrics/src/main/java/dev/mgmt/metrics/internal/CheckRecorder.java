package dev.mgmt.metrics.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;

/**
 * The checks the engine's threads report, recorded into their kind's meters in batches rather
 * than one by one: every worker would otherwise increment the same histogram bucket (checks of
 * one kind take about as long), and those increments, bounced between cores, cost more than
 * the check of a resource with nothing to do. Each thread appends to a batch of its own (plain
 * writes, then one ordered write); its batch is recorded when it is full, when its oldest check
 * is {@link #MAX_AGE_NANOS} old at the thread's next check, and by {@link #drain} (the meters
 * drain at every convergence, failure and graph swap, so figures read then are exact).
 */
final class CheckRecorder {

    /** Checks a batch holds; a power of two. */
    static final int CAPACITY = 256;
    /** How long a check may wait in a busy thread's batch, on the engine's clock. */
    static final long MAX_AGE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final ThreadLocal<Batch> mine = ThreadLocal.withInitial(this::newBatch);
    private final List<Batch> batches = new CopyOnWriteArrayList<>();

    /** On the thread that ran the check. */
    void add(KindMeters kind, boolean ok, long startNanos, long endNanos) {
        mine.get().add(kind, ok, endNanos - startNanos, endNanos);
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
        Batch b = new Batch(Thread.currentThread());
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
        private final KindMeters[] kinds = new KindMeters[CAPACITY];
        private final long[] took = new long[CAPACITY];
        private final boolean[] ok = new boolean[CAPACITY];
        private volatile long head;
        private volatile long tail;
        /** When the owner's oldest undrained check ended; the owner's own. */
        private long oldest;

        Batch(Thread owner) {
            this.owner = owner;
        }

        void add(KindMeters kind, boolean clean, long tookNanos, long endNanos) {
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
            ok[i] = clean;
            HEAD.lazySet(this, h + 1); // publishes the slot to a drainer that reads head
        }

        synchronized void drain() {
            long h = head;
            long from = tail;
            // A run of checks of one kind and result is one counter increment.
            KindMeters runKind = null;
            boolean runOk = false;
            int run = 0;
            for (long j = from; j < h; j++) {
                int i = (int) (j & MASK);
                KindMeters k = kinds[i];
                if (k != runKind || ok[i] != runOk) {
                    count(runKind, runOk, run);
                    runKind = k;
                    runOk = ok[i];
                    run = 0;
                }
                run++;
                k.check.record(took[i], TimeUnit.NANOSECONDS);
                kinds[i] = null;
            }
            count(runKind, runOk, run);
            tail = h;
        }

        private static void count(KindMeters k, boolean clean, int n) {
            if (n > 0) {
                (clean ? k.checksClean : k.checksDirty).increment(n);
            }
        }
    }
}
