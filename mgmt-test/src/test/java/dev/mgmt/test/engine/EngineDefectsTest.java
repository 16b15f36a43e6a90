package dev.mgmt.test.engine;

import static dev.mgmt.test.EngineAssertions.assertConvergedWithin;
import static dev.mgmt.test.EngineAssertions.assertFailedWithin;
import static dev.mgmt.test.EngineAssertions.assertState;
import static dev.mgmt.test.EngineAssertions.assertSucceededWithin;
import static dev.mgmt.test.EngineAssertions.awaitState;
import static dev.mgmt.test.Fakes.id;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.api.EngineEvent;
import dev.mgmt.api.Graph;
import dev.mgmt.api.Meta;
import dev.mgmt.api.ResourceId;
import dev.mgmt.engine.Convergence;
import dev.mgmt.engine.Engine;
import dev.mgmt.engine.EngineBuilder;
import dev.mgmt.engine.VertexState;
import dev.mgmt.test.FakeCall;
import dev.mgmt.test.FakeEvent;
import dev.mgmt.test.FakeGate;
import dev.mgmt.test.FakeResource;
import dev.mgmt.test.Fakes;
import dev.mgmt.test.Waits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * One regression test per defect of the first engine: each failed on it and must pass on an
 * engine that follows DESIGN §4.
 *
 * <p>Nothing here assumes the engine reacts on the caller's thread: after a drift, a swap or a
 * move of virtual time, every test waits for the effect it needs (polling, with a deadline that
 * only catches hangs) before it goes on.
 */
class EngineDefectsTest {

    private final List<Engine> engines = new ArrayList<>();
    private final List<BlockingResources> blocking = new ArrayList<>();
    private final List<Runnable> disposals = new ArrayList<>();

    @AfterEach
    void closeEverything() {
        // Held calls first (closing waits for running calls), then the engines, then their schedulers.
        blocking.forEach(BlockingResources::release);
        List<Engine> newestFirst = new ArrayList<>(engines);
        Collections.reverse(newestFirst);
        newestFirst.forEach(Engine::close);
        disposals.forEach(Runnable::run);
    }

    // ------------------------------------------------------------------------------------------
    // 1. Two applies on one resource at once across a swap.

    /**
     * A swap changes a vertex (same id, other parameters) while its apply runs and ignores
     * cancellation. The old engine dropped the running vertex at once: it closed the old resource
     * under the running call, and the successor checked and applied beside it.
     */
    @Test
    @Timeout(60)
    void swapWaitsForTheRunningCallOfAChangedVertex() {
        BlockingResources real = blocking();
        CountingWork work = countingWork();
        Engine engine = engine(b -> b.workScheduler(work.scheduler()));
        List<EngineEvent> events = record(engine);

        BlockingResources.Res old = real.resource("x", Meta.DEFAULTS, true, true);
        engine.start(Graph.builder().add(old).build());
        Waits.until(() -> real.blocked() == 1, () -> "x's apply is under way");

        BlockingResources.Res changed = real.resource("x", Meta.builder().retry(1).build(), true, true);
        engine.swap(Graph.builder().add(changed).build());
        Waits.until(() -> events.stream().anyMatch(e -> e instanceof EngineEvent.GraphSwapped),
                () -> "the swap is reported");
        // Let whatever the engine set off run its course (a close, the successor's check and apply)
        // until only held calls are left; only then does the old apply return.
        work.awaitIdleBut(real::blocked);
        real.release();

        assertSucceededWithin(engine, Waits.HANG);
        Waits.until(() -> real.closes("x") == 1, () -> "the old x is closed");
        assertThat(real.violations()).as("one call at a time on x, and no close under a running call").isEmpty();
        assertThat(real.maxInFlight("x")).as("most calls in flight at once on %s", old).isEqualTo(1);
        assertThat(real.isInSync("x")).isTrue();
    }

    // ------------------------------------------------------------------------------------------
    // 2. meta.timeout breaks meta.sema.

