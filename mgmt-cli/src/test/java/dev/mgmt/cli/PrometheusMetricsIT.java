package dev.mgmt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15: {@code /metrics} of a real {@code mgmt run --prometheus} process, in Prometheus's
 * text format, while a file drifts and is repaired and while a resource fails.
 */
class PrometheusMetricsIT {

    /** One sample line: {@code name{label="value",...} value}. */
    private static final Pattern SAMPLE = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{((?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\]|\\\\.)*\",?)*)})? (\\S+)(?: -?\\d+)?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    @TempDir
    Path dir;

    @Test
    void aDriftIsCountedAsOneApplyAndOneRepair() throws Exception {
        Path f = dir.resolve("f");
        Path graph = Files.writeString(dir.resolve("g.yaml"), """
                graph: one-file
                resources:
                  file:
                  - name: f
                    path: %s
                    content: x
                """.formatted(f));
        try (MgmtProcess mgmt = run(graph, "--prometheus-listen", "127.0.0.1:0")) {
            String base = StatusServerIT.base(mgmt);
            String metrics = base + "/metrics";
            StatusServerIT.await(mgmt, base + "/health", r -> r.statusCode() == 200);
            // The state gauges are sampled up to a second apart, and an echo of the write can make the
            // vertex pending for a moment: wait for the reading that has it clean.
            List<Sample> before = awaitScrape(mgmt, metrics, "converged and clean in the metrics",
                    now -> value(now, "mgmt_converged", Map.of()) == 1.0
                            && value(now, "mgmt_vertices", Map.of("state", "clean")) == 1.0);
            assertThat(value(before, "mgmt_checks_total", Map.of("kind", "file"))).isPositive();
            assertThat(value(before, "mgmt_applies_total", Map.of("kind", "file"))).isEqualTo(1.0);
            assertThat(value(before, "mgmt_resources", Map.of())).isEqualTo(1.0);
            double repairs = value(before, "mgmt_drift_repair_seconds_count", Map.of("kind", "file"));

            Files.writeString(f, "drifted");
            mgmt.await("the drift repaired and counted", () -> {
                List<Sample> now = scrape(metrics);
                return value(now, "mgmt_applies_total", Map.of("kind", "file")) == 2.0
                        && value(now, "mgmt_drift_repair_seconds_count", Map.of("kind", "file")) == repairs + 1;
            });
            assertThat(f).hasContent("x");
            List<Sample> after = scrape(metrics);
            assertThat(value(after, "mgmt_checks_total", Map.of("kind", "file")))
                    .isGreaterThan(value(before, "mgmt_checks_total", Map.of("kind", "file")));
            assertThat(value(after, "mgmt_drift_repair_seconds_sum", Map.of("kind", "file"))).isPositive();
            assertThat(value(after, "mgmt_failures_total", Map.of("kind", "file"))).isZero();
            // Checks are counted and totalled, without buckets unless asked (the next test).
            assertThat(value(after, "mgmt_check_duration_seconds_count", Map.of("kind", "file")))
                    .isEqualTo(value(after, "mgmt_checks_total", Map.of("kind", "file")));
            assertThat(value(after, "mgmt_check_duration_seconds_sum", Map.of("kind", "file"))).isPositive();
            assertThat(after).noneMatch(x -> x.name().equals("mgmt_check_duration_seconds_bucket"));
            assertThat(after).anyMatch(x -> x.name().equals("mgmt_apply_duration_seconds_bucket"));
            assertThat(mgmt.terminate()).isEqualTo(0);
        }
    }

    @Test
    void checkDurationsHaveBucketsWhenAsked() throws Exception {
        Path graph = Files.writeString(dir.resolve("g.yaml"), """
                graph: one-file
                resources:
                  file:
                  - name: f
                    path: %s
                    content: x
                """.formatted(dir.resolve("f")));
        // The flag alone turns the listener on, at mgmt's default address: ask for any port.
        try (MgmtProcess mgmt = run(graph, "--prometheus-check-histogram", "--prometheus-listen", "127.0.0.1:0")) {
            String metrics = StatusServerIT.base(mgmt) + "/metrics";
            // Converged alone may be read before the graph's first checks (as in the test above). The
            // count and the histogram are two meters, and a scrape is no snapshot of both: one taken
            // during a check (the echo of the file's own write starts one) may find one ahead of the other.
            List<Sample> now = awaitScrape(mgmt, metrics, "converged, the file clean and checked, and as many "
                            + "checks in the histogram's +Inf bucket as counted",
                    m -> value(m, "mgmt_converged", Map.of()) == 1.0
                            && value(m, "mgmt_vertices", Map.of("state", "clean")) == 1.0
                            && value(m, "mgmt_checks_total", Map.of("kind", "file")) > 0
                            && value(m, "mgmt_check_duration_seconds_bucket", Map.of("kind", "file", "le", "+Inf"))
                                    == value(m, "mgmt_checks_total", Map.of("kind", "file")));
            double checks = value(now, "mgmt_checks_total", Map.of("kind", "file"));
            assertThat(value(now, "mgmt_check_duration_seconds_count", Map.of("kind", "file"))).isEqualTo(checks);
            assertThat(mgmt.terminate()).isEqualTo(0);
        }
    }

    @Test
    void aFailingResourceMovesTheFailuresAndConvergedSaysSo() throws Exception {
        Path trigger = Files.writeString(dir.resolve("trigger"), "");
        Path graph = Files.writeString(dir.resolve("g.yaml"), """
                graph: fails
                resources:
                  exec:
                  - name: boom
                    cmd: test -e %1$s/ok
                    shell: /bin/sh
                    watchcmd: tail -n0 -F %2$s
                    watchshell: /bin/sh
                """.formatted(dir, trigger));
        try (MgmtProcess mgmt = run(graph, "--prometheus-listen", "127.0.0.1:0")) {
            String metrics = StatusServerIT.base(mgmt) + "/metrics";
            mgmt.await("the failure counted", () -> {
                List<Sample> now = scrape(metrics);
                return value(now, "mgmt_failures_total", Map.of("kind", "exec", "phase", "apply")) == 1.0
                        && value(now, "mgmt_vertices", Map.of("state", "failed")) == 1.0;
            });
            // converged with a failure: settled, and /health says failed
            mgmt.await("converged", () -> value(scrape(metrics), "mgmt_converged", Map.of()) == 1.0);

            Files.writeString(trigger, "again\n", StandardOpenOption.APPEND);
            mgmt.await("the second failure counted", () -> value(scrape(metrics), "mgmt_failures_total",
                    Map.of("kind", "exec", "phase", "apply")) == 2.0);

            Files.writeString(dir.resolve("ok"), "");
            Files.writeString(trigger, "fixed\n", StandardOpenOption.APPEND);
            mgmt.await("the repair counted", () -> {
                List<Sample> now = scrape(metrics);
                return value(now, "mgmt_applies_total", Map.of("kind", "exec")) >= 1.0
                        && value(now, "mgmt_vertices", Map.of("state", "failed")) == 0.0
                        && value(now, "mgmt_converged", Map.of()) == 1.0;
            });
            assertThat(value(scrape(metrics), "mgmt_failures_total", Map.of("kind", "exec"))).isEqualTo(2.0);
            assertThat(mgmt.terminate()).isEqualTo(0);
        }
    }

    @Test
    void whileARunIsUnderWayConvergedIsZero() throws Exception {
        Path graph = Files.writeString(dir.resolve("g.yaml"), """
                graph: slow
                resources:
                  exec:
                  - name: nap
                    cmd: sleep 120
                """);
        try (MgmtProcess mgmt = run(graph, "--prometheus-listen", "127.0.0.1:0")) {
            String metrics = StatusServerIT.base(mgmt) + "/metrics";
            mgmt.await("the apply running", () -> mgmt.stdout().contains("1 running"));
            List<ProcessHandle> children = mgmt.handle().descendants().toList();
            try {
                mgmt.await("running and not converged in the metrics", () -> {
                    List<Sample> now = scrape(metrics);
                    return value(now, "mgmt_vertices", Map.of("state", "running")) == 1.0
                            && value(now, "mgmt_converged", Map.of()) == 0.0;
                });
            } finally {
                children.forEach(ProcessHandle::destroyForcibly);
                mgmt.kill();
            }
        }
    }

    /** A sample of the text format. */
    record Sample(String name, Map<String, String> labels, double value) {
    }

    /** Scrapes {@code url}; every line is a comment or a sample, or the test fails. */
    /** Scrapes until {@code until} holds; that scrape. */
    static List<Sample> awaitScrape(MgmtProcess mgmt, String url, String what,
                                    java.util.function.Predicate<List<Sample>> until) throws InterruptedException {
        List<List<Sample>> last = new ArrayList<>(List.of(List.of()));
        mgmt.await(what, () -> {
            last.set(0, scrape(url));
            return until.test(last.get(0));
        });
        return last.get(0);
    }

    static List<Sample> scrape(String url) {
        String text = StatusServerIT.get(url).body();
        List<Sample> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            assertThat(m.matches()).as("a sample line: %s", line).isTrue();
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(2) != null) {
                Matcher l = LABEL.matcher(m.group(2));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2));
                }
            }
            out.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(3))));
        }
        return out;
    }

    /** The sum of the samples named {@code name} whose labels include {@code with}; 0 when none. */
    static double value(List<Sample> samples, String name, Map<String, String> with) {
        return samples.stream().filter(s -> s.name().equals(name))
                .filter(s -> s.labels().entrySet().containsAll(with.entrySet()))
                .mapToDouble(Sample::value).sum();
    }

    private MgmtProcess run(Path graph, String... flags) throws IOException {
        List<String> args = new ArrayList<>(List.of("run", "--yaml", graph.toString(), "--state-dir",
                dir.resolve("state").toString()));
        args.addAll(List.of(flags));
        return MgmtProcess.start(args.toArray(String[]::new));
    }
}
