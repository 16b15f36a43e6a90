package dev.mgmt.test.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.api.Graph;
import dev.mgmt.api.GraphBuilder;
import dev.mgmt.api.ResourceId;
import dev.mgmt.engine.Convergence;
import dev.mgmt.engine.Engine;
import dev.mgmt.engine.VertexState;
import dev.mgmt.engine.internal.Quiescence;
import dev.mgmt.engine.internal.ReactiveEngine;
import dev.mgmt.test.FakeCall;
import dev.mgmt.test.FakeEvent;
import dev.mgmt.test.FakeGate;
import dev.mgmt.test.FakeResource;
import dev.mgmt.test.Fakes;
import dev.mgmt.test.Waits;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import reactor.core.scheduler.Schedulers;

/**
 * Randomized test of the engine's invariants (DESIGN §4) over {@value #SYSTEMS} random systems,
 * each from a seed: a DAG of up to 300 fake resources (most graphs small) and a script of what
 * happens to it, run to convergence.
 *
 * <p><b>What happens.</b> Check and apply failures ({@code failChecks}, {@code failApplies},
 * {@code failNextChecks/Applies}), watch failures ({@link Fakes#failWatch}), drifts and triggers
 * (often while calls are held at closed gates), graph swaps (vertices removed, added, re-added
 * under an old name, and changed so that the successor has the same id while the old call still
 * runs), {@code meta.retry} and {@code meta.delay}, {@code meta.timeout} on calls that are slow
 * or that block their thread past it like a stuck system call ({@code checkBlocksOn}), semaphores
 * ({@code meta.sema "sK:N"}), rate limits ({@code meta.limit}/{@code burst}), notify edges,
 * triggers, refreshes and an engine parallelism cap. Then every gate opens and the engine must
 * converge.
 *
 * <p><b>What is checked.</b> Inside the loop at every step ({@link InvariantProbe}): (1) never
 * two calls on one vertex at once; (2) never more holders of a semaphore than its size, nor more
 * running calls than the cap; (3) no call starts while a parent is not CLEAN (nor while a child
 * runs); (5) convergence is reported exactly when every vertex is CLEAN, FAILED or BLOCKED, and
 * the report's failed and blocked lists are the FAILED and BLOCKED vertices. From the fakes'
 * records after the run: (1) no two calls into one resource name overlap (a blocked call counts
 * until its thread lets go); (2) no more calls in progress at once than the cap or a
 * semaphore's size; (4) every event is followed by a run: each vertex CLEAN or FAILED at the end
 * (but for a watch that gave up) started its last check after the last element its watch
 * delivered (the arming one included), and each CLEAN one is in sync; (5) every FAILED vertex's
 * last call failed (or timed out) or its watch failed, every BLOCKED one has a FAILED ancestor, and
 * {@code awaitConverged} and {@code state(id)} agree with the report. And the engine converges: a
 * system that cannot make progress, or does not settle within a virtual hour after the script, is
 * a hang, reported with the seed and the vertices still pending.
 *
 * <p><b>How it runs.</b> Virtual time ({@link SerialTime}) and a work scheduler of real threads
 * that runs one task at a time while the engine loop is idle ({@link SerialWork}); the driver
 * acts only when everything has settled. A run therefore depends on its seed alone, and a failure
 * reproduces with {@code -Dinvariants.seed=N} (several: {@code N,M}); {@code -Dinvariants.debug}
 * prints the fakes' log of a failing seed, {@code -Dinvariants.systems=K} runs seeds 1..K.
 *
 * <p>Seeds in {@link #REGRESSIONS} found engine defects (since fixed); they always run, and a
 * failure of one names the defect it found.
 */
class EngineInvariantsTest {

    static final int SYSTEMS = 1000;

    /**
     * Engine defect A (fixed), invariant (1): a vertex removed by a swap while its call runs (a call that
     * outlives its cancellation, like a stuck system call) and added back under the same id by a
     * later swap before that call returns starts a call of its own beside the old one. The engine
     * links a new vertex to the call it must wait for only when the old vertex leaves in the same
     * swap ({@code ReactiveEngine.install}); a removed vertex whose call is still in flight is no
     * longer in the running graph, so a later swap did not see it. The engine now keeps removed
     * vertices with a call in flight by id and links every new vertex of that id to it. Minimal form:
     * {@link #aVertexAddedBackWhileTheCallOfItsRemovedSelfRunsWaitsForThatCall}.
     */
    static final String DEFECT_A = "A: a vertex added back while the call of its removed self runs does not wait for it";

    /**
     * Engine defect B (fixed), invariant (1): a vertex changed by a swap while its call runs gets a
     * successor that waits for that call; when a second swap changes (or removes and re-adds) it
     * again before the call returns, the newest vertex does not wait: the one that waited is
     * removed while pending, and the link to the old call is lost with it. Minimal form:
     * {@link #aVertexChangedTwiceWhileItsCallRunsWaitsForThatCall}.
     */
    static final String DEFECT_B = "B: a vertex changed twice while its call runs does not wait for that call";

    /**
     * Seeds that found an engine defect, and which: they run like every other seed, and always,
     * whatever {@code -Dinvariants.systems} says.
     */
    static final Map<Long, String> REGRESSIONS = Map.ofEntries(
            Map.entry(135L, DEFECT_A), Map.entry(187L, DEFECT_A), Map.entry(253L, DEFECT_A),
            Map.entry(372L, DEFECT_A), Map.entry(403L, DEFECT_A), Map.entry(472L, DEFECT_A),
            Map.entry(535L, DEFECT_A), Map.entry(645L, DEFECT_A + "; " + DEFECT_B), Map.entry(666L, DEFECT_A),
            Map.entry(763L, DEFECT_A), Map.entry(793L, DEFECT_B), Map.entry(874L, DEFECT_A + "; " + DEFECT_B),
            Map.entry(907L, DEFECT_B), Map.entry(971L, DEFECT_A));

