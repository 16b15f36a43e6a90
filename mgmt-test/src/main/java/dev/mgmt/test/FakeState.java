package dev.mgmt.test;

import dev.mgmt.api.ResourceId;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.FluxSink;

/** The real state behind one fake resource name, shared by every {@link FakeResource} of that name. */
final class FakeState {

    final ResourceId id;
    private final AtomicBoolean inSync = new AtomicBoolean();
    private final AtomicBoolean seeded = new AtomicBoolean();

    final AtomicInteger checks = new AtomicInteger();
    final AtomicInteger applies = new AtomicInteger();
    final AtomicInteger refreshes = new AtomicInteger();
    final AtomicInteger watchSubscriptions = new AtomicInteger();
    final AtomicInteger watchCancellations = new AtomicInteger();
    final AtomicInteger closes = new AtomicInteger();
    final AtomicInteger checkFailuresToInject = new AtomicInteger();
    final AtomicInteger applyFailuresToInject = new AtomicInteger();

    final List<Watcher> watchers = new CopyOnWriteArrayList<>();

    FakeState(ResourceId id) {
        this.id = id;
    }

    /** Sets the initial real state unless it was set already. */
    void seed(boolean initiallyInSync) {
        if (seeded.compareAndSet(false, true)) {
            inSync.set(initiallyInSync);
        }
    }

    boolean inSync() {
        return inSync.get();
    }

    void inSync(boolean value) {
        seeded.set(true);
        inSync.set(value);
    }

    /** Takes one injected failure if any is pending. */
    static boolean take(AtomicInteger pending) {
        return pending.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
    }

    FakeCounts counts() {
        return new FakeCounts(checks.get(), applies.get(), refreshes.get(), watchSubscriptions.get(),
                watchCancellations.get(), closes.get());
    }

    /** One subscription to the watch. */
    static final class Watcher {
        final FluxSink<FakeEvent> sink;
        final AtomicBoolean armed = new AtomicBoolean();

        Watcher(FluxSink<FakeEvent> sink) {
            this.sink = sink;
        }
    }
}
