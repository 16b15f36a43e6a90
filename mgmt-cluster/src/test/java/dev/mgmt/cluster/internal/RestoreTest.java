package dev.mgmt.cluster.internal;

import dev.mgmt.cluster.Cluster;
import dev.mgmt.cluster.Exported;
import dev.mgmt.cluster.Recorder;
import dev.mgmt.cluster.World;
import dev.mgmt.cluster.Slot;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RestoreTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    /** Membership may declare a live host dead for a while; the host puts its keys back. */
    @Test
    void aLiveHostRestoresItsExportAfterItWasRemoved() {
        try (Cluster cluster = new Cluster()) {
            StoreWorld a = (StoreWorld) cluster.start("a");
            World b = cluster.start("b");
            World c = cluster.start("c");
            Slot f = Slot.at("/tmp/mgmt-test/restore", "x");
            try (Recorder<List<Exported>> onC = new Recorder<>(c.collect("slot"));
                 Recorder<Map<String, Boolean>> conv = new Recorder<>(c.convergedHosts())) {
                b.export(List.of(f)).block(WAIT);
                b.converged(true).block(WAIT);
                onC.await("b's export", WAIT, List.of(new Exported("b", f))::equals);
                a.removeKeysOf("b").block(WAIT);
                onC.await("b's export back", WAIT, List.of(new Exported("b", f))::equals);
                conv.await("b's converged state back", WAIT, Map.of("b", true)::equals);
                // It did disappear in between: c saw the empty set.
                if (onC.seen().stream().noneMatch(List::isEmpty)) {
                    throw new AssertionError("c never saw b's export removed: " + onC.seen());
                }
            }
        }
    }
}