    /** Only catches hangs: a settled engine takes microseconds. */
    private static final Duration HANG = Duration.ofSeconds(20);

    private static LongStream seeds() {
        String only = System.getProperty("invariants.seed");
        if (only != null && !only.isBlank()) {
            return Arrays.stream(only.split(",")).map(String::trim).mapToLong(Long::parseLong);
        }
        int n = Integer.getInteger("invariants.systems", SYSTEMS);
        return LongStream.concat(LongStream.rangeClosed(1, n), REGRESSIONS.keySet().stream().mapToLong(l -> l))
                .distinct().sorted();
    }

    @TestFactory
    Stream<DynamicTest> randomSystems() {
        return seeds().mapToObj(seed -> {
            Scenario s = new Scenario(seed);
            String known = REGRESSIONS.get(seed);
            String name = s.header() + (known != null ? " [found engine defect " + known + "]" : "");
            return DynamicTest.dynamicTest(name, () -> s.runAndCheck(known));
        });
    }

    // ============================================================================ minimal reproductions

    /**
     * Engine defect A in its shortest form (see {@link #DEFECT_A}): a vertex
     * removed while its call runs (and keeps running, like a stuck system call), then added again
     * under the same id by a later swap, must wait for that call as a changed successor does.
     */
    @Test
    void aVertexAddedBackWhileTheCallOfItsRemovedSelfRunsWaitsForThatCall() {
        Fakes fakes = Fakes.create();
        FakeGate stuck = FakeGate.closed();
        FakeResource x = fakes.resource("x").applyBlocksOn(stuck).build();
        FakeResource other = fakes.resource("other").inSync(true).build();
        Engine engine = Engine.builder().build();
        try {
            engine.start(Graph.builder().add(x, other).build());
            Waits.until(() -> stuck.blockedThreads() == 1, () -> "x's apply blocks");
            engine.swap(Graph.builder().add(other).build());           // x leaves; its apply goes on
            engine.swap(Graph.builder().add(x, other).build());        // x is back, the same resource
            assertWaitsForTheOldCall(engine, fakes, stuck, "the re-added x");
        } finally {
            stuck.open();
            engine.close();
        }
    }

    /**
     * Engine defect B in its shortest form (see {@link #DEFECT_B}): a vertex
     * changed while its call runs has a successor that waits for that call; when a second swap
     * changes it again before the call returns, the third version must wait for it too.
     */
    @Test
    void aVertexChangedTwiceWhileItsCallRunsWaitsForThatCall() {
        Fakes fakes = Fakes.create();
        FakeGate stuck = FakeGate.closed();
        Engine engine = Engine.builder().build();
        try {
            engine.start(Graph.builder().add(fakes.resource("x").applyBlocksOn(stuck).build()).build());
            Waits.until(() -> stuck.blockedThreads() == 1, () -> "x's apply blocks");
            engine.swap(Graph.builder().add(fakes.resource("x").applyBlocksOn(stuck).meta(m -> m.retry(1)).build())
                    .build());
            Waits.until(() -> engine.state(Fakes.id("x")) != VertexState.UNARMED, () -> "the changed x is armed");
            assertThat(engine.state(Fakes.id("x"))).as("the changed x while the old x's apply runs")
                    .isEqualTo(VertexState.PENDING);
            engine.swap(Graph.builder().add(fakes.resource("x").applyBlocksOn(stuck).meta(m -> m.retry(2)).build())
                    .build());
            assertWaitsForTheOldCall(engine, fakes, stuck, "x changed a second time");
        } finally {
            stuck.open();
            engine.close();
        }
    }

    private static void assertWaitsForTheOldCall(Engine engine, Fakes fakes, FakeGate stuck, String what) {
        ResourceId x = Fakes.id("x");
        Waits.until(() -> engine.state(x) != VertexState.UNARMED, () -> what + " is armed");
        VertexState meanwhile = engine.state(x);
        if (meanwhile == VertexState.RUNNING) {
            // Let the new check show in the records before the old apply returns.
            Waits.until(() -> fakes.calls("x", FakeCall.Phase.CHECK).size() >= 2, () -> "the new check of x starts");
        }
        stuck.open();
        assertThat(engine.awaitConverged(Waits.HANG).isSuccess()).isTrue();
        FakeCall oldApply = fakes.calls("x", FakeCall.Phase.APPLY).get(0);
        FakeCall newCheck = fakes.calls("x", FakeCall.Phase.CHECK).get(1);
        assertThat(newCheck.startSeq())
                .as("%s starts its check %s only after the old x's apply %s returned", what, newCheck, oldApply)
                .isGreaterThan(oldApply.endSeq());
        assertThat(meanwhile).as("%s while the old x's apply still runs", what).isEqualTo(VertexState.PENDING);
    }

    // ============================================================================ one system

    /** One random system and its script, from a seed. */
    static final class Scenario {

        final long seed;
        private final Random r;
        private final Profile profile;
        private final int cap;
        private final Map<String, Integer> semaphores = new LinkedHashMap<>();
        /** The resources of the running graph, in a stable order. */
        private final LinkedHashMap<String, Spec> specs = new LinkedHashMap<>();
        /** Parents of each vertex by name; an edge always goes from a lower rank to a higher one. */
        private final Map<String, LinkedHashSet<String>> parents = new HashMap<>();
        private final Set<String> notifying = new HashSet<>();
        /** Removed resources, to be added again under the same name now and then. */
        private final LinkedHashMap<String, Spec> removed = new LinkedHashMap<>();
        /** The semaphores each name ever took (a name keeps its semaphores across swaps). */
        private final Map<String, List<String>> semaOf = new HashMap<>();
        private final int initialSize;
        private final int initialEdges;
        private final int scriptLength;
        private int nextName;

