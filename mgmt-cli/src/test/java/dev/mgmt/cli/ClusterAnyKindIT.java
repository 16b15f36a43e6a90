package dev.mgmt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13 with three real mgmt processes on loopback: they exchange {@code exec}, which each
 * host collects only because its collect says {@code trust: true} (and undoes, with
 * {@code reverse: true}, once withdrawn); an export directed at host b
 * ({@code meta.export: [b]}) runs on b and never on c; and once a withdraws it, b's engine
 * runs its reverse command as a vertex, logged as a reversal. Each command appends the PID of
 * the mgmt process that ran it ({@code $PPID}), so the files say which host ran what.
 */
class ClusterAnyKindIT {

    @TempDir
    Path dir;

    private String ring(String name, Path marker, String extra) {
        return "  - name: \"" + name + "\"\n"
                + "    shell: /bin/sh\n"
                + "    cmd: echo $PPID >> " + marker + "\n"
                + extra;
    }

    private String graph(String h, boolean withDirected) {
        StringBuilder y = new StringBuilder("graph: " + h + "\nresources:\n  exec:\n");
        y.append(ring("@@ring-" + h, dir.resolve("all-" + h), ""));
        if (withDirected) {
            y.append(ring("for-b", dir.resolve("for-b"),
                    "    reversecmd: echo $PPID >> " + dir.resolve("undone-b") + "\n"
                            + "    meta:\n      export: [b]\n"));
        }
        return y.append("collect:\n- kind: exec\n  pattern: \"\"\n  trust: true\n  reverse: true\n").toString();
    }

    private MgmtProcess host(String h, Path yaml, int port, Integer seed) throws IOException {
        List<String> args = new java.util.ArrayList<>(List.of("run", "-v", "--yaml", yaml.toString(), "--hostname", h,
                "--listen", "127.0.0.1:" + port, "--state-dir", dir.resolve("state").toString()));
        if (seed != null) {
            args.addAll(List.of("--seeds", "127.0.0.1:" + seed));
        }
        return MgmtProcess.start(List.of(), args);
    }

    /** The PIDs written to {@code f}, one a line, as host names. */
    private static List<String> ranOn(Path f, Map<Long, String> hosts) {
        try {
            return Files.readAllLines(f).stream().map(l -> hosts.getOrDefault(Long.parseLong(l.trim()), "?" + l))
                    .sorted().toList();
        } catch (IOException | NumberFormatException e) {
            return List.of();
        }
    }

    @Test
    void threeHostsExchangeExecADirectedExportReachesOnlyBAndAWithdrawalIsReversedByTheEngine() throws Exception {
        Path ya = Files.writeString(dir.resolve("a.yaml"), graph("a", true));
        Path yb = Files.writeString(dir.resolve("b.yaml"), graph("b", false));
        Path yc = Files.writeString(dir.resolve("c.yaml"), graph("c", false));
        int pa = ClusterSecurityIT.freePort();
        try (MgmtProcess ha = host("a", ya, pa, null)) {
            ha.await("a up", () -> ha.stdout().contains("converged after"));
            try (MgmtProcess hb = host("b", yb, ClusterSecurityIT.freePort(), pa);
                 MgmtProcess hc = host("c", yc, ClusterSecurityIT.freePort(), pa)) {
              try {
                Map<Long, String> hosts = Map.of(ha.handle().pid(), "a", hb.handle().pid(), "b", hc.handle().pid(), "c");
                // Each exported exec runs on its own host and on the two that collect it.
                for (String h : List.of("a", "b", "c")) {
                    Path f = dir.resolve("all-" + h);
                    ha.await("ring-" + h + " on every host", () -> ranOn(f, hosts).equals(List.of("a", "b", "c")));
                }
                // The directed one: on a (its own graph) and on b, never on c.
                ha.await("for-b on a and b", () -> ranOn(dir.resolve("for-b"), hosts).equals(List.of("a", "b")));
                hc.await("c converged with the others", () -> hc.stdout().contains("converged after"));
                assertThat(ranOn(dir.resolve("for-b"), hosts)).containsExactly("a", "b");
                assertThat(hc.stdout() + hc.stderr()).doesNotContain("exec[for-b]");

                // a withdraws for-b: b's engine undoes its copy with the reverse command.
                Files.writeString(ya, graph("a", false));
                hb.await("the reversal ran on b", () -> ranOn(dir.resolve("undone-b"), hosts).equals(List.of("b")));
                hb.await("the reversal logged on b", () -> hb.stderr().contains("exec[for-b]: reversed"));
                assertThat(hb.stderr()).contains("exec[for-b]: left the graph with meta.reverse; undoing it");
                // Nobody else undid anything: a never reversed its own (no meta.reverse), c never had it.
                assertThat(ranOn(dir.resolve("undone-b"), hosts)).containsExactly("b");
                hb.terminate();
                hc.terminate();
              } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\n--- a stderr:\n" + ha.stderr() + "\n--- b stdout:\n"
                        + hb.stdout() + "\n--- b stderr:\n" + hb.stderr() + "\n--- c stderr:\n" + hc.stderr(), e);
              }
            }
            ha.terminate();
        }
    }
}
