package dev.mgmt.test.engine;

import static dev.mgmt.test.EngineAssertions.assertSucceededWithin;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.engine.Engine;
import dev.mgmt.engine.EngineBuilder;
import dev.mgmt.engine.VertexState;
import dev.mgmt.test.FakeGate;
import dev.mgmt.test.Fakes;
import dev.mgmt.test.Waits;
import dev.mgmt.test.engine.Runs.Run;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;

/**
 * Property test of DESIGN §4 over 240 random DAGs of up to 200 vertices, each from a fixed seed
 * (the seed is in the test name and in every failure message).
 *
 * <p>Phase 1 starts the graph with a maximum antichain held at a gate in its checks, so that
 * every vertex of it is in flight at once: the concurrency observed must then be exactly the
 * width of the DAG (or the parallelism cap, when smaller). Phases 2 and 3 hold every check at a
 * gate, drift or trigger random vertices (ancestors first, then descendants first), and release
 * them. Every phase checks, from the recorded log, that every vertex ran, that no run started
 * while a parent was running or dirty, and that notify edges refresh exactly when their parent
 * changed something.
 */
@Timeout(120)
class RandomDagTest {

    private static final int GRAPHS = 240;

    private static LongStream seeds() {
        String only = System.getProperty("randomDag.seed");
        return only != null ? LongStream.of(Long.parseLong(only)) : LongStream.range(1, GRAPHS + 1);
    }

    @TestFactory
    Stream<DynamicTest> randomDags() {
        return seeds().mapToObj(seed -> {
            RandomDag dag = RandomDag.generate(seed);
            return DynamicTest.dynamicTest(dag.toString(), () -> {
                try {
                    check(dag);
                } catch (AssertionError | RuntimeException e) {
                    System.err.println("RandomDagTest failed for " + dag + ": " + e.getMessage());
                    throw new AssertionError(dag + ": " + e.getMessage(), e);
                }
            });
        });
    }

    private static void check(RandomDag dag) {
        Fakes fakes = Fakes.create();
        List<Integer> antichain = Antichains.maximum(dag.parents);
        Set<Integer> inAntichain = new HashSet<>(antichain);
        FakeGate antichainGate = FakeGate.closed();
        FakeGate othersGate = FakeGate.opened();
        EngineBuilder builder = Engine.builder().parallelism(dag.cap);
        Engine engine = builder.build();
        try {
            // Phase 1: everything runs once; the antichain is held until all of it is in flight.
            engine.start(dag.toGraph(fakes, i -> inAntichain.contains(i) ? antichainGate : othersGate));
            int expected = dag.cap > 0 ? Math.min(dag.cap, antichain.size()) : antichain.size();
            fakes.awaitInFlight(expected, Waits.HANG);
            antichainGate.open();
            assertSucceededWithin(engine, Waits.HANG);
            assertThat(fakes.maxConcurrency())
                    .as("max concurrency; width %d, antichain %s", antichain.size(), antichain)
                    .isEqualTo(expected);
            Runs phase1 = new Runs(fakes.calls(), fakes.log());
            checkFirstPass(dag, phase1);
            checkOrder(dag, phase1, 0, 0);
            checkNotify(dag, phase1);

            // Phase 2: drift or trigger random vertices, ancestors first, while every check is held.
            // The engine handles watch events in order, so no vertex can decide to run before the
            // events of its ancestors are known: a run past a dirty parent is a bug.
            long phase2 = fakes.log().size();
            Random r = new Random(dag.seed * 31 + 7);
            TreeMap<Integer, Boolean> targets = pickTargets(dag, r);
            storm(engine, fakes, targets, false, antichainGate, othersGate);
            Runs all = new Runs(fakes.calls(), fakes.log());
            checkOrder(dag, all, phase2, Long.MAX_VALUE);
            checkNotify(dag, all);
            checkEventsHandled(dag, all, targets, phase2);

            // Phase 3: the same, descendants first. A child may now start before its parent's
            // event is known, which is fine; but a parent must not start while its child runs.
            long phase3 = fakes.log().size();
            TreeMap<Integer, Boolean> targets3 = pickTargets(dag, r);
            storm(engine, fakes, targets3, true, antichainGate, othersGate);
            all = new Runs(fakes.calls(), fakes.log());
            checkOrder(dag, all, phase2, phase3);
            checkNotify(dag, all);
            checkEventsHandled(dag, all, targets3, phase3);
            for (int i = 0; i < dag.n; i++) {
                assertThat(fakes.isInSync(RandomDag.name(i))).as("%s in sync at the end", RandomDag.name(i)).isTrue();
            }
        } catch (AssertionError | RuntimeException e) {
            if (System.getProperty("randomDag.debug") != null) {
                fakes.log().forEach(System.err::println);
            }
            throw e;
        } finally {
            antichainGate.open();
            othersGate.open();
            engine.close();
        }
    }

