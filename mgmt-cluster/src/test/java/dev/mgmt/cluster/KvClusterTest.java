package dev.mgmt.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.api.Graph;
import dev.mgmt.engine.Convergence;
import dev.mgmt.engine.Engine;
import dev.mgmt.engine.resources.KvResource;
import dev.mgmt.engine.resources.KvResource.CmpStyle;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
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

    /** Polls {@code value} until it is {@code expected}; the deadline only catches a hang. */
    private static void await(String what, Supplier<Optional<String>> value, Optional<String> expected)
            throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Optional<String> last = value.get();
        while (!last.equals(expected)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": expected " + expected + ", last " + last);
            }
            Thread.sleep(20);
            last = value.get();
        }
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
                await("hello put back", () -> get(a, "hello"), Optional.of("world"));
                a.put("iamdeleted", "again").block(WAIT);
                await("iamdeleted deleted again", () -> get(a, "iamdeleted"), Optional.empty());
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
            try (Engine engine = Engine.builder().keyValueStore(w).build()) {
                engine.start(Graph.builder("kv4").add(s1, s2, s3).chain(s1, s2, s3).build());
                assertThat(engine.converged(Duration.ZERO).block(WAIT).isSuccess()).isTrue();
                assertThat(get(w, "stage")).contains("3");

                w.put("stage", "10").block(WAIT);        // greater: left alone
                w.put("other", "x").block(WAIT);         // a write after it, to wait on
                await("other", () -> get(w, "other"), Optional.of("x"));
                assertThat(engine.converged(Duration.ofMillis(200)).block(WAIT).isSuccess()).isTrue();
                assertThat(get(w, "stage")).contains("10");

                w.put("stage", "junk").block(WAIT);      // not an integer: overwritten, as mgmt does
                await("stage after junk", () -> get(w, "stage"), Optional.of("3"));
            }

            // A notify edge refreshes the stage: it takes its exact value even over a greater one.
            w.put("stage", "10").block(WAIT);
            KvResource trigger = KvResource.of("go", "go", "now");
            try (Engine engine = Engine.builder().keyValueStore(w).build()) {
                engine.start(Graph.builder("refresh").add(trigger, s3).edge(trigger, s3).notifying().build());
                await("stage refreshed", () -> get(w, "stage"), Optional.of("3"));
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