        // Set up by run().
        private final FakeGate heldCheck = FakeGate.opened();
        private final FakeGate heldApply = FakeGate.opened();
        private final FakeGate stuck = FakeGate.opened();
        private Fakes fakes;
        private SerialWork work;
        private SerialTime time;
        private Engine engine;
        private InvariantProbe probe;
        private Thread driver;
        private volatile String doing = "setting up";
        private final LoopIdle loopIdle = new LoopIdle();
        private final List<String> script = new ArrayList<>();
        /** What the script did that matters most, for -Dinvariants.stats. */
        final Map<String, Integer> stats = new TreeMap<>();

        Scenario(long seed) {
            this.seed = seed;
            this.r = new Random(seed * 0x9E3779B97F4A7C15L + 17);
            this.profile = Profile.random(r);
            this.cap = r.nextInt(100) < 35 ? 1 + r.nextInt(6) : 0;
            int semaCount = r.nextInt(4);
            for (int i = 0; i < semaCount; i++) {
                semaphores.put("s" + i, 1 + r.nextInt(3));
            }
            int n = size();
            int maxParents = 1 + r.nextInt(4);
            int window = 2 + r.nextInt(20);
            List<String> names = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String name = newName();
                names.add(name);
                specs.put(name, randomSpec(name, (i + 0.5) / n, null));
                LinkedHashSet<String> ps = new LinkedHashSet<>();
                int k = i == 0 || r.nextInt(10) == 0 ? 0 : r.nextInt(Math.min(i, maxParents) + 1);
                while (ps.size() < k) {
                    int p = r.nextInt(4) > 0 ? Math.max(0, i - 1 - r.nextInt(window)) : r.nextInt(i);
                    ps.add(names.get(p));
                }
                parents.put(name, ps);
                for (String p : ps) {
                    if (r.nextDouble() < profile.notifyP) {
                        notifying.add(edge(p, name));
                    }
                }
            }
            this.initialSize = n;
            this.initialEdges = parents.values().stream().mapToInt(Set::size).sum();
            this.scriptLength = 6 + r.nextInt(16) + Math.min(20, n / 15);
        }

        private int size() {
            if (seed % 50 == 0) {
                return 300;
            }
            int bucket = r.nextInt(100);
            return bucket < 50 ? 1 + r.nextInt(12)
                    : bucket < 78 ? 13 + r.nextInt(28)
                    : bucket < 93 ? 41 + r.nextInt(80)
                    : 121 + r.nextInt(180);
        }

        String header() {
            return "seed " + seed + " (" + initialSize + " vertices, " + initialEdges + " edges, parallelism "
                    + (cap == 0 ? "unlimited" : cap) + ", semaphores " + semaphores + ", " + scriptLength
                    + " steps)";
        }

        // ---------------------------------------------------------------- random resources

        private String newName() {
            return "v" + nextName++;
        }

        private static String edge(String from, String to) {
            return from + "->" + to;
        }

        /** A random resource; {@code old} given, a changed one of the same name (same semaphores). */
        private Spec randomSpec(String name, double rank, Spec old) {
            Profile p = profile;
            boolean blocks = r.nextDouble() < p.stuckP;
            boolean blocksApply = blocks && r.nextBoolean();
            boolean blocksCheck = blocks && !blocksApply;
            // A blocking apply must be subscribed on a work thread: its check must end there.
            boolean heldCheck = !blocks && r.nextDouble() < p.heldP;
            boolean heldApply = !blocksApply && r.nextDouble() < p.heldP;
            long checkTakes = !blocks && r.nextDouble() < p.takesP ? takes() : 0;
            long applyTakes = !blocksApply && r.nextDouble() < p.takesP ? takes() : 0;
            int failChecks = r.nextDouble() < p.failP ? (r.nextInt(20) == 0 ? Integer.MAX_VALUE : 1 + r.nextInt(3)) : 0;
            int failApplies = r.nextDouble() < p.failP ? (r.nextInt(20) == 0 ? Integer.MAX_VALUE : 1 + r.nextInt(3)) : 0;
            long timeout = r.nextDouble() < (blocks ? 0.6 : p.timeoutP) ? 50 + r.nextInt(3000) : 0;
            int retryDraw = r.nextInt(100);
            int retry = retryDraw < 25 ? 0 : retryDraw < 85 ? 1 + r.nextInt(3) : -1;
            boolean alwaysFails = failChecks == Integer.MAX_VALUE || failApplies == Integer.MAX_VALUE
                    || timeout > 0 && (checkTakes >= timeout || applyTakes >= timeout);
            if (retry < 0 && alwaysFails) {
                retry = 2;          // retrying for ever what always fails would never converge
            }
            // meta.delay > 0: a zero-delay timer would run inline on the loop and race the driver.
            long delay = retry < 0 ? 50 + r.nextInt(1000) : 1 + r.nextInt(r.nextBoolean() ? 20 : 2000);
            if (old != null && delay == old.delayMs) {
                delay++;            // the successor must differ from the old resource
            }
            List<String> sema = semaOf.computeIfAbsent(name, n -> {
                List<String> out = new ArrayList<>();
                semaphores.forEach((s, size) -> {
                    if (r.nextDouble() < profile.semaP) {
                        out.add(s + ":" + size);
                    }
                });
                return out;
            });
            boolean limited = r.nextDouble() < p.limitP;
            double limit = limited ? 0.5 + r.nextInt(40) / 2.0 : Double.POSITIVE_INFINITY;
            int burst = limited ? 1 + r.nextInt(3) : 0;
            return new Spec(name, rank, old != null ? old.inSync : r.nextDouble() < p.inSyncP,
                    r.nextDouble() < p.refreshP, r.nextDouble() < p.triggerP, failChecks, failApplies, checkTakes,
                    applyTakes, heldCheck, heldApply, blocksCheck, blocksApply, retry, delay, timeout, sema, limit,
                    burst, r.nextInt(4) == 0);
        }

        private long takes() {
            return 1 + r.nextInt(r.nextBoolean() ? 50 : 3000);
        }

