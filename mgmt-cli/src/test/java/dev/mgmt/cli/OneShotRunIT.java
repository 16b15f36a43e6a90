package dev.mgmt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A one-shot run ({@code --converged-timeout 0}) applies the graph file as it read it and does
 * not watch it: an edit made while it runs is for the next run. Any other timeout follows the
 * edit, which shows that the edit below lands while the run is still converging. Nor does it
 * watch its resources: an exec's {@code watchcmd} never starts (a run without the timeout starts
 * the same one).
 */
class OneShotRunIT {

    @TempDir
    Path dir;

    @Test
    void aOneShotRunDoesNotFollowAnEditMadeWhileItRuns() throws Exception {
        assertThat(editWhileRunning("0", "one-shot")).as("the edit's file").doesNotExist();
    }

    @Test
    void aRunWithATimeoutFollowsTheSameEdit() throws Exception {
        assertThat(editWhileRunning("1", "followed")).as("the edit's file").hasContent("edited\n");
    }

    @Test
    void aOneShotRunStartsNoResourceWatch() throws Exception {
        Path watching = dir.resolve("one-shot.watching");
        Path ran = dir.resolve("one-shot.ran");
        try (MgmtProcess mgmt = MgmtProcess.start("run", "--yaml", watchedExec("one-shot", watching, ran).toString(),
                "--converged-timeout", "0")) {
            assertThat(mgmt.waitFor()).as("%s\n%s", mgmt.stdout(), mgmt.stderr()).isZero();
        }
        assertThat(ran).as("the exec's command").exists();
        assertThat(watching).as("the watch command's file").doesNotExist();
    }

    @Test
    void aRunWithoutTheTimeoutStartsTheSameWatch() throws Exception {
        Path watching = dir.resolve("agent.watching");
        Path ran = dir.resolve("agent.ran");
        try (MgmtProcess mgmt = MgmtProcess.start("run", "--yaml", watchedExec("agent", watching, ran).toString())) {
            mgmt.await("the watch command to start", () -> Files.exists(watching));
            mgmt.await("the exec's command to run", () -> Files.exists(ran));
            // A clean stop ends the watch command too (a kill would leave its sleep behind).
            assertThat(mgmt.terminate()).as("%s\n%s", mgmt.stdout(), mgmt.stderr()).isZero();
        }
    }

    /**
     * A graph of one exec whose watch command makes {@code watching} and whose command makes
     * {@code ran} after waiting up to 2 s for {@code watching}: where the watch starts, the
     * command always finds its file, so a one-shot run that started it could not pass.
     */
    private Path watchedExec(String name, Path watching, Path ran) throws Exception {
        Path yaml = dir.resolve(name + ".yaml");
        Files.writeString(yaml, """
                graph: %s
                resources:
                  exec:
                  - name: watched
                    cmd: "i=0; while [ ! -e %s ] && [ $i -lt 20 ]; do sleep 0.1; i=$((i+1)); done; touch %s"
                    shell: /bin/sh
                    watchcmd: "touch %s; exec sleep 120"
                    watchshell: /bin/sh
                """.formatted(name, watching, ran, watching));
        return yaml;
    }

    /** Runs a graph whose one command takes 3 s, adds a file to it once the command has begun; that file. */
    private Path editWhileRunning(String convergedTimeout, String name) throws Exception {
        Path started = dir.resolve(name + ".started");
        Path done = dir.resolve(name + ".done");
        Path edited = dir.resolve(name + ".edited");
        Path yaml = dir.resolve(name + ".yaml");
        String exec = """
                graph: %s
                resources:
                  exec:
                  - name: slow
                    cmd: "touch %s; sleep 3; touch %s"
                    shell: /bin/sh
                    creates: %s
                """.formatted(name, started, done, done);
        Files.writeString(yaml, exec);
        try (MgmtProcess mgmt = MgmtProcess.start("run", "--yaml", yaml.toString(),
                "--converged-timeout", convergedTimeout)) {
            mgmt.await("the command to begin", () -> Files.exists(started));
            Files.writeString(yaml, exec + """
                      file:
                      - name: edited
                        path: %s
                        content: "edited\\n"
                    """.formatted(edited));
            assertThat(mgmt.waitFor()).as("%s\n%s", mgmt.stdout(), mgmt.stderr()).isZero();
            assertThat(done).exists();
        }
        return edited;
    }
}