    /**
     * An apply times out but, like a stuck system call, goes on running. The old engine gave its
     * {@code lock:1} permit to the next vertex at the timeout: two holders at once.
     */
    @Test
    @Timeout(60)
    void aTimedOutCallKeepsItsSemaphorePermitUntilItReturns() {
        BlockingResources real = blocking();
        CountingWork work = countingWork();
        VirtualTimeScheduler vts = virtualTime();
        Engine engine = engine(b -> b.workScheduler(work.scheduler()).timeScheduler(vts));

        BlockingResources.Res stuck = real.resource("stuck",
                Meta.builder().sema("lock:1").timeout(Duration.ofSeconds(1)).build(), true, true);
        // Armed by hand, once stuck holds the permit, so it is the one waiting for it.
        BlockingResources.Res next = real.resource("next", Meta.builder().sema("lock:1").build(), false, false);
        engine.start(Graph.builder().add(stuck, next).build());
        Waits.until(() -> real.blocked() == 1, () -> "stuck's apply holds lock");
        Waits.until(() -> real.watchSubscriptions("next") == 1, () -> "next's watch is subscribed");
        real.arm("next");

        vts.advanceTimeBy(Duration.ofSeconds(1));    // stuck's apply times out; the call itself goes on
        // An engine that reacts on its own thread may still be handling the timeout; a query that
        // goes through its loop lets it finish that first (with no harm if the query does not).
        engine.states();
        work.awaitIdleBut(real::blocked);
        real.release();

        awaitState(engine, next.id(), VertexState.CLEAN, Waits.HANG);
        Waits.until(() -> real.inFlight() == 0, () -> "every call has returned");
        assertThat(real.maxHolders("lock")).as("most holders of semaphore lock (size 1) at once").isEqualTo(1);
        assertThat(real.violations()).isEmpty();
        assertThat(real.isInSync("next")).isTrue();
    }

    // ------------------------------------------------------------------------------------------
    // 3. A vertex resurrected into limbo.

    /**
     * A failed vertex gets an event, which schedules a spaced-out re-arm; then its watch gives up
     * for good. In the old engine the re-arm timer still cleared "failed": the vertex was pending
     * for ever, unarmed, and the convergence named it blocked with no failed ancestor.
     */
    @Test
    @Timeout(60)
    void aVertexWhoseWatchGaveUpIsNotResurrectedIntoLimbo() {
        VirtualTimeScheduler vts = virtualTime();
        Fakes fakes = Fakes.create(vts);
        Engine engine = engine(b -> b.timeScheduler(vts).workScheduler(vts));
        List<EngineEvent> events = record(engine);
        // retry 0 (the default) for its runs and for its watch.
        FakeResource a = fakes.resource("a").failChecks(Integer.MAX_VALUE).build();
        FakeResource child = fakes.resource("child").build();
        FakeResource other = fakes.resource("other").build();
        engine.start(Graph.builder().add(a, child, other).edge(a, child).build());
        Waits.until(() -> fakes.counts("a").checks() == 1 && engine.state(id("a")) == VertexState.FAILED
                && engine.state(id("other")) == VertexState.CLEAN, () -> "a failed and other ran");

        fakes.trigger("a");                  // the first re-arm (at once, in the old engine): check #2 fails too
        advanceUntil(vts, () -> fakes.counts("a").checks() == 2 && engine.state(id("a")) == VertexState.FAILED,
                () -> "a failed again after its first re-arm");
        fakes.trigger("a");                  // a further re-arm may be spaced out
        fakes.failWatch("a", new IllegalStateException("watch gone"));   // and the watch gives up for good
        Waits.until(() -> events.stream().anyMatch(e -> e instanceof EngineEvent.Failed f && f.id().equals(id("a"))
                && f.phase() == EngineEvent.Phase.WATCH && !f.willRetry()), () -> "a's watch failed for good");

        vts.advanceTimeBy(Duration.ofMinutes(10));   // past any re-arm delay
        fakes.drift("other");                        // something happens elsewhere: convergence is computed anew
        Waits.until(() -> fakes.counts("other").applies() == 2 && engine.state(id("other")) == VertexState.CLEAN,
                () -> "other is repaired");

        Convergence c = assertConvergedWithin(engine, Waits.HANG);
        assertThat(c.failed()).as("failed vertices of: %s", c.describe()).containsExactly(id("a"));
        assertThat(c.blocked()).as("blocked vertices (only those below a failed one) of: %s", c.describe())
                .containsExactly(id("child"));
        assertState(engine, VertexState.FAILED, id("a"));
        assertState(engine, VertexState.BLOCKED, id("child"));
    }