        private FakeResource build(Spec s) {
            FakeResource.Builder b = fakes.resource(s.name).inSync(s.inSync).refreshable(s.refreshable)
                    .trigger(s.trigger).failChecks(s.failChecks).failApplies(s.failApplies)
                    .checkTakes(Duration.ofMillis(s.checkTakesMs)).applyTakes(Duration.ofMillis(s.applyTakesMs))
                    .meta(m -> m.retry(s.retry).delay(Duration.ofMillis(s.delayMs)).rewatch(s.rewatch)
                            .timeout(Duration.ofMillis(s.timeoutMs)).sema(s.sema).limit(s.limit).burst(s.burst));
            if (s.heldCheck) {
                b.checkGate(heldCheck);
            }
            if (s.heldApply) {
                b.applyGate(heldApply);
            }
            if (s.blocksCheck) {
                b.checkBlocksOn(stuck);
            }
            if (s.blocksApply) {
                b.applyBlocksOn(stuck);
            }
            return b.build();
        }

        private Graph graph() {
            Map<String, FakeResource> rs = new LinkedHashMap<>();
            specs.values().forEach(s -> rs.put(s.name, build(s)));
            GraphBuilder b = Graph.builder("invariants-" + seed).addAll(rs.values());
            specs.keySet().forEach(child -> parents.get(child).forEach(p -> {
                b.edge(rs.get(p), rs.get(child));
                if (notifying.contains(edge(p, child))) {
                    b.notifying();
                }
            }));
            return b.build();
        }

        // ---------------------------------------------------------------- the run

        void runAndCheck(String knownBug) {
            AssertionError failure = null;
            try {
                run();
                if (!probe.violations.isEmpty()) {
                    failure = new AssertionError(failureHeader(knownBug) + probe.violations.size()
                            + " invariant violation(s):\n  " + String.join("\n  ", probe.violations) + scriptTail());
                }
            } catch (AssertionError | RuntimeException e) {
                failure = new AssertionError(failureHeader(knownBug) + e.getMessage() + scriptTail(), e);
            } finally {
                if (failure != null) {
                    dumpIfDebug();
                }
                cleanUp();
            }
            if (failure != null) {
                throw failure;
            }
        }

        private String failureHeader(String knownBug) {
            return header() + (knownBug != null ? " [found engine defect " + knownBug + "]" : "")
                    + " (reproduce: -Dinvariants.seed=" + seed + "): ";
        }

        private String scriptTail() {
            return "\n  script of seed " + seed + ":\n    " + String.join("\n    ", script);
        }

        private void dumpIfDebug() {
            if (System.getProperty("invariants.debug") != null && fakes != null) {
                System.err.println("---- fakes' log of seed " + seed);
                fakes.log().forEach(e -> System.err.println(e + " @" + TimeUnit.NANOSECONDS.toMillis(e.nanos()) + "ms"));
                System.err.println("---- script of seed " + seed);
                script.forEach(System.err::println);
            }
        }

        void run() {
            driver = Thread.currentThread();
            work = new SerialWork(List.of(stuck), loopIdle);
            time = new SerialTime(driver, work, this::settle);
            fakes = Fakes.create(time);
            engine = Engine.builder().parallelism(cap).autoEdges(false).autoGroup(false)
                    .timeScheduler(time).workScheduler(Schedulers.fromExecutor(work)).build();
            loopIdle.of(engine);
            probe = new InvariantProbe(semaphores, cap, () -> doing);
            ((ReactiveEngine) engine).probe(probe);

            if (r.nextInt(10) < 3) {
                heldCheck.close();
            }
            if (r.nextInt(10) < 3) {
                heldApply.close();
            }
            if (r.nextInt(10) < 5) {
                stuck.close();
            }
            Graph first = graph();
            act("start (held check gate " + (heldCheck.isOpen() ? "open" : "closed") + ", held apply gate "
                    + (heldApply.isOpen() ? "open" : "closed") + ", stuck gate "
                    + (stuck.isOpen() ? "open" : "closed") + ")", () -> engine.start(first));
            for (int step = 1; step <= scriptLength; step++) {
                randomStep(step);
            }
            doing = "opening every gate";
            act("open the held gates", () -> {
                heldCheck.open();
                heldApply.open();
            });
            releaseStuck();
            converge();
        }

        /** Runs what the driver does while it holds the baton, then waits until everything has settled. */
        private void act(String what, Runnable action) {
            doing = "step \"" + what + "\" at " + millis() + " ms";
            script.add(millis() + "ms " + what);
            work.baton.lock();
            try {
                action.run();
            } finally {
                work.baton.unlock();
            }
            settle();
            checkSettled();
        }

        private void advance(long ms) {
            doing = "advancing time by " + ms + " ms from " + millis() + " ms";
            script.add(millis() + "ms advance " + ms + " ms");
            time.advanceTimeBy(Duration.ofMillis(ms));
            settle();
            checkSettled();
        }

        private long millis() {
            return time == null ? 0 : time.now(TimeUnit.MILLISECONDS);
        }

        /**
         * Waits until the engine loop is idle and no work is queued or running but for calls
         * blocked at the stuck gate. Nothing else acts on the system meanwhile, so then it stays
         * so until the driver acts.
         */
        void settle() {
            if (Thread.currentThread() != driver) {
                return;
            }
            long deadline = System.nanoTime() + HANG.toNanos();
            int quiet = 0;
            int spins = 0;
            while (true) {
                if (work.failure() != null) {
                    throw new AssertionError("a work task threw " + work.failure(), work.failure());
                }
                long before = work.submitted();
                boolean idle = work.idle() && loopIdleNow() && work.submitted() == before && work.idle();
                if (idle) {
                    if (++quiet >= 2) {
                        return;
                    }
                } else {
                    quiet = 0;
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError("hang: the engine did not settle within " + HANG + " (real time) while "
                            + doing + "; loop idle " + loopIdleNow() + ", work idle " + work.idle() + "; "
                            + pendingDescription());
                }
                if (++spins < 64) {
                    Thread.onSpinWait();
                } else if (spins < 256) {
                    Thread.yield();
                } else {
                    java.util.concurrent.locks.LockSupport.parkNanos(20_000);
                }
            }
        }

