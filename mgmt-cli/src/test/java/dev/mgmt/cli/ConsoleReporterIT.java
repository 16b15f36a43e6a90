package dev.mgmt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.api.EngineEvent;
import dev.mgmt.api.ResourceId;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** In-process: the lines of an engine that follows a stream of graphs (this module has only ITs). */
class ConsoleReporterIT {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final ConsoleReporter reporter = new ConsoleReporter(
            new Console(new PrintStream(bytes, true, StandardCharsets.UTF_8), Terminal.PLAIN));

    @Test
    void aRejectedGraphAndAFailedStreamAreEachSaid() {
        String nl = System.lineSeparator();
        reporter.on(new EngineEvent.GraphRejected(Instant.EPOCH, "web",
                List.of("file[x]: path: must be absolute", "exec[y]: cmd: empty")));
        reporter.on(new EngineEvent.GraphRejected(Instant.EPOCH, "", List.of("file[x]: path: must be absolute")));
        reporter.on(new EngineEvent.GraphStreamFailed(Instant.EPOCH, "store unreachable"));
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo(
                "graph 'web' rejected; what ran before keeps running:" + nl
                        + "  file[x]: path: must be absolute" + nl
                        + "  exec[y]: cmd: empty" + nl
                        + "a graph rejected; what ran before keeps running:" + nl
                        + "  file[x]: path: must be absolute" + nl
                        + "the stream of graphs failed; the last graph keeps running: store unreachable" + nl);
    }

    @Test
    void aValueReceivedIsSaidWithoutTheValue() {
        reporter.on(new EngineEvent.Received(Instant.EPOCH, ResourceId.of("file", "out"), "content",
                ResourceId.of("exec", "gen"), "stdout"));
        assertThat(bytes.toString(StandardCharsets.UTF_8))
                .isEqualTo("file[out]: received content from exec[gen].stdout" + System.lineSeparator());
    }
}