    // ------------------------------------------------------------------------------------------
    // 4. Stale convergence.

    /**
     * A failed vertex is re-armed by its event, but its parent has failed since, so it cannot run
     * and no run moves the engine's counters. The old engine kept serving the convergence it had
     * computed before, which still named the vertex failed while it was blocked.
     */
    @Test
    @Timeout(60)
    void theConvergenceReportAgreesWithTheStatesOfTheVertices() {
        Fakes fakes = Fakes.create();
        Engine engine = engine(UnaryOperator.identity());
        FakeResource p = fakes.resource("p").build();
        FakeResource v = fakes.resource("v").failChecks(1).build();
        List<ResourceId> all = List.of(id("p"), id("v"));
        engine.start(Graph.builder().add(p, v).edge(p, v).build());
        assertAgrees(engine, assertFailedWithin(engine, Waits.HANG, id("v")), all);

        fakes.failNextChecks("p", 1).drift("p");
        awaitState(engine, id("p"), VertexState.FAILED, Waits.HANG);
        assertAgrees(engine, assertConvergedWithin(engine, Waits.HANG), all);

        fakes.trigger("v");                  // re-arms v: pending again, behind its failed parent
        awaitState(engine, id("v"), VertexState.BLOCKED, Waits.HANG);
        assertAgrees(engine, assertConvergedWithin(engine, Waits.HANG), all);

        // The truth once p is fixed: p runs clean, then v.
        fakes.drift("p");
        Waits.until(() -> engine.state(id("p")) == VertexState.CLEAN && engine.state(id("v")) == VertexState.CLEAN,
                () -> "p and v are clean");
        assertAgrees(engine, assertSucceededWithin(engine, Waits.HANG), all);
        assertThat(fakes.isInSync("v")).isTrue();
    }

    // ------------------------------------------------------------------------------------------
    // 5. An event lost.

    /**
     * An event arrives while the apply runs; the apply then fails with no retry left. The run the
     * event asked for is still owed: the old engine dropped it and left the vertex failed.
     */
    @Test
    @Timeout(60)
    void anEventDuringARunThatFailsIsNotLost() {
        Fakes fakes = Fakes.create();
        FakeGate gate = FakeGate.closed();
        FakeResource a = fakes.resource("a").applyGate(gate).failApplies(1).build();
        Engine engine = engine(UnaryOperator.identity());
        engine.start(Graph.builder().add(a).build());
        Waits.until(() -> !fakes.calls("a", FakeCall.Phase.APPLY).isEmpty(), () -> "a's apply is under way");

        fakes.drift("a");                    // during the run: one more run is owed
        gate.open();                         // the apply fails, retry 0

        Convergence c = assertConvergedWithin(engine, Waits.HANG);
        assertThat(c.isSuccess()).as("the owed run repairs a, with no further event; but %s", c.describe()).isTrue();
        assertThat(fakes.counts("a").checks()).isEqualTo(2);
        assertThat(fakes.counts("a").applies()).isEqualTo(2);
        assertState(engine, VertexState.CLEAN, id("a"));
        assertThat(fakes.isInSync("a")).isTrue();
    }

    // ------------------------------------------------------------------------------------------
    // 6. A scheduled re-run reported as failed.