        private boolean loopIdleNow() {
            return loopIdle.getAsBoolean();
        }

        /** (5) at a settled moment with no call in flight: everything settled means converged. */
        private void checkSettled() {
            if (work.blocked() > 0 || fakes.inFlight() > 0) {
                return;
            }
            Map<ResourceId, VertexState> s = probe.states;
            if (!s.isEmpty() && probe.reported == null
                    && s.values().stream().allMatch(v -> v == VertexState.CLEAN || v == VertexState.FAILED
                    || v == VertexState.BLOCKED)) {
                probe.violation("(5) every vertex is CLEAN, FAILED or BLOCKED and no call is in flight, but no "
                        + "convergence is reported");
            }
        }

        // ---------------------------------------------------------------- the script

        private void randomStep(int step) {
            int w = r.nextInt(120);
            String at = "[" + step + "/" + scriptLength + "] ";
            if (w < 18) {
                advance(1 + r.nextInt(400));
            } else if (w < 26) {
                advance(400 + r.nextInt(6000));
            } else if (w < 40) {
                List<String> ns = pick(1 + r.nextInt(3 + specs.size() / 20));
                act(at + "drift " + ns, () -> ns.forEach(fakes::drift));
            } else if (w < 48) {
                List<String> ns = pick(1 + r.nextInt(3));
                act(at + "trigger " + ns, () -> ns.forEach(fakes::trigger));
            } else if (w < 55) {
                String n = pickOne();
                int k = 1 + r.nextInt(3);
                boolean checks = r.nextBoolean();
                act(at + "fail the next " + k + (checks ? " checks" : " applies") + " of " + n + ", then drift it",
                        () -> {
                            if (checks) {
                                fakes.failNextChecks(n, k);
                            } else {
                                fakes.failNextApplies(n, k);
                            }
                            fakes.drift(n);
                        });
            } else if (w < 60) {
                String n = pickOne();
                act(at + "fail the watch of " + n,
                        () -> fakes.failWatch(n, new IllegalStateException("injected watch failure of " + n)));
            } else if (w < 66) {
                toggle(at, "held check gate", heldCheck);
            } else if (w < 72) {
                toggle(at, "held apply gate", heldApply);
            } else if (w < 75) {
                act(at + "close the stuck gate", stuck::close);
            } else if (w < 79) {
                act(at + "release the oldest stuck call (" + stuck.blockedThreads() + " blocked)", stuck::releaseOldest);
            } else if (w < 82) {
                releaseStuck();
            } else if (w < 96) {
                swap(at);
            } else if (w < 101) {
                List<String> ns = pick(1 + Math.max(1, specs.size() / 10));
                act(at + "storm with the held gates closed: drift/trigger " + ns, () -> {
                    heldCheck.close();
                    heldApply.close();
                    for (String n : ns) {
                        if (n.hashCode() % 2 == 0) {
                            fakes.drift(n);
                        } else {
                            fakes.trigger(n);
                        }
                    }
                });
            } else if (w < 108) {
                String child = pickOne();
                List<String> ps = new ArrayList<>(parents.getOrDefault(child, new LinkedHashSet<>()));
                if (ps.isEmpty()) {
                    act(at + "drift " + child, () -> fakes.drift(child));
                } else {
                    String parent = ps.get(r.nextInt(ps.size()));
                    boolean childFirst = r.nextBoolean();
                    act(at + "drift " + (childFirst ? child + " then its parent " + parent
                            : parent + " then its child " + child), () -> {
                        fakes.drift(childFirst ? child : parent);
                        fakes.drift(childFirst ? parent : child);
                    });
                }
            } else {
                advance(r.nextInt(3) == 0 ? 30_000 + r.nextInt(60_000) : 1 + r.nextInt(100));
            }
        }

        private void toggle(String at, String name, FakeGate gate) {
            boolean open = gate.isOpen();
            act(at + (open ? "close the " : "open the ") + name, open ? gate::close : gate::open);
        }

        /** Lets the calls blocked at the stuck gate go one at a time, then opens it. */
        private void releaseStuck() {
            while (stuck.blockedThreads() > 0) {
                stats.merge("stuck calls released", 1, Integer::sum);
                act("release the oldest stuck call (" + stuck.blockedThreads() + " blocked)", stuck::releaseOldest);
            }
            act("open the stuck gate", stuck::open);
        }

        private String pickOne() {
            if (!removed.isEmpty() && r.nextInt(20) == 0) {
                List<String> gone = new ArrayList<>(removed.keySet());
                return gone.get(r.nextInt(gone.size()));
            }
            if (specs.isEmpty()) {
                return "v0";
            }
            List<String> names = new ArrayList<>(specs.keySet());
            return names.get(r.nextInt(names.size()));
        }

        private List<String> pick(int k) {
            LinkedHashSet<String> out = new LinkedHashSet<>();
            for (int i = 0; i < k * 2 && out.size() < k; i++) {
                out.add(pickOne());
            }
            return new ArrayList<>(out);
        }

