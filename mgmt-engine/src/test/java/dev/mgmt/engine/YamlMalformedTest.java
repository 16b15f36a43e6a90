package dev.mgmt.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.api.yaml.YamlGraph;
import dev.mgmt.api.yaml.YamlGraphException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Malformed YAML, each case: the text, and every problem exactly as the user reads it. */
class YamlMalformedTest {

    private static final String HEAD = "graph: g\nresources:\n  probe:\n  - name: p\n";

    static Stream<Arguments> cases() {
        return Stream.of(
                // Numbers that YAML 1.1 reads in another base are never guessed.
                probe("count: 0644", "g.yaml:5: probe[p]: bad value for 'count': '0644' is ambiguous (YAML 1.1 "
                        + "reads a leading 0 as octal): write the number in decimal, or quote it if it is text"),
                probe("count: 0x1f", "g.yaml:5: probe[p]: bad value for 'count': '0x1f' is ambiguous (YAML 1.1 "
                        + "reads it as hexadecimal): write the number in decimal, or quote it if it is text"),
                probe("count: 1_000", "g.yaml:5: probe[p]: bad value for 'count': '1_000' is ambiguous (YAML 1.1 "
                        + "drops the underscores): write the number in decimal, or quote it if it is text"),
                probe("count: 1:30", "g.yaml:5: probe[p]: bad value for 'count': '1:30' is ambiguous (YAML 1.1 "
                        + "reads it in base 60): write the number in decimal, or quote it if it is text"),
                probe("meta: {retry: 010}", "g.yaml:5: probe[p]: bad value for 'meta.retry': '010' is ambiguous "
                        + "(YAML 1.1 reads a leading 0 as octal): write the number in decimal, or quote it if it is text"),
                probe("meta: {delay: 0500}", "g.yaml:5: probe[p]: bad value for 'meta.delay': '0500' is ambiguous "
                        + "(YAML 1.1 reads a leading 0 as octal): write the number in decimal, or quote it if it is text"),
                // Mismatches say what was expected and what was found, in the user's words.
                probe("count: 1.5", "g.yaml:5: probe[p]: bad value for 'count': expected a whole number, found '1.5'"),
                probe("count: abc", "g.yaml:5: probe[p]: bad value for 'count': expected a whole number, found 'abc'"),
                probe("count: [1]", "g.yaml:5: probe[p]: bad value for 'count': expected a whole number, found a list"),
                probe("count: 99999999999", "g.yaml:5: probe[p]: bad value for 'count': '99999999999' is out of "
                        + "range (-2147483648 to 2147483647)"),
                probe("count: yes", "g.yaml:5: probe[p]: bad value for 'count': expected a whole number, found 'yes'"),
                probe("count: .inf", "g.yaml:5: probe[p]: bad value for 'count': expected a whole number, found '.inf'"),
                probe("count: 2001-12-14", "g.yaml:5: probe[p]: bad value for 'count': expected a whole number, found '2001-12-14'"),
                probe("flag: 1", "g.yaml:5: probe[p]: bad value for 'flag': expected true or false, found '1'"),
                probe("? [a]\n: b", "g.yaml:5: probe[p]: a key must be text, not a list"),
                probe("ratio: [1]", "g.yaml:5: probe[p]: bad value for 'ratio': expected a number, found a list"),
                probe("ratio: {a: 1}", "g.yaml:5: probe[p]: bad value for 'ratio': expected a number, found a map"),
                probe("flag: maybe", "g.yaml:5: probe[p]: bad value for 'flag': expected true or false, found 'maybe'"),
                probe("text: [a]", "g.yaml:5: probe[p]: bad value for 'text': expected text, found a list"),
                probe("text: {a: b}", "g.yaml:5: probe[p]: bad value for 'text': expected text, found a map"),
                probe("items: abc", "g.yaml:5: probe[p]: bad value for 'items': expected a list, found 'abc'"),
                probe("items: [a, [b]]", "g.yaml:5: probe[p]: bad value for 'items[1]': expected text, found a list"),
                probe("meta: {limit: [1]}", "g.yaml:5: probe[p]: bad value for 'meta.limit': expected a number, found a list"),
                probe("meta: {noop: 1}", "g.yaml:5: probe[p]: bad value for 'meta.noop': expected true or false, found '1'"),
                probe("meta: {sema: lock}", "g.yaml:5: probe[p]: bad value for 'meta.sema': expected a list of text, found 'lock'"),
                probe("meta: 5", "g.yaml:5: probe[p]: bad value for 'meta': expected a map of meta parameters, found '5'"),
                // Quoted text is text, whatever it spells (yaml.v2 and meta refuse it too).
                probe("flag: 'true'", "g.yaml:5: probe[p]: bad value for 'flag': expected true or false, found 'true'"),
                probe("count: \"5\"", "g.yaml:5: probe[p]: bad value for 'count': expected a whole number, found '5'"),
                probe("ratio: '1.5'", "g.yaml:5: probe[p]: bad value for 'ratio': expected a number, found '1.5'"),
                // Nor is empty text false, 0 or nothing (Jackson took it for each): nothing is written ~.
                probe("flag: ''", "g.yaml:5: probe[p]: bad value for 'flag': expected true or false, found ''"),
                probe("count: ''", "g.yaml:5: probe[p]: bad value for 'count': expected a whole number, found ''"),
                probe("ratio: \"\"", "g.yaml:5: probe[p]: bad value for 'ratio': expected a number, found ''"),
                // A null in a list is no value: refused by its place, never kept as a hole.
                probe("items: [a, ~]", "g.yaml:5: probe[p]: bad value for 'items[1]': expected text, found nothing"),
                // A tag is never dropped without a word: the value would be read as something else.
                probe("text: !!binary aGVsbG8=", "g.yaml:5: !!binary values are not supported; write the text itself"),
                probe("text: !mytag hello\nitems: !!set {a: ~}", "g.yaml:5: the tag !mytag is not supported; remove it "
                        + "(a graph holds text, numbers, true or false, lists and maps)",
                        "g.yaml:6: the tag !!set is not supported; remove it (a graph holds text, numbers, true or false, "
                        + "lists and maps)"),
                probe("flag: !!bool maybe", "g.yaml:5: 'maybe' is not a valid !!bool value"),
                probe("count: !!int abc", "g.yaml:5: 'abc' is not a valid !!int value"),
                probe("text: !!null x", "g.yaml:5: 'x' is not a valid !!null value"),
                // Durations: a bare number in mgmt's unit or a Go duration, never negative.
                probe("meta: {delay: -1}", "g.yaml:5: probe[p]: bad value for 'meta.delay': must not be negative, was '-1'"),
                probe("meta: {timeout: -1s}", "g.yaml:5: probe[p]: bad value for 'meta.timeout': must not be negative, was '-1s'"),
                probe("meta: {poll: soon}", "g.yaml:5: probe[p]: bad value for 'meta.poll': 'soon' is not a duration: "
                        + "write a number of seconds or a number with a unit, as in 500ms, 10s, 2m or 1h30m"),
                probe("meta: {delay: [1]}", "g.yaml:5: probe[p]: bad value for 'meta.delay': expected a duration, "
                        + "such as 500ms or 10s, found a list"),
                // Duplicate keys, at every level, name both lines.
                probe("text: one\ntext: two", "g.yaml:6: probe[p]: duplicate key 'text' (first on line 5); give each key once"),
                probe("meta:\n  retry: 1\n  retry: 2", "g.yaml:7: probe[p]: duplicate key 'retry' (first on line 6); give each key once"),
                text("graph: g\ngraph: h\n", "g.yaml:2: duplicate key 'graph' (first on line 1); give each key once"),
                text("graph: g\nresources:\n  probe: []\n  probe: []\n",
                        "g.yaml:4: resources: duplicate key 'probe' (first on line 3); give each key once"),
                text(HEAD + "edges:\n- name: e\n  name: f\n  from: {kind: probe, name: p}\n  to: {kind: probe, name: p}\n",
                        "g.yaml:7: edge 'e': duplicate key 'name' (first on line 6); give each key once"),
                // Aliases.
                probe("text: *motd", "g.yaml:5: alias *motd refers to no anchor: define &motd before it is used"),
                probe("items: &r [a, *r]", "g.yaml:5: an alias refers to a value that contains it (an endless value)"),
                probe("<<: 5", "g.yaml:5: probe[p]: << (a merge key) takes a map or a list of maps, such as *base or [*a, *b]"),
                probe("<<: {text: a}\n<<: {text: b}", "g.yaml:6: probe[p]: duplicate key '<<' (first on line 5); "
                        + "merge several maps with one << and a list, such as <<: [*a, *b]"),
                // A name that is not text is said so (not "has no name").
                text("graph: g\nresources:\n  probe:\n  - name: [a]\n  - name: {a: b}\n",
                        "g.yaml:4: probe: name: must be text, found a list", "g.yaml:5: probe: name: must be text, found a map"),
                // A required parameter given as nothing names itself (was just "timer[t]: interval").
                text("graph: g\nresources:\n  timer:\n  - name: t\n    interval: ~\n",
                        "g.yaml:5: timer[t]: interval: expected a value, found nothing"),
                // The top level.
                text("graph: g\nremote: [ssh://host]\n", "g.yaml:2: remote: must be text"),
                text("graph: g\nresources:\n  probe:\n  - text: x\n", "g.yaml:4: probe: resource has no name"),
                text("- a\n", "g.yaml:1: the graph must be a map with keys collect, comment, edges, graph, remote, resources"),
                text("", "g.yaml: the graph file is empty"),
                text("graph: [\n", "g.yaml:2: not valid YAML: expected the node content, but found '<stream end>' (while parsing a flow node)"),
                text("graph: g\n---\ngraph: h\n", "g.yaml:2: more than one YAML document (a second ---): a graph file holds one graph"),
                // Every problem of one resource, each at its own line, meta's too.
                probe("count: x\nflag: maybe\ncolour: red\nmeta:\n  retry: x\n  delay: y\n  bogus: 1",
                        "g.yaml:5: probe[p]: bad value for 'count': expected a whole number, found 'x'",
                        "g.yaml:6: probe[p]: bad value for 'flag': expected true or false, found 'maybe'",
                        "g.yaml:7: probe[p]: unknown key 'colour' (known keys: count, flag, items, meta, name, ratio, text)",
                        "g.yaml:9: probe[p]: bad value for 'meta.retry': expected a whole number, found 'x'",
                        "g.yaml:10: probe[p]: bad value for 'meta.delay': expected a duration, such as 500ms or 10s, found 'y'",
                        "g.yaml:11: probe[p]: unknown key 'meta.bogus' (known keys: autoedge, autogroup, burst, delay, "
                                + "limit, noop, poll, realize, retry, reverse, rewatch, sema, timeout)"),
                // ... but not what follows from one: a required value dropped for its problem is not "missing".
                text("graph: g\nresources:\n  timer:\n  - name: t\n    interval: soon\n    bogus: 1\n",
                        "g.yaml:5: timer[t]: bad value for 'interval': 'soon' is not a duration: write a number of "
                                + "seconds or a number with a unit, as in 500ms, 10s, 2m or 1h30m",
                        "g.yaml:6: timer[t]: unknown key 'bogus' (known keys: interval, meta, name)"),
                // A key before << that the merge sets otherwise: YAML and mgmt's yaml.v2 disagree.
                probe("text: a\n<<: {text: b, count: 2}", "g.yaml:5: probe[p]: text: 'a' here but 'b' from the << on "
                        + "line 6: YAML takes 'a' (the map's own key wins), mgmt's Go YAML takes 'b' (it applies keys in "
                        + "order); put << first to mean 'a', or remove this key to mean 'b'"),
                probe("meta:\n  retry: 3\n  <<: {retry: 4}", "g.yaml:6: probe[p]: retry: '3' here but '4' from the << "
                        + "on line 7: YAML takes '3' (the map's own key wins), mgmt's Go YAML takes '4' (it applies keys "
                        + "in order); put << first to mean '3', or remove this key to mean '4'"),
                // Values said as written, never as Java prints them.
                probe("meta: {limit: -1}", "g.yaml:5: probe[p]: bad value for 'meta.limit': must be a positive rate "
                        + "in events per second (0 or .inf for no limit), was '-1'"),
                probe("meta: {limit: -.inf}", "g.yaml:5: probe[p]: bad value for 'meta.limit': must be a positive rate "
                        + "in events per second (0 or .inf for no limit), was '-.inf'"),
                text(HEAD + "edges:\n- from: {kind: probe, name: p}\n  to: {kind: probe, name: p}\n  notify: 1\n",
                        "g.yaml:8: edge #1: notify: expected true or false, found '1'"),
                // msg's own journal fields are not the user's.
                text("graph: g\nresources:\n  msg:\n  - name: m\n    journal: true\n    fields:\n      A: x\n"
                        + "      PRIORITY: x\n", "g.yaml:6: msg[m]: fields: 'PRIORITY' is set by msg itself (MESSAGE from "
                        + "body, PRIORITY from priority, SYSLOG_IDENTIFIER is mgmt); give your field another name"),
                // Nothing, tabs and a second document in plain words.
                text("---\n", "g.yaml: the graph file is empty"),
                text("# only a comment\n\n", "g.yaml: the graph file is empty"),
                text("graph:\tg\n", "g.yaml:1: a tab after ':': YAML (and mgmt) allow only spaces there; use a space"),
                text("graph: g\nresources:\n\tprobe: []\n", "g.yaml:3: a tab in the indentation: YAML indents with spaces only"),
                text("graph: g\n...\nmore: text\n", "g.yaml:3: text after the end of the document ('...'): a graph "
                        + "file holds one graph; remove what follows '...'"),
                // Every problem at once, by line.
                text(HEAD + "    count: x\n  - name: q\n    colour: red\nbogus: 1\n",
                        "g.yaml:5: probe[p]: bad value for 'count': expected a whole number, found 'x'",
                        "g.yaml:7: probe[q]: unknown key 'colour' (known keys: count, flag, items, meta, name, ratio, text)",
                        "g.yaml:8: graph: unknown key 'bogus' (known keys: collect, comment, edges, graph, remote, resources)"));
    }