    /**
     * A vertex has failed twice (the first re-arm runs at once and fails too). The next event
     * re-arms it; a run is due, possibly after a delay. The old engine kept the vertex FAILED
     * until the delay ran out, so the engine reported itself converged with a failure while a
     * (successful) run was scheduled.
     */
    @Test
    @Timeout(60)
    void aFailedVertexIsNotReportedFailedWhileItsRerunIsScheduled() {
        VirtualTimeScheduler vts = virtualTime();
        Fakes fakes = Fakes.create(vts);
        Engine engine = engine(b -> b.timeScheduler(vts).workScheduler(vts));
        FakeResource a = fakes.resource("a").failChecks(2).build();
        engine.start(Graph.builder().add(a).build());
        Waits.until(() -> fakes.counts("a").checks() == 1 && engine.state(id("a")) == VertexState.FAILED,
                () -> "a failed");
        fakes.trigger("a");                  // the first re-arm (at once, in the old engine): check #2 fails
        advanceUntil(vts, () -> fakes.counts("a").checks() == 2 && engine.state(id("a")) == VertexState.FAILED,
                () -> "a failed again");

        fakes.trigger("a");                  // a is fixed now; its next run is due
        Waits.until(() -> engine.state(id("a")) != VertexState.FAILED,
                () -> "a is no longer reported FAILED once its event re-armed it (a run is due); it is "
                        + engine.state(id("a")));
        CompletableFuture<Convergence> converged = engine.converged(Duration.ZERO).toFuture();
        if (converged.isDone()) {
            assertThat(converged.join().isSuccess()).as("converged while a's re-run was due: %s",
                    converged.join().describe()).isTrue();
        }
        advanceUntil(vts, converged::isDone, () -> "the engine converges after a's re-run");
        assertThat(converged.join().isSuccess()).as("%s", converged.join().describe()).isTrue();
        assertThat(fakes.counts("a").checks()).isEqualTo(3);
        assertState(engine, VertexState.CLEAN, id("a"));
        assertThat(fakes.isInSync("a")).isTrue();
    }

    // ------------------------------------------------------------------------------------------
    // 7. Starvation under a parallelism cap.

    /**
     * With parallelism 1, a vertex that gets an event during each of its runs took the permit
     * back the moment it gave it up, in the old engine, so another vertex that became ready
     * meanwhile waited as long as the storm lasted. Permits go first come, first served.
     */
    @Test
    @Timeout(60)
    void aBusyVertexDoesNotStarveAnotherUnderAParallelismCap() {
        VirtualTimeScheduler vts = virtualTime();
        Fakes fakes = Fakes.create(vts);
        Engine engine = engine(b -> b.parallelism(1).timeScheduler(vts).workScheduler(vts));
        FakeResource busy = fakes.resource("busy").inSync(true).checkTakes(Duration.ofSeconds(10)).build();
        FakeResource other = fakes.resource("other").inSync(true).build();
        engine.start(Graph.builder().add(busy, other).build());
        advanceUntil(vts, () -> fakes.counts("busy").checks() == 1 && fakes.counts("other").checks() == 1
                        && bothClean(engine, "busy", "other"), () -> "both ran once");

        fakes.drift("busy");
        Waits.until(() -> fakes.counts("busy").checks() == 2, () -> "busy runs again");
        fakes.drift("other");                // ready, but busy holds the only permit
        Waits.until(() -> engine.state(id("other")) != VertexState.CLEAN, () -> "other waits for the permit");
        long ready = fakes.log().stream().filter(e -> e.name().equals("other") && e.type() == FakeEvent.Type.DRIFTED)
                .mapToLong(FakeEvent::seq).max().orElseThrow();

        // A storm on busy: an event every (virtual) second, and each of its runs takes 10 s.
        long deadline = System.nanoTime() + Waits.HANG.toNanos();
        List<FakeCall> otherRuns;
        List<FakeCall> busyRuns;
        for (;;) {
            otherRuns = checksAfter(fakes, "other", ready);
            busyRuns = checksAfter(fakes, "busy", ready);
            if (!otherRuns.isEmpty() || busyRuns.size() >= 3) {
                break;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("within " + Waits.HANG + " neither did other run nor busy run 3 more times; "
                        + "busy ran " + busyRuns.size() + " times");
            }
            fakes.drift("busy");
            vts.advanceTimeBy(Duration.ofSeconds(1));
            pause();
        }
        // The storm is over: both settle, whoever went first.
        advanceUntil(vts, () -> !checksAfter(fakes, "other", ready).isEmpty() && bothClean(engine, "busy", "other"),
                () -> "both are clean after the storm");
        otherRuns = checksAfter(fakes, "other", ready);
        busyRuns = checksAfter(fakes, "busy", ready);
        long otherStarted = otherRuns.get(0).startSeq();
        long busyFirst = busyRuns.stream().filter(c -> c.startSeq() < otherStarted).count();
        assertThat(busyFirst).as("runs busy started after other became ready and before other ran").isLessThan(3);
    }