    /** Random vertices to drift (true) or trigger (false), with many parent-child pairs among them. */
    private static TreeMap<Integer, Boolean> pickTargets(RandomDag dag, Random r) {
        TreeMap<Integer, Boolean> targets = new TreeMap<>();
        int m = 1 + r.nextInt(Math.min(dag.n, 15));
        while (targets.size() < m) {
            targets.put(r.nextInt(dag.n), r.nextInt(10) < 6);
        }
        // Events on both ends of an edge are what can catch a run past a dirty or running parent.
        for (int c = 0; c < dag.n; c++) {
            for (int p : dag.parents[c]) {
                if (targets.containsKey(p) && r.nextBoolean()) {
                    targets.put(c, r.nextInt(10) < 6);
                }
            }
        }
        return targets;
    }

    /** Closes the gates, sends the events in (reverse) topological order, opens the gates and waits. */
    private static void storm(Engine engine, Fakes fakes, TreeMap<Integer, Boolean> targets, boolean reverse,
                              FakeGate... gates) {
        for (FakeGate g : gates) {
            g.close();
        }
        (reverse ? targets.descendingMap() : targets).forEach((i, drift) -> {
            if (drift) {
                fakes.drift(RandomDag.name(i));
            } else {
                fakes.trigger(RandomDag.name(i));
            }
            // The loop takes the event in on its own thread: the vertex may already be clean again.
            assertThat(engine.state(Fakes.id(RandomDag.name(i))))
                    .as("state of %s right after its watch event", RandomDag.name(i))
                    .isIn(VertexState.PENDING, VertexState.WAITING, VertexState.RUNNING, VertexState.CLEAN);
        });
        for (FakeGate g : gates) {
            g.open();
        }
        assertSucceededWithin(engine, Waits.HANG);
    }

    /** Every vertex ran exactly once, applied exactly when it started out of sync. */
    private static void checkFirstPass(RandomDag dag, Runs runs) {
        for (int i = 0; i < dag.n; i++) {
            List<Run> rs = runs.of(RandomDag.name(i));
            assertThat(rs).as("runs of %s in the first pass", RandomDag.name(i)).hasSize(1);
            assertThat(rs.get(0).applied()).as("%s applied", RandomDag.name(i)).isEqualTo(!dag.inSync[i]);
        }
    }

    /**
     * No run overlaps a run of a parent, and no run starts while a parent is dirty: before it, the
     * parent has run at least once, and again after each of its watch events logged in
     * {@code [from, until)}.
     */
    private static void checkOrder(RandomDag dag, Runs runs, long from, long until) {
        for (int c = 0; c < dag.n; c++) {
            for (int p : dag.parents[c]) {
                List<Run> prs = runs.of(RandomDag.name(p));
                for (Run rc : runs.of(RandomDag.name(c))) {
                    for (Run rp : prs) {
                        if (rp.overlaps(rc)) {
                            throw new AssertionError(rc + " overlaps " + rp + " of its parent");
                        }
                    }
                    if (prs.stream().noneMatch(rp -> rp.end() < rc.start())) {
                        throw new AssertionError(rc + " started before its parent " + RandomDag.name(p) + " ever ran");
                    }
                    for (long e : runs.watchEventsOf(RandomDag.name(p))) {
                        if (e >= from && e < until && e < rc.start()
                                && prs.stream().noneMatch(rp -> rp.start() > e && rp.end() < rc.start())) {
                            throw new AssertionError(rc + " started while its parent " + RandomDag.name(p)
                                    + " was dirty from its watch event #" + e);
                        }
                    }
                }
            }
        }
    }

