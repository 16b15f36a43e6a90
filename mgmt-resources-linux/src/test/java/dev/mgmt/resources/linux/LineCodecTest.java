package dev.mgmt.resources.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mgmt.api.Meta;
import dev.mgmt.api.codec.ResourceCodec;
import dev.mgmt.api.yaml.YamlGraph;
import dev.mgmt.api.yaml.YamlGraphException;
import dev.mgmt.resources.linux.FileResource.State;
import org.junit.jupiter.api.Test;

/** line as a value: mgmt's YAML keys, validation, the codec. */
class LineCodecTest {

    private final ResourceCodec codec = ResourceCodec.standard();

    @Test
    void mgmtsKeysLoad() {
        YamlGraph g = YamlGraph.parse("""
                resources:
                  line:
                    - name: add
                      file: /tmp/lines1
                      state: exists
                      content: hello
                    - name: remove
                      file: /tmp/lines2
                      state: absent
                      content: hello
                    - name: trimmed
                      file: /tmp/lines3
                      state: exists
                      content: "  from a file\\n"
                      trim: true
                """, "line.yaml", codec);
        assertThat(g.graph().resources()).containsExactlyInAnyOrder(
                LineResource.exists("add", "/tmp/lines1", "hello"),
                LineResource.absent("remove", "/tmp/lines2", "hello"),
                LineResource.builder("trimmed").file("/tmp/lines3").content("  from a file\n").trim(true).build());
        LineResource t = (LineResource) g.graph().resources().stream().filter(r -> r.name().equals("trimmed"))
                .findFirst().orElseThrow();
        assertThat(t.line()).isEqualTo("from a file");
        assertThat(t.validate()).isEmpty();
    }

    @Test
    void roundTripsThroughTheCodec() {
        LineResource l = LineResource.builder("l").file("/etc/hosts").content(" x ").trim(true).state(State.ABSENT)
                .meta(Meta.builder().noop(true).build()).build();
        assertThat(codec.fromJson("line", codec.toJson(l))).isEqualTo(l);
    }

    @Test
    void validation() {
        assertThat(LineResource.builder("l").content("x").build().validate()).containsExactly("file: must not be empty");
        assertThat(LineResource.exists("l", "etc/hosts", "x").validate())
                .containsExactly("file: must be absolute, was 'etc/hosts'");
        assertThat(LineResource.exists("l", "~/.profile", "x").validate())
                .containsExactly("file: must be absolute ('~' is not expanded), was '~/.profile'");
        assertThat(LineResource.exists("l", "/etc/", "x").validate())
                .containsExactly("file: must name a file, not a directory (it ends in '/'), was '/etc/'");
        assertThat(LineResource.exists("l", "/etc/hosts", "a\nb").validate()).containsExactly(
                "content: 'a\\nb' has a line break; a line resource keeps one line (give each line its own resource,"
                        + " or set trim: true to drop a final newline)");
        assertThat(LineResource.exists("l", "/etc/hosts", "a\r").validate()).hasSize(1);
        assertThat(LineResource.exists("l", "/etc/hosts", "").validate())
                .containsExactly("content: must not be empty (mgmt's line does nothing then; say which line you mean)");
        assertThat(LineResource.builder("l").file("/etc/hosts").content(" \n").trim(true).build().validate())
                .containsExactly("content: must not be only white space with trim: true (mgmt's line does nothing then;"
                        + " say which line you mean)");
        assertThat(LineResource.absent("l", "/etc/hosts", "x").withMeta(Meta.builder().reverse(true).build()).validate())
                .containsExactly("state: meta.reverse needs state 'exists' (a removed line cannot be put back: where it"
                        + " was is not known)");
        assertThat(LineResource.trimSpace("\u00a0\t x y \u3000\u0085")).isEqualTo("x y");
    }

    @Test
    void aBadStateOrAnUnknownKeyIsAnErrorAtItsLine() {
        assertThatThrownBy(() -> YamlGraph.parse("""
                resources:
                  line:
                    - name: l
                      file: /tmp/x
                      state: present
                      content: x
                """, "bad.yaml", codec)).isInstanceOf(YamlGraphException.class)
                .hasMessageContaining("must be 'exists' or 'absent', was 'present'");
        assertThatThrownBy(() -> YamlGraph.parse("""
                resources:
                  line:
                    - name: l
                      file: /tmp/x
                      content: x
                      path: /tmp/y
                """, "bad.yaml", codec)).isInstanceOf(YamlGraphException.class)
                .hasMessageContaining("unknown key 'path'");
    }
}