    // ------------------------------------------------------------------------------------------
    // 8. "converged" never printed.

    /**
     * The old engine drained its loop inside start(), so on a wide graph it could converge before
     * start() returned; events() replays nothing, and a subscriber that came afterwards never saw
     * Converged. The latest convergence is replayed to late subscribers.
     */
    @Test
    @Timeout(120)
    void aLateSubscriberSeesTheLatestConvergence() {
        Fakes fakes = Fakes.create();
        List<FakeResource> rs = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            rs.add(fakes.resource("r" + i).inSync(true).build());
        }
        Engine engine = engine(UnaryOperator.identity());
        engine.start(Graph.builder().addAll(rs).build());
        List<EngineEvent> afterStart = record(engine);
        assertSucceededWithin(engine, Waits.HANG);
        List<EngineEvent> afterConverged = record(engine);
        Waits.until(() -> sawConverged(afterStart) && sawConverged(afterConverged),
                () -> "both late subscribers see Converged; the one subscribed when start() returned "
                        + (sawConverged(afterStart) ? "did" : "did not") + ", the one subscribed once converged "
                        + (sawConverged(afterConverged) ? "did" : "did not"));
        EngineEvent.Converged c = afterConverged.stream().filter(e -> e instanceof EngineEvent.Converged)
                .map(EngineEvent.Converged.class::cast).reduce((x, y) -> y).orElseThrow();
        assertThat(c.failed()).isEmpty();
        assertThat(c.blocked()).isEmpty();
    }

    // ------------------------------------------------------------------------------------------
    // helpers

    private Engine engine(UnaryOperator<EngineBuilder> settings) {
        Engine e = settings.apply(Engine.builder()).build();
        engines.add(e);
        return e;
    }

    private BlockingResources blocking() {
        BlockingResources b = new BlockingResources();
        blocking.add(b);
        return b;
    }

    private CountingWork countingWork() {
        CountingWork w = new CountingWork(8);
        disposals.add(w::dispose);
        return w;
    }

    private VirtualTimeScheduler virtualTime() {
        VirtualTimeScheduler vts = VirtualTimeScheduler.create();
        disposals.add(vts::dispose);
        return vts;
    }

    private static List<EngineEvent> record(Engine engine) {
        List<EngineEvent> events = new CopyOnWriteArrayList<>();
        engine.events().subscribe(events::add);
        return events;
    }

    private static boolean sawConverged(List<EngineEvent> events) {
        return events.stream().anyMatch(e -> e instanceof EngineEvent.Converged);
    }

    private static boolean bothClean(Engine engine, String a, String b) {
        return engine.state(id(a)) == VertexState.CLEAN && engine.state(id(b)) == VertexState.CLEAN;
    }

    private static List<FakeCall> checksAfter(Fakes fakes, String name, long seq) {
        return fakes.calls(name, FakeCall.Phase.CHECK).stream().filter(c -> c.startSeq() > seq).toList();
    }

    /**
     * The convergence and the vertices tell the same story: failed ones are FAILED, blocked ones
     * BLOCKED, and every other one CLEAN (the engine is converged).
     */
    private static void assertAgrees(Engine engine, Convergence c, List<ResourceId> ids) {
        List<String> wrong = new ArrayList<>();
        for (ResourceId id : ids) {
            VertexState s = engine.state(id);
            VertexState said = c.failed().contains(id) ? VertexState.FAILED
                    : c.blocked().contains(id) ? VertexState.BLOCKED : VertexState.CLEAN;
            if (s != said) {
                wrong.add(id + " is " + s + " but the convergence makes it " + said);
            }
        }
        assertThat(wrong).as("the convergence \"%s\" against the vertices", c.describe()).isEmpty();
    }

    /** Moves virtual time a second at a time until done; the engine may react on its own threads. */
    private static void advanceUntil(VirtualTimeScheduler vts, BooleanSupplier done, Supplier<String> what) {
        long deadline = System.nanoTime() + Waits.HANG.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + Waits.HANG + " moving virtual time until "
                        + what.get());
            }
            vts.advanceTimeBy(Duration.ofSeconds(1));
            pause();
        }
    }

    /** Lets an engine that reacts on its own threads catch up between two moves of virtual time. */
    private static void pause() {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
