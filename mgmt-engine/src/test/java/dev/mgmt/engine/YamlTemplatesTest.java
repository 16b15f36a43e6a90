package dev.mgmt.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mgmt.api.ResourceId;
import dev.mgmt.api.yaml.TemplateUse;
import dev.mgmt.api.yaml.TemplateValues;
import dev.mgmt.api.yaml.YamlGraph;
import dev.mgmt.api.yaml.YamlGraphException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Templates in YAML string values: how they render, what they record, and every way one is malformed. */
class YamlTemplatesTest {

    private static final TemplateValues VALUES = new TemplateValues() {
        @Override
        public String hostname() {
            return "h1";
        }

        @Override
        public Optional<String> kv(String key) {
            return Optional.ofNullable(Map.of("app/greeting", "hello", "empty", "").get(key));
        }

        @Override
        public List<String> hosts() {
            return List.of("h1 127.0.0.1:1", "h2 127.0.0.1:2");
        }
    };

    private static YamlGraph read(String params) {
        return YamlGraph.parse("graph: g\nresources:\n  probe:\n  - name: p\n" + params.indent(4), "g.yaml",
                YamlValuesTest.CODEC, VALUES);
    }

    private static String text(String params) {
        return ((ProbeResource) read(params).graph().resource(ResourceId.of("probe", "p")).orElseThrow()).text();
    }

    @Test
    void templatesRenderWithTheValuesGiven() {
        assertThat(text("text: '{{ kv \"app/greeting\" }}'")).isEqualTo("hello");
        assertThat(text("text: 'say {{kv \"app/greeting\"}}!'")).isEqualTo("say hello!");
        assertThat(text("text: '{{ kv \"empty\" }}'")).as("present but empty").isEqualTo("");
        assertThat(text("text: '{{ kv \"absent\" \"fallback\" }}'")).isEqualTo("fallback");
        assertThat(text("text: '{{ kv \"empty\" \"fallback\" }}'")).as("present but empty").isEqualTo("");
        assertThat(text("text: '{{ hostname }}'")).isEqualTo("h1");
        assertThat(text("text: '{{ hosts }}'")).isEqualTo("h1 127.0.0.1:1\nh2 127.0.0.1:2\n");
        assertThat(text("text: 'at {{ hostname }} }} stays'")).isEqualTo("at h1 }} stays");
        assertThat(items("items: ['{{ hostname }}', x]")).containsExactly("h1", "x");
    }

    private static List<String> items(String params) {
        return ((ProbeResource) read(params).graph().resource(ResourceId.of("probe", "p")).orElseThrow()).items();
    }

    @Test
    void aLiteralOpeningIsAStringInAnAction() {
        assertThat(text("text: '{{ \"{{\" }} not a template }}'")).isEqualTo("{{ not a template }}");
        assertThat(text("text: '{{ \"say \\\"hi\\\"\\n\" }}'")).isEqualTo("say \"hi\"\n");
    }

    @Test
    void aStringWithoutTemplatesIsReadAsWrittenAndRecordsNothing() {
        YamlGraph g = read("text: 'a } b }} c {'");
        assertThat(((ProbeResource) g.graph().resource(ResourceId.of("probe", "p")).orElseThrow()).text())
                .isEqualTo("a } b }} c {");
        assertThat(g.templateUses()).isEmpty();
    }

    @Test
    void usesAreRecordedWithLineAndField() {
        YamlGraph g = read("text: '{{ kv \"app/greeting\" }}'\nitems:\n- '{{ hosts }}{{ hostname }}'");
        assertThat(g.templateUses()).containsExactly(
                new TemplateUse(5, "probe[p]: text", "kv", "app/greeting"),
                new TemplateUse(7, "probe[p]: items[0]", "hosts", ""),
                new TemplateUse(7, "probe[p]: items[0]", "hostname", ""));
        assertThat(g.templateUses().get(0).needsCluster()).isTrue();
        assertThat(g.templateUses().get(2).needsCluster()).isFalse();
    }

    @Test
    void aMalformedTemplateIsAnErrorNamingFileLineResourceAndField() {
        record Row(String template, String message) {
        }
        List<Row> table = List.of(
                new Row("{{ kv \"k\"", "g.yaml:5: probe[p]: text: unclosed '{{' (a literal '{{' is written {{ \"{{\" }})"),
                new Row("{{ nope }}", "g.yaml:5: probe[p]: text: unknown template function 'nope' (known: hostname, hosts, kv)"),
                new Row("{{ kv }}", "g.yaml:5: probe[p]: text: kv takes a key and an optional default "
                        + "({{ kv \"KEY\" }} or {{ kv \"KEY\" \"DEFAULT\" }}), found 0 arguments"),
                new Row("{{ kv \"a\" \"b\" \"c\" }}", "g.yaml:5: probe[p]: text: kv takes a key and an optional default "
                        + "({{ kv \"KEY\" }} or {{ kv \"KEY\" \"DEFAULT\" }}), found 3 arguments"),
                new Row("{{ hosts \"x\" }}", "g.yaml:5: probe[p]: text: hosts takes no arguments, found 1"),
                new Row("{{ kv key }}", "g.yaml:5: probe[p]: text: kv: arguments are \"quoted strings\", found 'key'"),
                new Row("{{ }}", "g.yaml:5: probe[p]: text: empty '{{ }}' (expected a function: hostname, hosts, "
                        + "kv \"KEY\"; or a \"quoted string\")"),
                new Row("{{ kv \"\" }}", "g.yaml:5: probe[p]: text: kv: the key is empty"),
                new Row("{{- hostname }}", "g.yaml:5: probe[p]: text: unexpected '-' in '{{ … }}' (expected a "
                        + "function: hostname, hosts, kv \"KEY\"; or a \"quoted string\")"),
                new Row("{{ \"a\" \"b\" }}", "g.yaml:5: probe[p]: text: a string in '{{ … }}' stands alone, "
                        + "found 1 more word after it"));
        for (Row r : table) {
            String yaml = "text: '" + r.template().replace("'", "''") + "'";
            assertThatThrownBy(() -> read(yaml)).as(r.template()).isInstanceOf(YamlGraphException.class)
                    .extracting(e -> ((YamlGraphException) e).problems().get(0).toString()).isEqualTo(r.message());
        }
    }