        /**
         * Removes, adds, re-adds and changes vertices, and rewires a few edges. Vertices whose call
         * is in flight are the first candidates for a change, so that the successor (same id) has to
         * wait for the old call, and for removal.
         */
        private void swap(String at) {
            List<String> running = new ArrayList<>();
            probe.states.forEach((id, st) -> {
                if (st == VertexState.RUNNING) {
                    running.add(id.name());
                }
            });
            running.sort(Comparator.naturalOrder());
            List<String> names = new ArrayList<>(specs.keySet());
            List<String> changed = new ArrayList<>();
            List<String> gone = new ArrayList<>();
            List<String> added = new ArrayList<>();
            List<String> back = new ArrayList<>();
            for (String n : running) {
                int d = r.nextInt(10);
                if (d < 6) {
                    changed.add(n);
                } else if (d < 8 && names.size() - gone.size() > 1) {
                    gone.add(n);
                }
            }
            int churn = 1 + Math.max(1, names.size() / 12);
            for (int i = r.nextInt(churn); i > 0 && !names.isEmpty(); i--) {
                String n = names.get(r.nextInt(names.size()));
                if (!changed.contains(n) && !gone.contains(n)) {
                    changed.add(n);
                }
            }
            for (int i = r.nextInt(churn); i > 0 && names.size() - gone.size() > 1; i--) {
                String n = names.get(r.nextInt(names.size()));
                if (!gone.contains(n)) {
                    changed.remove(n);
                    gone.add(n);
                }
            }
            for (String n : changed) {
                Spec old = specs.get(n);
                specs.put(n, randomSpec(n, old.rank, old));
            }
            for (String n : gone) {
                removed.put(n, specs.remove(n));
                parents.remove(n);
                parents.values().forEach(ps -> ps.remove(n));
            }
            List<String> candidatesBack = new ArrayList<>(removed.keySet());
            candidatesBack.removeAll(gone);
            for (String n : candidatesBack) {
                // A name whose removed vertex's call is still in flight comes back more often.
                if (r.nextInt(4) == 0 || inFlight(n) && r.nextBoolean()) {
                    Spec old = removed.remove(n);
                    Spec s = r.nextBoolean() ? old : randomSpec(n, old.rank, old);
                    specs.put(n, s);
                    parents.put(n, new LinkedHashSet<>());
                    back.add(n);
                    wire(n);
                }
            }
            for (int i = r.nextInt(churn + 1); i > 0; i--) {
                String n = newName();
                specs.put(n, randomSpec(n, r.nextDouble(), null));
                parents.put(n, new LinkedHashSet<>());
                added.add(n);
                wire(n);
            }
            int rewired = 0;
            List<String> now = new ArrayList<>(specs.keySet());
            for (int i = r.nextInt(3); i > 0 && now.size() > 1; i--) {
                String a = now.get(r.nextInt(now.size()));
                String b = now.get(r.nextInt(now.size()));
                if (a.equals(b)) {
                    continue;
                }
                String lo = specs.get(a).rank <= specs.get(b).rank ? a : b;
                String hi = lo.equals(a) ? b : a;
                if (!parents.get(hi).remove(lo)) {
                    parents.get(hi).add(lo);
                    if (r.nextInt(3) == 0) {
                        notifying.add(edge(lo, hi));
                    }
                }
                rewired++;
            }
            for (String n : changed) {
                if (inFlight(n)) {
                    stats.merge("changed with a call in flight", 1, Integer::sum);
                }
            }
            for (String n : gone) {
                if (inFlight(n)) {
                    stats.merge("removed with a call in flight", 1, Integer::sum);
                }
            }
            for (String n : back) {
                if (inFlight(n)) {
                    stats.merge("re-added with the old call in flight", 1, Integer::sum);
                }
            }
            stats.merge("swaps", 1, Integer::sum);
            Graph g = graph();
            act(at + "swap: changed " + changed + " (running were " + running + "), removed " + gone + ", added "
                    + added + ", re-added " + back + ", " + rewired + " edges rewired", () -> engine.swap(g));
        }

        private boolean inFlight(String name) {
            return fakes.calls(name).stream().anyMatch(c -> !c.finished());
        }

        /** A few edges between a (re-)added vertex and the others, respecting the rank order. */
        private void wire(String n) {
            double rank = specs.get(n).rank;
            List<String> others = new ArrayList<>(specs.keySet());
            others.remove(n);
            for (int i = r.nextInt(3); i > 0 && !others.isEmpty(); i--) {
                String o = others.get(r.nextInt(others.size()));
                if (specs.get(o).rank < rank) {
                    parents.get(n).add(o);
                    if (r.nextDouble() < profile.notifyP) {
                        notifying.add(edge(o, n));
                    }
                } else if (specs.get(o).rank > rank) {
                    parents.get(o).add(n);
                    if (r.nextDouble() < profile.notifyP) {
                        notifying.add(edge(n, o));
                    }
                }
            }
        }

        // ---------------------------------------------------------------- convergence

        /**
         * Moves virtual time on until the engine reports convergence. Not converging while nothing
         * is left to happen (no timer, no work), or within a virtual hour, is a hang.
         */
        private void converge() {
            long start = time.now(TimeUnit.NANOSECONDS);
            long wallDeadline = System.nanoTime() + HANG.toNanos();
            while (true) {
                settle();
                checkSettled();
                if (probe.reported != null) {
                    break;
                }
                if (time.pendingTimers() == 0 && work.idle() && work.blocked() == 0) {
                    throw new AssertionError("hang: not converged, and nothing is left to happen (no timer, no "
                            + "work, no blocked call) at " + millis() + " ms; " + pendingDescription());
                }
                if (time.now(TimeUnit.NANOSECONDS) - start > TimeUnit.HOURS.toNanos(1)
                        || System.nanoTime() - wallDeadline > 0) {
                    throw new AssertionError("hang: not converged within a virtual hour after the script (at "
                            + millis() + " ms; " + time.pendingTimers() + " timers pending); "
                            + pendingDescription());
                }
                doing = "converging at " + millis() + " ms";
                time.advanceTimeBy(Duration.ofSeconds(5));
            }
            doing = "checking the converged system";
            checkConverged();
            if (System.getProperty("invariants.stats") != null) {
                List<FakeCall> calls = fakes.calls();
                long fingerprint = fakes.log().stream()
                        .mapToLong(e -> e.label().hashCode() * 31L + e.nanos()).reduce(17, (a, b) -> a * 1_000_003L + b);
                System.out.printf("STATS seed %d: log %016x, %d vertices at the end, %d script steps, %d probe steps, "
                                + "%d calls started (%d cancelled, %d failed), %d virtual ms, %s, %d failed, %d blocked%n",
                        seed, fingerprint,
                        specs.size(), script.size(), probe.steps, probe.callsStarted,
                        calls.stream().filter(c -> c.outcome() == FakeCall.Outcome.CANCELLED).count(),
                        calls.stream().filter(c -> c.outcome() == FakeCall.Outcome.FAILED).count(), millis(),
                        stats, probe.reported.failed().size(), probe.reported.blocked().size());
            }
        }