    private static Arguments probe(String params, String... problems) {
        return text(HEAD + params.indent(4), problems);
    }

    private static Arguments text(String yaml, String... problems) {
        return Arguments.of(yaml, List.of(problems));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void isRefusedWithExactlyTheseProblems(String yaml, List<String> expected) {
        assertThat(problems(yaml)).isEqualTo(expected);
    }

    private static List<String> problems(String yaml) {
        try {
            YamlGraph.parse(yaml, "g.yaml", YamlValuesTest.CODEC);
        } catch (YamlGraphException e) {
            return e.problems().stream().map(Object::toString).toList();
        }
        return List.of();
    }

    @Test
    void theProblemsOfOneResourceAreCapped() {
        StringBuilder keys = new StringBuilder();
        // 50 a resource, as docs/cli.md says; then one line says there are more.
        for (int i = 0; i < 60; i++) {
            keys.append("bad").append(i).append(": 1\n");
        }
        List<String> found = problems(HEAD + keys.toString().indent(4));
        assertThat(found).hasSize(51);
        assertThat(found.get(0)).startsWith("g.yaml:4: probe[p]: more than 50 problems");
        assertThat(found.get(1)).startsWith("g.yaml:5: probe[p]: unknown key 'bad0'");
    }

    @Test
    void aliasBombsAreStopped() {
        StringBuilder many = new StringBuilder("graph: g\ncomment: &a [x, x, x, x, x, x, x, x, x, x]\nresources:\n");
        String prior = "a";
        for (int level = 0; level < 9; level++) {
            String name = "l" + level;
            many.append("  ").append(name).append(": &").append(name).append(" [")
                    .append(String.join(", ", java.util.Collections.nCopies(10, "*" + prior))).append("]\n");
            prior = name;
        }
        assertThat(problems(many.toString())).containsExactly(
                "g.yaml:1: aliases expand this file to more than 1000000 values; write the values out, or alias less deeply");
        StringBuilder wide = new StringBuilder("graph: g\ncomment: &a [x]\nresources: [");
        wide.append(String.join(", ", java.util.Collections.nCopies(YamlGraph.MAX_ALIASES + 1, "*a"))).append("]\n");
        assertThat(problems(wide.toString())).containsExactly("g.yaml: more than 100 aliases to lists or maps "
                + "(a limit against alias bombs); write the values out");
    }

    @Test
    void nestingAndSizeHaveLimits() {
        String deep = "graph: g\ncomment: " + "[".repeat(YamlGraph.MAX_DEPTH + 1) + "]".repeat(YamlGraph.MAX_DEPTH + 1) + "\n";
        assertThat(problems(deep)).containsExactly("g.yaml: values nested more than 64 deep");
        String big = "graph: g\ncomment: '" + "x".repeat(YamlGraph.MAX_CHARACTERS) + "'\n";
        assertThat(problems(big)).containsExactly(
                "g.yaml: the graph file is too large: a graph file may have at most 8388608 characters (8 MiB)");
    }

    @Test
    void aFileThatIsNotUtf8NamesTheByteAndLine(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("latin1.yaml");
        Files.write(f, "graph: g\nresources:\n  probe:\n  - name: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        try {
            YamlGraph.read(f, YamlValuesTest.CODEC);
            throw new AssertionError("expected a YamlGraphException");
        } catch (YamlGraphException e) {
            assertThat(e.problems()).extracting(Object::toString)
                    .containsExactly(f + ":4: not UTF-8 text (byte 0xE9 on line 4); save the file as UTF-8");
        }
    }

    @Test
    void thePartialGraphHoldsWhatDidRead() {
        try {
            YamlGraph.parse(HEAD + "    count: x\n  - name: q\nedges:\n- from: {kind: probe, name: p}\n"
                    + "  to: {kind: probe, name: q}\n", "g.yaml", YamlValuesTest.CODEC);
            throw new AssertionError("expected a YamlGraphException");
        } catch (YamlGraphException e) {
            assertThat(e.problems()).hasSize(1);
            YamlGraph partial = e.partial().orElseThrow();
            assertThat(partial.graph().resources()).extracting(r -> r.id().toString()).containsExactly("probe[q]");
            assertThat(partial.graph().edges()).as("the edge from the resource at fault is left out").isEmpty();
        }
    }
}
