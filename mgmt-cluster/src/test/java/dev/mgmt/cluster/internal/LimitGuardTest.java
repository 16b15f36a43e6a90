package dev.mgmt.cluster.internal;

import dev.mgmt.cluster.internal.atomix.RaftStore;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mgmt.api.Resource;
import dev.mgmt.api.codec.ResourceCodec;
import dev.mgmt.cluster.StoreLimitException;
import dev.mgmt.cluster.StoreLimits;
import dev.mgmt.cluster.internal.Store.Change;
import dev.mgmt.cluster.Slot;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The limit checks on their own: the writer's refusals and the reader's. */
class LimitGuardTest {

    private final ResourceCodec codec = ResourceCodec.standard();
    private final LimitGuard guard = new LimitGuard("b", StoreLimits.DEFAULTS);

    private static Slot file(String name, int bytes) {
        return Slot.of(name, "/tmp/mgmt-limits/" + name, "x".repeat(bytes));
    }

    @Test
    void defaultsAreBelowTheStoresEntrySizeWhichIsBelowAtomixsMebibyte() {
        StoreLimits d = StoreLimits.DEFAULTS;
        assertThat(d.maxExportBytes()).isEqualTo(256 * 1024);
        assertThat(d.maxValueBytes()).isEqualTo(64 * 1024);
        assertThat(d.maxExportedResources()).isEqualTo(500);
        assertThat(d.maxKeyBytes()).isEqualTo(1024);
        assertThat(StoreLimits.MAX_BYTES).isLessThan(StoreLimits.ENTRY_BYTES);
        assertThat(StoreLimits.ENTRY_BYTES).isLessThan(1024 * 1024);
        assertThat(d.withMaxExportBytes(StoreLimits.MAX_BYTES).maxExportBytes()).isEqualTo(StoreLimits.MAX_BYTES);
        assertThatThrownBy(() -> d.withMaxExportBytes(StoreLimits.MAX_BYTES + 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxExportBytes");
        assertThatThrownBy(() -> d.withMaxValueBytes(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.withMaxExportedResources(0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(d.withMaxExportedResources(5).withMaxExportedResources(500)).isEqualTo(d);
        assertThat(StoreLimits.size(2 * 1024 * 1024)).isEqualTo("2.0 MiB");
        assertThat(StoreLimits.size(256 * 1024)).isEqualTo("256 KiB");
    }

    @Test
    void anExportOverTheSizeIsRefusedNamingTheLargestResourcesTheirSizesAndTheLimit() {
        List<Resource> rs = List.of(file("small", 10), file("big", 2 * 1024 * 1024), file("mid", 100 * 1024));
        assertThatThrownBy(() -> guard.encodeExport(codec, rs))
                .isInstanceOf(StoreLimitException.class)
                .hasMessageStartingWith("cannot export: host 'b' exports 2.1 MiB")
                .hasMessageContaining("over the limit of 256 KiB per host (StoreLimits.maxExportBytes)")
                .hasMessageContaining("largest: slot[big] 2.0 MiB, slot[mid] 100.")
                .hasMessageNotContaining("\n");
        // Just under the limit passes.
        String doc = guard.encodeExport(codec, List.of(file("fits", 255 * 1024)));
        assertThat(LimitGuard.utf8(doc)).isLessThanOrEqualTo(256 * 1024);
    }

    @Test
    void tooManyResourcesAreRefusedBeforeEncoding() {
        List<Resource> rs = new ArrayList<>();
        for (int i = 0; i < 501; i++) {
            rs.add(file("f" + i, 1));
        }
        assertThatThrownBy(() -> guard.encodeExport(codec, rs))
                .isInstanceOf(StoreLimitException.class)
                .hasMessage("cannot export: host 'b' exports 501 resources, over the limit of 500 per host "
                        + "(StoreLimits.maxExportedResources)");
        assertThat(ExportDoc.count(guard.encodeExport(codec, rs.subList(0, 500)))).isEqualTo(500);
    }

    @Test
    void aValueOrKeyOverTheLimitIsRefused() {
        guard.checkPut("k", "kv/k", "x".repeat(64 * 1024));
        assertThatThrownBy(() -> guard.checkPut("k", "kv/k", "x".repeat(64 * 1024 + 1)))
                .isInstanceOf(StoreLimitException.class)
                .hasMessage("cannot put key 'k': the value is 64.0 KiB (65537 bytes), over the limit of 64 KiB "
                        + "(StoreLimits.maxValueBytes)");
        // Counted in UTF-8 bytes, not chars.
        assertThatThrownBy(() -> guard.checkPut("k", "kv/k", "é".repeat(40 * 1024)))
                .isInstanceOf(StoreLimitException.class).hasMessageContaining("81920 bytes");
        String longKey = "k".repeat(2000);
        assertThatThrownBy(() -> guard.checkPut(longKey, "kv/" + longKey, "v"))
                .isInstanceOf(StoreLimitException.class).hasMessageContaining("StoreLimits.maxKeyBytes");
    }

    @Test
    void theReaderTreatsOversizedEntriesAsAbsent() {
        Change ok = new Change("kv/a", "small", 3, false);
        assertThat(guard.admit(ok)).isSameAs(ok);
        Change big = new Change("kv/a", "x".repeat(64 * 1024 + 1), 4, false);
        assertThat(guard.admit(big)).isEqualTo(new Change("kv/a", null, 4, true));
        // An export may be larger than a value, not larger than an export.
        Change export = new Change("exported/c", "[" + "\"" + "x".repeat(100 * 1024) + "\"]", 5, false);
        assertThat(guard.admit(export)).isSameAs(export);
        Change hugeExport = new Change("exported/c", "\"" + "x".repeat(300 * 1024) + "\"", 6, false);
        assertThat(guard.admit(hugeExport).removed()).isTrue();
        StringBuilder many = new StringBuilder("[");
        for (int i = 0; i <= 500; i++) {
            many.append(i == 0 ? "" : ",").append("{}");
        }
        Change crowded = new Change("exported/c", many.append("]").toString(), 7, false);
        assertThat(guard.refusal(crowded.key(), crowded.value())).isEqualTo("it holds 501 resources, over the limit of 500");
        assertThat(guard.admitAll(List.of(ok, big, export, crowded))).containsExactly(ok, export);
        Change removal = new Change("kv/a", null, 8, true);
        assertThat(guard.admit(removal)).isSameAs(removal);
    }

    @Test
    void withSealedValuesTheExactLimitsApplyOnceOpened() {
        LimitGuard sealed = new LimitGuard("b", StoreLimits.DEFAULTS.withMaxExportedResources(2), true);
        // A sealed envelope of a value just under the limit is larger than the limit: not refused raw.
        String envelope = "x".repeat(StoreLimits.DEFAULTS.maxExportBytes() + 20_000);
        assertThat(sealed.admit(new Store.Change("exported/a", envelope, 1, false)).removed()).isFalse();
        // Far over the coarse bound (twice the limit and room for the chain): refused unopened.
        String huge = "x".repeat(2 * StoreLimits.DEFAULTS.maxExportBytes() + 20_000);
        assertThat(sealed.admit(new Store.Change("exported/a", huge, 1, false)).removed()).isTrue();
        // Opened, the limits are exact: size and count.
        String doc = ExportDoc.encode(codec, List.of(file("a", 10), file("b", 10), file("c", 10)));
        assertThat(sealed.admitOpened("exported/a", doc)).isNull();
        String two = ExportDoc.encode(codec, List.of(file("a", 10), file("b", 10)));
        assertThat(sealed.admitOpened("exported/a", two)).isEqualTo(two);
        assertThat(sealed.admitOpened("kv/x", "y".repeat(StoreLimits.DEFAULTS.maxValueBytes() + 1))).isNull();
        // Unsealed, opening changes nothing: the raw checks were the exact ones.
        assertThat(guard.admitOpened("exported/a", doc)).isEqualTo(doc);
    }

    @Test
    void aReaderHoldsAtMostMaxKvKeysAndMaxKvBytesOfKeyValueKeys() {
        LimitGuard g = new LimitGuard("b", StoreLimits.DEFAULTS.withMaxKvKeys(3).withMaxKvBytes(40));
        assertThat(StoreLimits.DEFAULTS.maxKvKeys()).isEqualTo(10_000);
        assertThat(StoreLimits.DEFAULTS.maxKvBytes()).isEqualTo(16L * 1024 * 1024);
        assertThatThrownBy(() -> StoreLimits.DEFAULTS.withMaxKvKeys(0)).isInstanceOf(IllegalArgumentException.class);
        record Row(String key, String value, boolean removal, boolean held, int keys) {
        }
        List<Row> table = List.of(
                new Row("kv/a", "1", false, true, 1),
                new Row("kv/b", "1", false, true, 2),
                new Row("kv/c", "1", false, true, 3),
                new Row("kv/d", "1", false, false, 3),          // a fourth key: no room
                new Row("kv/a", "2", false, true, 3),           // an update of one held: fine
                new Row("kv/c", null, true, false, 2),          // removed: room again
                new Row("kv/d", "1", false, true, 3),
                new Row("kv/b", "x".repeat(30), false, false, 2), // past 40 bytes in all: refused, not held
                new Row("exported/b", "[]", false, true, 2));   // other keys are not counted
        int v = 1;
        for (Row r : table) {
            Change c = g.admit(new Change(r.key(), r.value(), v++, r.removal()));
            assertThat(!c.removed()).as(r.toString()).isEqualTo(r.held());
            assertThat(g.kvKeysHeld()).as(r.toString()).isEqualTo(r.keys());
        }
        assertThat(g.readable("kv/a", "2")).isTrue();
        assertThat(g.readable("kv/zzz", "1")).as("room for one more").isTrue();
        g.admit(new Change("kv/e", "1", v++, false));
        assertThat(g.readable("kv/zzz", "1")).as("full").isFalse();
        // A full read starts the count again.
        assertThat(g.admitAll(List.of(new Change("kv/x", "1", 1, false)))).hasSize(1);
        assertThat(g.kvKeysHeld()).isEqualTo(1);
    }

    @Test
    void countReadsOnlyTheTopLevel() {
        assertThat(ExportDoc.count("[]")).isZero();
        assertThat(ExportDoc.count("[{\"a\":[1,2,3]},{\"b\":{}}]")).isEqualTo(2);
        assertThat(ExportDoc.count("{}")).isEqualTo(-1);
        assertThat(ExportDoc.count("[{}")).isEqualTo(-1);
        assertThat(ExportDoc.count("not json")).isEqualTo(-1);
    }
}
