package dev.mgmt.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mgmt.api.Resource;
import dev.mgmt.api.codec.ResourceCodec;
import dev.mgmt.resources.linux.FileResource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExportDocTest {

    private final ResourceCodec codec = ResourceCodec.standard();

    @Test
    void realResourcesRoundTrip() {
        FileResource a = FileResource.file("/tmp/mgmt-x/a", "hello\n");
        FileResource b = FileResource.builder("b").path("/tmp/mgmt-x/b").content("x").mode("0640").build();
        FileResource d = FileResource.directory("/tmp/mgmt-x/d");
        String doc = ExportDoc.encode(codec, List.of(b, d, a));
        List<String> errors = new ArrayList<>();
        List<Resource> back = ExportDoc.decode(codec, doc, "file", (why, e) -> errors.add(why));
        assertThat(errors).isEmpty();
        assertThat(back).containsExactlyInAnyOrder(a, b, d);
        // Sorted, so the same set is the same text.
        assertThat(ExportDoc.encode(codec, List.of(a, d, b))).isEqualTo(doc);
        assertThat(ExportDoc.decode(codec, doc, "svc", (why, e) -> errors.add(why))).isEmpty();
    }

    @Test
    void aBadResourceIsSkippedNotFatal() {
        String doc = "[{\"kind\":\"file\",\"name\":\"/x\",\"params\":{\"name\":\"/x\",\"nonsense\":1}},"
                + "{\"kind\":\"file\",\"name\":\"/y\",\"params\":{\"name\":\"/y\",\"content\":\"y\"}}]";
        List<String> errors = new ArrayList<>();
        List<Resource> back = ExportDoc.decode(codec, doc, "file", (why, e) -> errors.add(why));
        assertThat(back).containsExactly(FileResource.file("/y", "y"));
        assertThat(errors).singleElement().asString().contains("file[/x]").contains("nonsense");
        assertThat(ExportDoc.decode(codec, "{not json", "file", (why, e) -> errors.add(why))).isEmpty();
        assertThat(errors).hasSize(2);
    }

    @Test
    void exportingOneResourceTwiceIsAnError() {
        assertThatThrownBy(() -> ExportDoc.encode(codec, List.of(FileResource.file("/a", "1"), FileResource.file("/a", "2"))))
                .hasMessageContaining("file[/a]").hasMessageContaining("twice");
    }

    /** Issue 11: a peer's name and text reach the log escaped, in one line. */
    @Test
    void aBadPartIsNamedEscaped() {
        String doc = "[{\"kind\":\"file\",\"name\":\"x\\nFAKE LOG LINE\\u202e\",\"params\":"
                + "{\"name\":\"x\",\"state\":\"gone\\nFAKE\"}}]";
        List<String> errors = new ArrayList<>();
        assertThat(ExportDoc.decode(codec, doc, "file", (why, e) -> errors.add(why))).isEmpty();
        assertThat(errors).singleElement().asString().startsWith("file[x\\nFAKE LOG LINE\\u202e]: ")
                .doesNotContain("\n").doesNotContain("\u202e");
    }

    @Test
    void eachMessageIsFreshOnceWhileItLasts() {
        OncePerKey once = new OncePerKey();
        assertThat(once.fresh("file", List.of("a", "b"))).containsExactly("a", "b");
        assertThat(once.fresh("file", List.of("a", "b"))).isEmpty();
        assertThat(once.fresh("exec", List.of("a"))).containsExactly("a");
        assertThat(once.fresh("file", List.of("b", "c"))).containsExactly("c");
        assertThat(once.fresh("file", List.of())).isEmpty();
        assertThat(once.fresh("file", List.of("b"))).containsExactly("b");
    }
}
