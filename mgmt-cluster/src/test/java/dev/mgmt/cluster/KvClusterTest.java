package dev.mgmt.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.api.EngineEvent;
import dev.mgmt.api.Graph;
import dev.mgmt.api.ResourceId;
import dev.mgmt.engine.Convergence;
import dev.mgmt.engine.Engine;
import dev.mgmt.engine.resources.KvResource;
import dev.mgmt.engine.resources.KvResource.CmpStyle;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Kind {@code kv} on real Atomix nodes on loopback: an engine given the host's {@link World}
 * as its key/value store keeps keys there, and puts them back when another host changes them.
 */
@Timeout(120)
class KvClusterTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static Optional<String> get(World w, String key) {
        return w.get(key).block(WAIT);
    }

    /** Waits until {@code key} as {@code w} reads it is {@code expected}. */
    private static void await(String what, World w, String key, Optional<String> expected) throws InterruptedException {
        ClusterRunnerTest.await(what + " (" + key + ": " + expected + ")", () -> get(w, key).equals(expected));
    }

    /** Whether {@code id} checked and found its state fine in an event after the first {@code skip}. */
    private static boolean checkedFine(List<EngineEvent> events, int skip, ResourceId id) {
        return events.stream().skip(skip).anyMatch(e -> e instanceof EngineEvent.Checked c && c.id().equals(id) && c.ok());
    }

    @Test
    void keepsKeysAndRepairsAChangeFromAnotherHost() throws Exception {
        try (Cluster cluster = new Cluster()) {
            World a = cluster.start("a");
            World b = cluster.start("b");
            a.put("iamdeleted", "still here").block(WAIT);
            Graph g = Graph.builder("kv").add(KvResource.of("kv1", "hello", "world"),
                    KvResource.absent("kv2", "iamdeleted")).build();
            try (Engine engine = Engine.builder().keyValueStore(b).build()) {
                engine.start(g);
                assertThat(engine.converged(Duration.ZERO).block(WAIT)).extracting(Convergence::isSuccess)
                        .isEqualTo(true);
                // Read on the other host: the keys are the cluster's, not b's.
                assertThat(get(a, "hello")).contains("world");
                assertThat(get(a, "iamdeleted")).isEmpty();

                // Drift from host a: b's watch sees it and puts the value back.
                a.put("hello", "drifted").block(WAIT);
                await("hello put back", a, "hello", Optional.of("world"));
                a.put("iamdeleted", "again").block(WAIT);
                await("iamdeleted deleted again", a, "iamdeleted", Optional.empty());
            }
        }
    }

    @Test
    void skipLessThanCountsUpNeverDownAndARefreshSetsTheExactValue() throws Exception {
        try (Cluster cluster = new Cluster()) {
            World w = cluster.start("solo");
            // mgmt's kv4.yaml: three stages in a chain, each skipping a greater stored value.
            KvResource s1 = KvResource.of("kv1", "stage", "1").skipLessThan(CmpStyle.INT);
            KvResource s2 = KvResource.of("kv2", "stage", "2").skipLessThan(CmpStyle.INT);
            KvResource s3 = KvResource.of("kv3", "stage", "3").skipLessThan(CmpStyle.INT);
            List<EngineEvent> events = new CopyOnWriteArrayList<>();
            try (Engine engine = Engine.builder().keyValueStore(w).build()) {
                engine.events().subscribe(events::add);
                engine.start(Graph.builder("kv4").add(s1, s2, s3).chain(s1, s2, s3).build());
                assertThat(engine.converged(Duration.ZERO).block(WAIT).isSuccess()).isTrue();
                assertThat(get(w, "stage")).contains("3");

                // Greater: left alone. Each stage's watch sees the change and its check finds it
                // fine; only once all three checked is "not overwritten" proved, not just "not yet".
                int before = events.size();
                w.put("stage", "10").block(WAIT);
                for (KvResource s : List.of(s1, s2, s3)) {
                    ClusterRunnerTest.await(s.id() + " checked after the put", () -> checkedFine(events, before, s.id()));
                }
                assertThat(engine.awaitConverged(WAIT).isSuccess()).isTrue();
                assertThat(events.stream().skip(before)).noneMatch(EngineEvent.Applied.class::isInstance);
                assertThat(get(w, "stage")).contains("10");

                w.put("stage", "junk").block(WAIT);      // not an integer: overwritten, as mgmt does
                await("stage after junk", w, "stage", Optional.of("3"));
            }

            // A notify edge refreshes the stage: it takes its exact value even over a greater one.
            w.put("stage", "10").block(WAIT);
            KvResource trigger = KvResource.of("go", "go", "now");
            try (Engine engine = Engine.builder().keyValueStore(w).build()) {
                engine.start(Graph.builder("refresh").add(trigger, s3).edge(trigger, s3).notifying().build());
                await("stage refreshed", w, "stage", Optional.of("3"));
                assertThat(get(w, "go")).contains("now");
            }
        }
    }

    @Test
    void noopChangesNothing() throws Exception {
        try (Cluster cluster = new Cluster()) {
            World w = cluster.start("solo");
            w.put("gone", "here").block(WAIT);
            try (Engine engine = Engine.builder().keyValueStore(w).noop(true).build()) {
                engine.start(Graph.builder("noop").add(KvResource.of("kv1", "hello", "world"),
                        KvResource.absent("kv2", "gone")).build());
                assertThat(engine.converged(Duration.ZERO).block(WAIT).isSuccess()).isTrue();
            }
            assertThat(get(w, "hello")).isEmpty();
            assertThat(get(w, "gone")).contains("here");
        }
    }
}