        private String pendingDescription() {
            Map<ResourceId, VertexState> s = probe == null ? Map.of() : probe.states;
            String pending = s.entrySet().stream()
                    .filter(e -> e.getValue() != VertexState.CLEAN && e.getValue() != VertexState.FAILED
                            && e.getValue() != VertexState.BLOCKED)
                    .sorted(Map.Entry.comparingByKey(InvariantProbe.ResourceIdOrder.INSTANCE))
                    .map(e -> e.getKey().name() + "=" + e.getValue()).limit(40).collect(Collectors.joining(", "));
            List<FakeCall> inFlight = fakes == null ? List.of()
                    : fakes.calls().stream().filter(c -> !c.finished()).toList();
            return "still pending: [" + pending + "]; calls in progress: " + inFlight + "; blocked at the stuck gate: "
                    + (work == null ? 0 : work.blocked());
        }

        // ---------------------------------------------------------------- after convergence

        private void checkConverged() {
            Convergence reported = probe.reported;
            Convergence c = engine.awaitConverged(HANG);
            if (!c.equals(reported)) {
                probe.violationAfterRun("(5) awaitConverged returned \"%s\" but the loop reported \"%s\"", c.describe(),
                        reported.describe());
            }
            Map<String, VertexState> state = new TreeMap<>();
            for (String n : specs.keySet()) {
                state.put(n, engine.state(Fakes.id(n)));
            }
            List<String> disagree = new ArrayList<>();
            state.forEach((n, s) -> {
                ResourceId id = Fakes.id(n);
                VertexState said = c.failed().contains(id) ? VertexState.FAILED
                        : c.blocked().contains(id) ? VertexState.BLOCKED : VertexState.CLEAN;
                if (s != said) {
                    disagree.add(n + " is " + s + " but the convergence makes it " + said);
                }
            });
            if (!disagree.isEmpty()) {
                probe.violationAfterRun("(5) the convergence \"%s\" disagrees with state(): %s", c.describe(), disagree);
            }
            if (fakes.inFlight() > 0) {
                probe.violationAfterRun("(5) converged while calls are in progress: %s",
                        fakes.calls().stream().filter(x -> !x.finished()).toList());
            }
            List<FakeEvent> log = fakes.log();
            List<FakeCall> calls = fakes.calls();
            checkEventsFollowedByRuns(state, log);
            checkFailedHaveAFailure(state, log, calls);
            checkBlockedHaveAFailedAncestor(state);
            checkOneCallPerName(calls);
            checkConcurrencyFromRecords(calls);
        }

        /**
         * (4) Every event is followed by a run: each vertex CLEAN or FAILED at the end, unless its
         * watch gave up, started its last check after the last element its watch delivered (the
         * arming one, or a drift/trigger), even when that element came during a run that then
         * failed (the owed run); and each CLEAN vertex's real state is in sync.
         */
        private void checkEventsFollowedByRuns(Map<String, VertexState> state, List<FakeEvent> log) {
            Map<String, FakeEvent> lastElement = new HashMap<>();
            Map<String, FakeEvent> lastCheck = new HashMap<>();
            Map<String, FakeEvent.Type> lastWatch = new HashMap<>();
            for (FakeEvent e : log) {
                switch (e.type()) {
                    case WATCH_ARMED, WATCH_EVENT -> lastElement.put(e.name(), e);
                    case CHECK_STARTED -> lastCheck.put(e.name(), e);
                    case WATCH_SUBSCRIBED, WATCH_FAILED -> lastWatch.put(e.name(), e.type());
                    default -> {
                    }
                }
            }
            state.forEach((n, s) -> {
                if (s != VertexState.CLEAN && s != VertexState.FAILED
                        || s == VertexState.FAILED && lastWatch.get(n) == FakeEvent.Type.WATCH_FAILED) {
                    return;
                }
                FakeEvent element = lastElement.get(n);
                FakeEvent check = lastCheck.get(n);
                if (element == null) {
                    probe.violationAfterRun("(4) %s is %s but its watch never delivered an element", n, s);
                } else if (check == null || check.seq() < element.seq()) {
                    probe.violationAfterRun("(4) %s is %s, but its last check started %s, before its watch's last element "
                            + "%s at %d ms", n, s, check == null ? "never" : "at #" + check.seq() + " ("
                            + TimeUnit.NANOSECONDS.toMillis(check.nanos()) + " ms)", element,
                            TimeUnit.NANOSECONDS.toMillis(element.nanos()));
                }
                if (s == VertexState.CLEAN && !fakes.isInSync(n)) {
                    probe.violationAfterRun("(4) %s is CLEAN but its real state is out of sync", n);
                }
            });
        }

        /** A FAILED vertex's last call failed or was cancelled (timed out), or its watch failed. */
        private void checkFailedHaveAFailure(Map<String, VertexState> state, List<FakeEvent> log,
                                             List<FakeCall> calls) {
            Map<String, FakeCall> lastCall = new HashMap<>();
            calls.forEach(c -> lastCall.put(c.name(), c));
            Map<String, FakeEvent.Type> lastWatch = new HashMap<>();
            for (FakeEvent e : log) {
                if (e.type() == FakeEvent.Type.WATCH_SUBSCRIBED || e.type() == FakeEvent.Type.WATCH_FAILED) {
                    lastWatch.put(e.name(), e.type());
                }
            }
            state.forEach((n, s) -> {
                if (s != VertexState.FAILED) {
                    return;
                }
                FakeCall last = lastCall.get(n);
                boolean callFailed = last != null && (last.outcome() == FakeCall.Outcome.FAILED
                        || last.outcome() == FakeCall.Outcome.CANCELLED);
                boolean watchFailed = lastWatch.get(n) == FakeEvent.Type.WATCH_FAILED;
                if (!callFailed && !watchFailed) {
                    probe.violationAfterRun("(5) %s is FAILED, but its last call was %s and its watch did not fail", n, last);
                }
            });
        }