    /**
     * Every change of a parent over a notify edge is followed by a run of the child, which
     * refreshes when the child is refreshable; and every refresh follows such a change since the
     * child's previous run.
     */
    private static void checkNotify(RandomDag dag, Runs runs) {
        for (int c = 0; c < dag.n; c++) {
            final int child = c;
            List<Run> crs = runs.of(RandomDag.name(c));
            List<Run> changes = new ArrayList<>();
            for (int j = 0; j < dag.parents[c].length; j++) {
                if (dag.notifies[c][j]) {
                    runs.of(RandomDag.name(dag.parents[c][j])).stream().filter(Run::changed).forEach(changes::add);
                }
            }
            for (Run change : changes) {
                Run next = crs.stream().filter(rc -> rc.start() > change.end()).findFirst()
                        .orElseThrow(() -> new AssertionError("no run of " + RandomDag.name(child)
                                + " after the notifying change " + change + "; its runs: " + crs));
                assertThat(next.refreshed())
                        .as("%s after the notifying change %s: refreshed", next, change)
                        .isEqualTo(dag.refreshable[c]);
            }
            for (int k = 0; k < crs.size(); k++) {
                Run rc = crs.get(k);
                if (!rc.refreshed()) {
                    continue;
                }
                long after = k == 0 ? -1 : crs.get(k - 1).start();
                assertThat(changes.stream().anyMatch(ch -> ch.end() > after && ch.end() < rc.start()))
                        .as("%s refreshed without a notifying change since its previous run (changes: %s)",
                                rc, changes)
                        .isTrue();
            }
        }
    }

    /**
     * Every drifted vertex applied after its drift and every triggered one checked after its
     * trigger; and no vertex ran in phase 2 without a reason: a watch event or a notifying change
     * since the run before its previous one.
     */
    private static void checkEventsHandled(RandomDag dag, Runs runs, TreeMap<Integer, Boolean> targets, long from) {
        targets.forEach((i, drift) -> {
            String name = RandomDag.name(i);
            long event = runs.watchEventsOf(name).stream().filter(e -> e >= from).findFirst()
                    .orElseThrow(() -> new AssertionError("no watch event recorded for " + name));
            assertThat(runs.of(name).stream().anyMatch(r -> r.start() > event && (!drift || r.applied())))
                    .as("%s %s after its %s #%d: %s", name, drift ? "applied" : "ran", drift ? "drift" : "trigger",
                            event, runs.of(name))
                    .isTrue();
        });
        for (int c = 0; c < dag.n; c++) {
            List<Run> crs = runs.of(RandomDag.name(c));
            for (int k = 0; k < crs.size(); k++) {
                Run rc = crs.get(k);
                if (rc.start() < from) {
                    continue;
                }
                long after = k < 2 ? -1 : crs.get(k - 2).end();
                boolean event = runs.watchEventsOf(RandomDag.name(c)).stream()
                        .anyMatch(e -> e > after && e < rc.start());
                boolean notified = false;
                for (int j = 0; j < dag.parents[c].length && !notified; j++) {
                    if (dag.notifies[c][j]) {
                        notified = runs.of(RandomDag.name(dag.parents[c][j])).stream()
                                .anyMatch(rp -> rp.changed() && rp.end() > after && rp.end() < rc.start());
                    }
                }
                assertThat(event || notified).as("%s ran without a watch event or a notifying change", rc).isTrue();
            }
        }
    }
}
