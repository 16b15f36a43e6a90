package dev.mgmt.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mgmt.api.Resource;
import dev.mgmt.api.codec.ResourceCodec;
import dev.mgmt.cluster.Slot;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExportDocTest {

    private final ResourceCodec codec = ResourceCodec.standard();

    @Test
    void realResourcesRoundTrip() {
        Slot a = Slot.at("/tmp/mgmt-x/a", "hello\n");
        Slot b = new Slot("b", "/tmp/mgmt-x/b", "x", "", "0640", null);
        Slot d = Slot.at("/tmp/mgmt-x/d", "").absent();
        String doc = ExportDoc.encode(codec, List.of(b, d, a));
        List<String> errors = new ArrayList<>();
        List<Resource> back = ExportDoc.decode(codec, doc, "slot", (why, e) -> errors.add(why));
        assertThat(errors).isEmpty();
        assertThat(back).containsExactlyInAnyOrder(a, b, d);
        // Sorted, so the same set is the same text.
        assertThat(ExportDoc.encode(codec, List.of(a, d, b))).isEqualTo(doc);
        assertThat(ExportDoc.decode(codec, doc, "svc", (why, e) -> errors.add(why))).isEmpty();
    }

    @Test
    void aBadResourceIsSkippedNotFatal() {
        String doc = "[{\"kind\":\"slot\",\"name\":\"/x\",\"params\":{\"name\":\"/x\",\"nonsense\":1}},"
                + "{\"kind\":\"slot\",\"name\":\"/y\",\"params\":{\"name\":\"/y\",\"path\":\"/y\",\"content\":\"y\"}}]";
        List<String> errors = new ArrayList<>();
        List<Resource> back = ExportDoc.decode(codec, doc, "slot", (why, e) -> errors.add(why));
        assertThat(back).containsExactly(Slot.at("/y", "y"));
        assertThat(errors).singleElement().asString().contains("slot[/x]").contains("nonsense");
        assertThat(ExportDoc.decode(codec, "{not json", "slot", (why, e) -> errors.add(why))).isEmpty();
        assertThat(errors).hasSize(2);
    }

    @Test
    void exportingOneResourceTwiceIsAnError() {
        assertThatThrownBy(() -> ExportDoc.encode(codec, List.of(Slot.at("/a", "1"), Slot.at("/a", "2"))))
                .hasMessageContaining("slot[/a]").hasMessageContaining("twice");
    }

    /** Issue 11: a peer's name and text reach the log escaped, in one line. */
    @Test
    void aBadPartIsNamedEscaped() {
        String doc = "[{\"kind\":\"slot\",\"name\":\"x\\nFAKE LOG LINE\\u202e\",\"params\":"
                + "{\"name\":\"x\",\"nonsense\":\"gone\\nFAKE\"}}]";
        List<String> errors = new ArrayList<>();
        assertThat(ExportDoc.decode(codec, doc, "slot", (why, e) -> errors.add(why))).isEmpty();
        assertThat(errors).singleElement().asString().startsWith("slot[x\\nFAKE LOG LINE\\u202e]: ")
                .doesNotContain("\n").doesNotContain("\u202e");
    }

    @Test
    void eachMessageIsFreshOnceWhileItLasts() {
        OncePerKey once = new OncePerKey();
        assertThat(once.fresh("slot", List.of("a", "b"))).containsExactly("a", "b");
        assertThat(once.fresh("slot", List.of("a", "b"))).isEmpty();
        assertThat(once.fresh("exec", List.of("a"))).containsExactly("a");
        assertThat(once.fresh("slot", List.of("b", "c"))).containsExactly("c");
        assertThat(once.fresh("slot", List.of())).isEmpty();
        assertThat(once.fresh("slot", List.of("b"))).containsExactly("b");
    }

    /** Issue 13: a directed export carries its hosts; a peer's malformed hosts skip that resource only. */
    @Test
    void aDirectedExportCarriesItsHostsAndMalformedHostsAreRefused() {
        Slot a = Slot.at("/tmp/mgmt-x/a", "a");
        Slot b = Slot.at("/tmp/mgmt-x/b", "b");
        String doc = ExportDoc.encode(codec, List.of(a, b), java.util.Map.of(b.id(), java.util.Set.of("c", "a")));
        assertThat(doc).contains("\"to\":[\"a\",\"c\"]");
        List<String> errors = new ArrayList<>();
        assertThat(ExportDoc.decodeItems(codec, doc, "slot", (why, e) -> errors.add(why)))
                .containsExactly(new ExportDoc.Item(a, java.util.Set.of()), new ExportDoc.Item(b, java.util.Set.of("a", "c")));
        String bad = doc.replace("[\"a\",\"c\"]", "[\"a\",7]");
        assertThat(ExportDoc.decodeItems(codec, bad, "slot", (why, e) -> errors.add(why)))
                .containsExactly(new ExportDoc.Item(a, java.util.Set.of()));
        String notAList = doc.replace("[\"a\",\"c\"]", "{\"a\":1}");
        assertThat(ExportDoc.decodeItems(codec, notAList, "slot", (why, e) -> errors.add(why))).hasSize(1);
        assertThat(errors).hasSize(2).allSatisfy(e -> assertThat(e).startsWith("slot[/tmp/mgmt-x/b]: ")
                .contains("hosts (to) must be a list of host names"));
    }
}
