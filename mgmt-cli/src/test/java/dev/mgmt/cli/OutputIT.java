package dev.mgmt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, item 12, through the real CLI: counts in good English, the header and the summary
 * counting the same thing, a noop DOT that says what would change, plain output without an
 * escape byte when stdout is not a terminal, and colour with a live status line when it is.
 */
class OutputIT {

    private static final char ESC = '\u001b';

    @TempDir
    Path dir;

    @Test
    void oneResourceAndOneEdgeAreSingular() throws Exception {
        Path graph = Files.writeString(dir.resolve("g.yaml"), """
                graph: g
                resources:
                  noop:
                  - name: a
                  - name: b
                edges:
                - name: e
                  from: {kind: noop, name: a}
                  to: {kind: noop, name: b}
                """);
        try (MgmtProcess mgmt = run(graph, "--converged-timeout", "0")) {
            assertThat(mgmt.waitFor()).isZero();
            assertThat(mgmt.stdout()).contains(": 2 resources, 1 edge\n");
        }
        Files.writeString(graph, "graph: g\nresources:\n  noop:\n  - name: a\n");
        try (MgmtProcess mgmt = run(graph, "--converged-timeout", "0")) {
            assertThat(mgmt.waitFor()).isZero();
            assertThat(mgmt.stdout()).contains(": 1 resource, 0 edges\n", ": 1 resource, 0 applied, 0 failed, 0 blocked")
                    .doesNotContain("1 resources", "1 edges");
        }
    }

    @Test
    void theHeaderCountsTheEdgesTheEngineAdds() throws Exception {
        Path graph = Files.writeString(dir.resolve("auto.yaml"), """
                graph: g
                resources:
                  file:
                  - name: d
                    path: %1$s/d/
                  - name: f
                    path: %1$s/d/f
                    content: x
                """.formatted(dir));
        try (MgmtProcess mgmt = run(graph, "--noop", "--converged-timeout", "0")) {
            assertThat(mgmt.waitFor()).isZero();
            assertThat(mgmt.stdout()).contains(": 2 resources, 1 edge (1 automatic) (noop)\n");
        }
    }

    @Test
    void headerAndSummaryCountTheSameAndSayWhatGroupingMerged() throws Exception {
        Path graph = Files.writeString(dir.resolve("pkg.yaml"), """
                graph: pkgs
                resources:
                  pkg:
                  - name: bash
                    state: installed
                  - name: coreutils
                    state: installed
                """);
        try (MgmtProcess mgmt = run(graph, "--noop", "--converged-timeout", "0")) {
            mgmt.waitFor(); // the check needs a package manager; the counts do not
            assertThat(mgmt.stdout()).contains("graph 'pkgs' from " + graph + ": 2 resources (1 after grouping), 0 edges",
                    " after ", ": 2 resources (1 after grouping), ");
        }
    }

    @Test
    void theNoopDotColoursWhatWouldChangeApartFromClean() throws Exception {
        Path graph = Files.writeString(dir.resolve("g.yaml"), """
                graph: g
                resources:
                  file:
                  - name: f
                    path: %s/f
                    content: x
                  noop:
                  - name: n
                """.formatted(dir));
        Path dot = dir.resolve("g.dot");
        try (MgmtProcess mgmt = run(graph, "--noop", "--graphviz", dot.toString(), "--converged-timeout", "0")) {
            assertThat(mgmt.waitFor()).isZero();
        }
        assertThat(Files.readString(dot))
                .contains("\"file[f]\" [ label=\"file[f]\\nwould change\" style=\"filled\" fillcolor=\"yellow\" ]")
                .contains("\"noop[n]\" [ label=\"noop[n]\\nclean\" style=\"filled\" fillcolor=\"palegreen\" ]");
        assertThat(dir.resolve("f")).doesNotExist();
    }

    @Test
    void notATerminalMeansPlainLinesWithoutAnEscapeByteUnlessColourIsAskedFor() throws Exception {
        Path graph = slowGraph();
        try (MgmtProcess mgmt = run(graph, "--converged-timeout", "0")) {
            assertThat(mgmt.waitFor()).isZero();
            assertThat(mgmt.stdout()).doesNotContain(String.valueOf(ESC)).contains("/2 clean, 1 running, 0 pending",
                    "exec[nap]: applied in", "mgmt: done after");
            assertThat(mgmt.stderr()).doesNotContain(String.valueOf(ESC));
        }
        try (MgmtProcess mgmt = run(graph, "--converged-timeout", "0", "--color", "always")) {
            assertThat(mgmt.waitFor()).isZero();
            assertThat(mgmt.stdout()).contains(ESC + "[32mexec[nap]: applied in", ESC + "[0m")
                    .as("no live line off a terminal").doesNotContain("\r", "converging:");
        }
    }

    @Test
    void onATerminalColourAndOneStatusLineRedrawnInPlace() throws Exception {
        String out = underScript(List.of());
        assertThat(out).contains(ESC + "[32mexec[nap]: applied in", "\r" + ESC + "[2Kconverging: ", "/2 clean, 1 running")
                .doesNotContain("progress: ");
        String noColor = underScript(List.of("NO_COLOR=1"));
        assertThat(noColor).doesNotContain(ESC + "[32m", ESC + "[31m").contains("\r" + ESC + "[2Kconverging:");
    }

    /** {@code mgmt run} on a pseudo-terminal, through util-linux's {@code script}. */
    private String underScript(List<String> env) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "no /usr/bin/script for a pseudo-terminal");
        Path graph = slowGraph();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cmd = String.join(" ", env) + (env.isEmpty() ? "" : " ") + java
                + " --add-opens java.base/java.util.concurrent.atomic=ALL-UNNAMED -jar "
                + System.getProperty("mgmt.jar", "target/mgmt.jar") + " run --yaml " + graph + " --converged-timeout 0"
                + " --state-dir " + dir.resolve("state");
        Path typescript = dir.resolve("typescript");
        ProcessBuilder pb = new ProcessBuilder("/usr/bin/script", "-qefc", "env " + cmd, typescript.toString());
        pb.environment().remove("NO_COLOR");
        pb.environment().put("TERM", "xterm");
        pb.redirectInput(ProcessBuilder.Redirect.PIPE).redirectErrorStream(true)
                .redirectOutput(dir.resolve("script.out").toFile());
        Process p = pb.start();
        try {
            assertThat(p.waitFor(MgmtProcess.HANG.toSeconds(), TimeUnit.SECONDS)).as("script ended").isTrue();
            assertThat(p.exitValue()).as(Files.readString(typescript)).isZero();
        } finally {
            p.destroyForcibly();
        }
        return Files.readString(typescript);
    }

    /** An apply that takes long enough for the status line to be drawn. */
    private Path slowGraph() throws Exception {
        return Files.writeString(dir.resolve("slow.yaml"), """
                graph: slow
                resources:
                  noop:
                  - name: n
                  exec:
                  - name: nap
                    cmd: sleep 1.5
                """);
    }

    private MgmtProcess run(Path graph, String... flags) throws Exception {
        List<String> args = new ArrayList<>(List.of("run", "--yaml", graph.toString(),
                "--state-dir", dir.resolve("state").toString()));
        args.addAll(List.of(flags));
        return MgmtProcess.start(args.toArray(String[]::new));
    }
}
