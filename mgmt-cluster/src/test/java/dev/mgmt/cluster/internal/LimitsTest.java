package dev.mgmt.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mgmt.api.Graph;
import dev.mgmt.api.Resource;
import dev.mgmt.api.codec.ResourceCodec;
import dev.mgmt.cluster.Cluster;
import dev.mgmt.cluster.ClusterRunner;
import dev.mgmt.cluster.Exported;
import dev.mgmt.cluster.Recorder;
import dev.mgmt.cluster.StoreLimitException;
import dev.mgmt.cluster.World;
import dev.mgmt.engine.Engine;
import dev.mgmt.cluster.Slot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Finding 7 of the security issue, in one JVM on loopback: an honest host cannot write over the
 * limits (a clear error at once, never retried, nothing written), and what a rogue member writes
 * around the writer's check is ignored by the others, who keep collecting every other export.
 */
@Timeout(60)
class LimitsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path tmp;

    private static Slot file(String path, int bytes) {
        return Slot.at(path, "x".repeat(bytes));
    }

    private static String doc(List<? extends Resource> rs) {
        return ExportDoc.encode(ResourceCodec.standard(), rs);
    }

    @Test
    void aRogueWriteAroundTheLimitsIsIgnoredAndCollectionGoesOn() throws Exception {
        try (Cluster cluster = new Cluster()) {
            World a = cluster.start("a");
            World b = cluster.start("b");
            StoreWorld rogue = (StoreWorld) cluster.start("rogue");
            Slot b1 = file("/tmp/mgmt-limits/b1", 10);
            try (Recorder<List<Exported>> onA = new Recorder<>(a.collect("slot"));
                 Recorder<Map<String, String>> kvOnA = new Recorder<>(a.watch(""))) {
                b.export(List.of(b1)).block(WAIT);
                onA.await("b's export", WAIT, List.of(new Exported("b", b1))::equals);

                // 300 KiB: within the store's entry size, over the export limit.
                rogue.rawPut(StoreKeys.EXPORTED + "rogue",
                        doc(List.of(file("/tmp/mgmt-limits/r", 300 * 1024)))).get(10, TimeUnit.SECONDS);
                // 501 small resources: within the size, over the count.
                List<Resource> many = new ArrayList<>();
                for (int i = 0; i < 501; i++) {
                    many.add(file("/tmp/mgmt-limits/m" + i, 1));
                }
                rogue.rawPut(StoreKeys.EXPORTED + "rogue2", doc(many)).get(10, TimeUnit.SECONDS);
                rogue.rawPut(StoreKeys.KV + "big", "x".repeat(100 * 1024)).get(10, TimeUnit.SECONDS);
                rogue.rawPut(StoreKeys.KV + "small", "ok").get(10, TimeUnit.SECONDS);
                kvOnA.await("the small key", WAIT, m -> "ok".equals(m.get("small")));
                assertThat(kvOnA.last()).doesNotContainKey("big");
                assertThat(a.get("big").block(WAIT)).isEmpty();

                // 700 KiB: the store's servers refuse the entry; the leader goes on serving. (Larger than
                // two entries, the message is refused unread by its length: RogueFramesTest.)
                long t0 = System.nanoTime();
                assertThatThrownBy(() -> rogue.rawPut(StoreKeys.KV + "huge", "x".repeat(700 * 1024))
                        .get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
                System.out.printf("a raw 700 KiB write failed after %d ms%n", (System.nanoTime() - t0) / 1_000_000);

                // Collection goes on: b's next export arrives, the rogue's never did.
                Slot b2 = file("/tmp/mgmt-limits/b2", 10);
                b.export(List.of(b1, b2)).block(WAIT);
                onA.await("b's second export", WAIT, List.of(new Exported("b", b1), new Exported("b", b2))::equals);
                assertThat(onA.seen()).allSatisfy(s -> assertThat(s).allMatch(x -> x.host().equals("b")));
                assertThat(a.get("huge").block(WAIT)).isEmpty();

                // A good value replaces a refused one and is seen again.
                rogue.rawPut(StoreKeys.KV + "big", "fine").get(10, TimeUnit.SECONDS);
                kvOnA.await("big, now small", WAIT, m -> "fine".equals(m.get("big")));
            }
        }
    }

    @Test
    void theWriterRefusesAtOnceAndWritesNothing() throws Exception {
        try (Cluster cluster = new Cluster()) {
            World a = cluster.start("a");
            World b = cluster.start("b");
            Slot small = file(tmp.resolve("small").toString(), 10);
            try (Recorder<List<Exported>> onA = new Recorder<>(a.collect("slot"));
                 Recorder<Map<String, String>> kvOnA = new Recorder<>(a.watch(""))) {
                // A value over the limit: refused at once, not retried (a retried write fails as a
                // ClusterException after its retries, not with the limit's own exception).
                assertThatThrownBy(() -> b.put("k", "x".repeat(64 * 1024 + 1)).block(WAIT))
                        .isInstanceOf(StoreLimitException.class)
                        .hasMessageContaining("over the limit of 64 KiB (StoreLimits.maxValueBytes)");
                // An export over the limit: the same.
                assertThatThrownBy(() -> b.export(List.of(file("/tmp/mgmt-limits/big", 2 << 20))).block(WAIT))
                        .isInstanceOf(StoreLimitException.class)
                        .hasMessageContaining("slot[/tmp/mgmt-limits/big] 2.0 MiB");

                // ClusterRunner refuses the graph before the engine starts: nothing runs, nothing is exported.
                Path big = tmp.resolve("big");
                Graph bigGraph = Graph.builder("big").add(small).export(file(big.toString(), 2 << 20)).build();
                try (Engine e = Engine.builder().build(); ClusterRunner r = new ClusterRunner(e, b)) {
                    assertThatThrownBy(() -> r.start(bigGraph))
                            .isInstanceOf(StoreLimitException.class)
                            .hasMessageStartingWith("cannot export: host 'b' exports 2.0 MiB")
                            .hasMessageContaining("over the limit of 256 KiB");
                    assertThat(tmp.resolve("small")).doesNotExist();
                    assertThat(e.states().values().stream().mapToInt(Integer::intValue).sum()).isZero();

                    // A graph within the limits runs; a swap to one over them is refused, the old one kept.
                    Slot ok = file(tmp.resolve("ok").toString(), 10);
                    r.start(Graph.builder("ok").add(small).export(ok).build());
                    onA.await("b's export", WAIT, List.of(new Exported("b", ok))::equals);
                    assertThatThrownBy(() -> r.swap(bigGraph)).isInstanceOf(StoreLimitException.class);
                    e.awaitConverged(WAIT).orThrow();
                    assertThat(big).doesNotExist();
                    assertThat(tmp.resolve("small")).exists();
                }
                // b's writes are ordered: once the marker is seen, any export before it would be too.
                b.put("marker", "1").block(WAIT);
                kvOnA.await("b's marker", WAIT, m -> m.containsKey("marker"));
                assertThat(kvOnA.last()).doesNotContainKey("k");
                assertThat(onA.seen()).allSatisfy(s -> assertThat(s).allMatch(x -> !x.resource().name().contains("big")));
                assertThat(b.get("k").block(WAIT)).isEqualTo(Optional.empty());
            }
        }
    }
}