        /** A BLOCKED vertex has a FAILED ancestor in the graph. */
        private void checkBlockedHaveAFailedAncestor(Map<String, VertexState> state) {
            state.forEach((n, s) -> {
                if (s != VertexState.BLOCKED) {
                    return;
                }
                ArrayList<String> queue = new ArrayList<>(parents.get(n));
                Set<String> seen = new HashSet<>();
                boolean found = false;
                while (!queue.isEmpty() && !found) {
                    String p = queue.remove(queue.size() - 1);
                    if (seen.add(p)) {
                        found = state.get(p) == VertexState.FAILED;
                        queue.addAll(parents.get(p));
                    }
                }
                if (!found) {
                    probe.violationAfterRun("(5) %s is BLOCKED without a FAILED ancestor", n);
                }
            });
        }

        /** (1) From the fakes' records: no two calls into one name overlap. */
        private void checkOneCallPerName(List<FakeCall> calls) {
            Map<String, FakeCall> previous = new HashMap<>();
            for (FakeCall c : calls) {
                FakeCall p = previous.put(c.name(), c);
                if (p != null && (p.endSeq() < 0 || p.endSeq() > c.startSeq())) {
                    probe.violationAfterRun("(1) %s started while %s was still in progress (fakes' records)", c, p);
                }
            }
        }

        /** (2) From the fakes' records: calls in progress at once, against the cap and each semaphore. */
        private void checkConcurrencyFromRecords(List<FakeCall> calls) {
            List<long[]> edges = new ArrayList<>();   // seq, +1/-1, index of call
            for (int i = 0; i < calls.size(); i++) {
                FakeCall c = calls.get(i);
                edges.add(new long[] {c.startSeq(), 1, i});
                edges.add(new long[] {c.endSeq() < 0 ? Long.MAX_VALUE : c.endSeq(), -1, i});
            }
            edges.sort(Comparator.comparingLong(e -> e[0]));
            int all = 0;
            int maxAll = 0;
            Map<String, Integer> bySema = new HashMap<>();
            Map<String, Integer> maxBySema = new HashMap<>();
            for (long[] e : edges) {
                FakeCall c = calls.get((int) e[2]);
                all += (int) e[1];
                maxAll = Math.max(maxAll, all);
                for (String spec : semaOf.getOrDefault(c.name(), List.of())) {
                    String sema = spec.substring(0, spec.indexOf(':'));
                    int now = bySema.merge(sema, (int) e[1], Integer::sum);
                    maxBySema.merge(sema, now, Math::max);
                }
            }
            if (cap > 0 && maxAll > cap) {
                probe.violationAfterRun("(2) %d calls in progress at once (fakes' records) under parallelism %d", maxAll, cap);
            }
            maxBySema.forEach((sema, max) -> {
                if (max > semaphores.get(sema)) {
                    probe.violationAfterRun("(2) %d calls in progress at once in semaphore %s of size %d (fakes' records)",
                            max, sema, semaphores.get(sema));
                }
            });
        }

        /** Closes the engine, and lets go of everything big: JUnit keeps every dynamic test to the end. */
        private void cleanUp() {
            try {
                heldCheck.open();
                heldApply.open();
                stuck.open();
                if (engine != null) {
                    engine.close();
                }
            } finally {
                if (work != null) {
                    work.stop();
                }
                engine = null;
                fakes = null;
                probe = null;
                time = null;
                work = null;
                specs.clear();
                parents.clear();
                removed.clear();
            }
        }
    }

    // ============================================================================ parts

    /** One resource as the test configured it. */
    record Spec(String name, double rank, boolean inSync, boolean refreshable, boolean trigger, int failChecks,
                int failApplies, long checkTakesMs, long applyTakesMs, boolean heldCheck, boolean heldApply,
                boolean blocksCheck, boolean blocksApply, int retry, long delayMs, long timeoutMs, List<String> sema,
                double limit, int burst, boolean rewatch) {
    }

    /** How much of each kind of trouble one system gets. */
    record Profile(double failP, double timeoutP, double takesP, double heldP, double stuckP, double semaP,
                   double limitP, double notifyP, double triggerP, double refreshP, double inSyncP) {

        static Profile random(Random r) {
            return new Profile(r.nextDouble() * 0.15, r.nextDouble() * 0.3, r.nextDouble() * 0.4,
                    r.nextDouble() * 0.5, r.nextInt(3) == 0 ? 0 : r.nextDouble() * 0.15, r.nextDouble() * 0.6,
                    r.nextDouble() * 0.2, r.nextDouble() * 0.5, r.nextDouble() * 0.2, r.nextDouble(),
                    r.nextDouble());
        }
    }

    /**
     * Whether the engine's loop is idle, read from the loop itself (its {@code idle()}) for speed;
     * when the engine's insides have changed shape, {@link Quiescence} answers instead.
     */
    static final class LoopIdle implements BooleanSupplier {
        private volatile BooleanSupplier of;

        void of(Engine engine) {
            BooleanSupplier s;
            try {
                Field f = ReactiveEngine.class.getDeclaredField("loop");
                f.setAccessible(true);
                Object loop = f.get(engine);
                Method m = loop.getClass().getDeclaredMethod("idle");
                m.setAccessible(true);
                MethodHandle h = MethodHandles.lookup().unreflect(m).bindTo(loop);
                s = () -> {
                    try {
                        return (boolean) h.invokeExact();
                    } catch (Throwable t) {
                        throw new IllegalStateException(t);
                    }
                };
            } catch (ReflectiveOperationException | RuntimeException e) {
                s = () -> Quiescence.awaitIdle(Duration.ofSeconds(10));
            }
            of = s;
        }

        @Override
        public boolean getAsBoolean() {
            BooleanSupplier s = of;
            return s == null || s.getAsBoolean();
        }
    }
}