    @Test
    void templatesOutsideParameterValuesAreRefused() {
        assertThatThrownBy(() -> YamlGraph.parse("graph: g\nresources:\n  probe:\n  - name: '{{ hostname }}'\n",
                "g.yaml", YamlValuesTest.CODEC, VALUES)).isInstanceOf(YamlGraphException.class)
                .hasMessageContaining("g.yaml:4: probe[{{ hostname }}]: name: templates ({{ … }}) are read only in "
                        + "resources' parameter values");
        assertThatThrownBy(() -> YamlGraph.parse("graph: '{{ hostname }}'\n", "g.yaml", YamlValuesTest.CODEC, VALUES))
                .hasMessageContaining("g.yaml:1: graph: templates");
    }

    @Test
    void aTemplateInAKeyOfAParameterValueIsRefusedNotReadAsText() {
        assertThatThrownBy(() -> read("text:\n  '{{ hostname }}': x"))
                .isInstanceOf(YamlGraphException.class)
                .hasMessageContaining("g.yaml:6: probe[p]: text (a key): templates ({{ … }}) are read only in");
    }

    @Test
    void anUnquotedTemplateIsSaidToNeedQuotesAndNothingElseIsSaidOfIt() {
        assertThatThrownBy(() -> read("text: {{ kv \"app/greeting\" }}\ncount: 3"))
                .isInstanceOf(YamlGraphException.class)
                .extracting(e -> ((YamlGraphException) e).problems().stream().map(Object::toString).toList())
                .isEqualTo(List.of("g.yaml:5: probe[p]: text is a YAML map here because it starts with {; "
                        + "a template must be quoted: text: '{{ kv \"app/greeting\" }}'"));
        // Followed by more text, YAML cannot read the line at all: the same is said of it.
        assertThatThrownBy(() -> read("text: {{ hostname }}.conf"))
                .isInstanceOf(YamlGraphException.class)
                .extracting(e -> ((YamlGraphException) e).problems().stream().map(Object::toString).toList())
                .isEqualTo(List.of("g.yaml:5: text is a YAML map here because it starts with {; "
                        + "a template must be quoted: text: '{{ hostname }}.conf'"));
    }

    @Test
    void anUnquotedTemplateWhereNoneIsReadIsSaidSoNotToBeQuoted() {
        assertThatThrownBy(() -> YamlGraph.parse("graph: g\nresources:\n  probe:\n  - name: {{ hostname }}\n",
                "g.yaml", YamlValuesTest.CODEC, VALUES)).isInstanceOf(YamlGraphException.class)
                .extracting(e -> ((YamlGraphException) e).problems().stream().map(Object::toString).toList())
                .isEqualTo(List.of("g.yaml:4: probe[{{ hostname }}]: name: templates ({{ … }}) are read only in "
                        + "resources' parameter values, not here (a literal \"{{\" is not possible here either)"));
    }

    @Test
    void aRealMapWhereTextIsExpectedIsNotTakenForATemplate() {
        for (String map : List.of("{ {a: b}: c }", "{ { a }: x }", "{a: b}", "{ {a}, {b} }")) {
            assertThatThrownBy(() -> read("text: " + map)).as(map).isInstanceOf(YamlGraphException.class)
                    .hasMessageNotContaining("template");
        }
    }

    @Test
    void aKeyThatIsNotSetWithoutADefaultIsAnErrorOfTheGraphNotTheEmptyText() {
        assertThatThrownBy(() -> read("text: 'greeting = {{ kv \"app/absent\" }}'\ncount: 3"))
                .isInstanceOf(YamlGraphException.class)
                .satisfies(e -> {
                    YamlGraphException x = (YamlGraphException) e;
                    assertThat(x.problems().stream().map(Object::toString).toList()).containsExactly(
                            "g.yaml:5: probe[p]: text: the key 'app/absent' is not set in the cluster's store; set "
                                    + "it with mgmt cluster put app/absent VALUE, or give a default: "
                                    + "{{ kv \"app/absent\" \"DEFAULT\" }}");
                    // What it reads is still known, so it is watched and the graph rendered again when set.
                    assertThat(x.partial().orElseThrow().templateUses())
                            .containsExactly(new TemplateUse(5, "probe[p]: text", "kv", "app/absent"));
                });
    }

    @Test
    void placeholderValuesRenderAKeyTheyDoNotKnowAsEmptyText() {
        YamlGraph g = YamlGraph.parse("graph: g\nresources:\n  probe:\n  - name: p\n    text: 'x{{ kv \"k\" }}'\n",
                "g.yaml", YamlValuesTest.CODEC, TemplateValues.NONE);
        assertThat(((ProbeResource) g.graph().resource(ResourceId.of("probe", "p")).orElseThrow()).text()).isEqualTo("x");
        assertThat(g.templateUses()).extracting(TemplateUse::key).containsExactly("k");
    }
}
