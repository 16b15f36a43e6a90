package dev.mgmt.resources.linux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.api.Resource;
import dev.mgmt.api.ResourceKind;
import dev.mgmt.api.codec.ParamsReader;
import dev.mgmt.api.codec.ResourceCodec;
import dev.mgmt.api.codec.ResourceRegistry;
import dev.mgmt.api.yaml.YamlGraph;
import dev.mgmt.api.yaml.YamlGraphException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * mgmt's own kinds read their YAML parameters themselves ({@link ParamsReader}) so that a run
 * does not start Jackson; users' kinds, and the cluster's JSON, still go through Jackson. This
 * reads the same documents both ways and requires the same outcome: the same resources, or the
 * same problems with the same lines and words. Every key of every kind gets every value of a
 * corpus meant to trip a reader (each YAML 1.1 type, other bases, quoted look-alikes, lists, maps,
 * nothing), meta's keys likewise, and random documents with several bad keys at once exercise
 * the reader's search for every problem.
 */
class ParamsReaderParityTest {

    /** Values as a user could write them after {@code key: }, in flow style. */
    static final List<String> CORPUS = List.of("x", "'x'", "\"x y\"", "0644", "0", "1", "-1", "5", "1.5", "-1.5", "1e3",
            "1.0", "0x1f", "0b11", "1_000", "1:30", ".inf", "-.inf", ".nan", "true", "false", "yes", "no", "on", "off",
            "y", "n", "Y", "'yes'", "'true'", "\"5\"", "''", "\"\"", "~", "null", "", "[]", "[a]", "[a, b]", "[1, 2]",
            "[200]", "[a, ~]", "[[a]]", "[{a: b}]", "{}", "{a: b}", "{a: ~}", "{a: 1}", "{a: [b]}", "{a: 0644}", "10s",
            "500ms", "1m30s", "-5s", "1.5s", "'10s'", "99999999999", "9999999999999999999999", "2147483648",
            "-2147483649", "present", "absent", "exists", "auto", "apt", "packagekit", "running", "stopped",
            "enabled", "2001-12-14", "!!str 5", "!!binary aGk=", "'0'", "' 0 '", "'present'", "/tmp/x", "'a: b'",
            "1e999", "+5", "007", "0.5", "-0", "[1.5]", "[yes]", "[0644]", "{1: 2}", "{a: yes}", "{a: [1]}",
            // Floats by YAML 1.1's tag that are no decimal: each reader asks or refuses them differently.
            "1_000.5", "1:30.5", "._5", "1_0e3", "[200, 1_0.5]", "|\n      block\n", ">-\n      folded");

    static final List<String> META_KEYS = List.of("noop", "retry", "delay", "poll", "limit", "burst", "sema", "autoedge",
            "autogroup", "rewatch", "reverse", "timeout", "realize");

    private final ResourceCodec ours = ResourceCodec.standard();
    private final ResourceCodec jackson = new ResourceCodec(ResourceRegistry.of(ours.registry().kinds().stream()
            .map(k -> new ByJackson<>(ours.registry().kind(k).orElseThrow())).toArray(ResourceKind[]::new)));

    @Test
    void everyBuiltInKindReadsItsOwnParameters() {
        assertThat(readers()).containsExactlyInAnyOrder("exec", "file", "group", "hostname", "http:ready", "kv",
                "line", "msg", "noop", "pkg", "svc", "timer", "user");
    }

    @Test
    void theKeysAreJacksons() {
        for (String kind : readers()) {
            assertThat(ours.keys(kind)).as(kind).isEqualTo(jackson.keys(kind));
        }
    }

    @Test
    void everyKeyReadsEveryValueAsJacksonDoes() {
        int compared = 0;
        for (String kind : readers()) {
            for (String key : ours.keys(kind).orElseThrow()) {
                if (key.equals("meta")) {
                    continue;
                }
                for (String value : CORPUS) {
                    same(kind, List.of(key + ": " + value));
                    compared++;
                }
            }
        }
        assertThat(compared).isGreaterThan(5_000);
    }

    @Test
    void metaReadsEveryValueAsJacksonDoes() {
        for (String value : CORPUS) {
            same("file", List.of("path: /tmp/x", "meta: " + value));
            for (String key : META_KEYS) {
                same("noop", List.of("meta: {" + key + ": " + value + "}"));
            }
        }
        same("noop", List.of("meta: {nope: 1}"));
        same("noop", List.of("meta: {retry: 1, limit: -1, sema: [a, ~]}"));
    }

    @Test
    void documentsWithSeveralProblemsSayTheSame() {
        Random random = new Random(18);
        List<String> kinds = new ArrayList<>(readers());
        for (int i = 0; i < 3_000; i++) {
            String kind = kinds.get(random.nextInt(kinds.size()));
            List<String> keys = new ArrayList<>(ours.keys(kind).orElseThrow());
            keys.remove("name");
            keys.add("unknown" + random.nextInt(3));
            List<String> lines = new ArrayList<>();
            Set<String> used = new TreeSet<>();
            for (int n = 1 + random.nextInt(4); n > 0; n--) {
                String key = keys.get(random.nextInt(keys.size()));
                if (used.add(key)) {
                    lines.add(key + ": " + (key.equals("meta")
                            ? "{" + META_KEYS.get(random.nextInt(META_KEYS.size())) + ": " + CORPUS.get(random.nextInt(CORPUS.size())) + "}"
                            : CORPUS.get(random.nextInt(CORPUS.size()))));
                }
            }
            same(kind, lines);
        }
    }

    private final List<String> mismatches = new ArrayList<>();

    @org.junit.jupiter.api.AfterEach
    void noMismatch() {
        assertThat(mismatches.size()).as(String.join("\n", mismatches.subList(0, Math.min(40, mismatches.size()))))
                .isZero();
    }

    private Set<String> readers() {
        Set<String> out = new TreeSet<>();
        for (String k : ours.registry().kinds()) {
            if (ours.registry().kind(k).orElseThrow() instanceof ParamsReader<?>) {
                out.add(k);
            }
        }
        return out;
    }

    /** Reads one resource of {@code kind} with these lines both ways; the outcomes must match. */
    private void same(String kind, List<String> lines) {
        StringBuilder doc = new StringBuilder("resources:\n  " + kind + ":\n  - name: r\n");
        boolean interval = lines.stream().anyMatch(l -> l.startsWith("interval:"));
        if (kind.equals("timer") && !interval) {
            doc.append("    interval: 1\n");
        }
        for (String l : lines) {
            doc.append("    ").append(l).append('\n');
        }
        String text = doc.toString();
        String a = outcome(text, ours);
        String b = outcome(text, jackson);
        if (!a.equals(b)) {
            mismatches.add(text + "  ours:    " + a + "\n  jackson: " + b);
        }
    }

    private static String outcome(String text, ResourceCodec codec) {
        try {
            List<Resource> rs = YamlGraph.parse(text, "parity.yaml", codec).graph().resources();
            return "resources " + rs + " " + rs.stream().map(Object::hashCode).toList() + " equal to themselves: "
                    + rs.stream().allMatch(r -> r.equals(r));
        } catch (YamlGraphException e) {
            return e.problems().toString();
        }
    }

    /** The kind without its own reader: Jackson decodes it. */
    private record ByJackson<R extends Resource>(ResourceKind<R> of) implements ResourceKind<R> {
        @Override
        public String kind() {
            return of.kind();
        }

        @Override
        public Class<R> type() {
            return of.type();
        }

        @Override
        public Set<String> emptyKeysAccepted() {
            return of.emptyKeysAccepted();
        }
    }
}
