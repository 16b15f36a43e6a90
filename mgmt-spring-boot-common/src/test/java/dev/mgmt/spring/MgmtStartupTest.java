package dev.mgmt.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.api.Graph;
import dev.mgmt.engine.Engine;
import dev.mgmt.resources.linux.FileResource;
import dev.mgmt.spring.internal.EngineHealth;
import dev.mgmt.spring.internal.MgmtFailureAnalyzer;
import dev.mgmt.test.FakeGate;
import dev.mgmt.test.Fakes;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import reactor.core.publisher.Sinks;

/** Health through a graph's life, the properties' checks and how a failed start is said. */
class MgmtStartupTest {

    private static final Duration CONVERGE = Duration.ofSeconds(30);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(MgmtAutoConfiguration.class));

    @TempDir
    Path dir;

    @Test
    void noGraphIsUpSayingNoGraphWasGiven() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            EngineHealth.Report r = context.getBean(EngineHealth.class).report();
            assertThat(r.status()).isEqualTo(EngineHealth.Status.UP);
            assertThat(r.details().get("graph").toString()).startsWith("no graph given");
        });
    }

    @Test
    void aRejectedFirstGraphIsDownThenAGoodOneIsUpWithNoRejectionLeft() {
        Fakes fakes = Fakes.create();
        Sinks.Many<Graph> graphs = Sinks.many().replay().latest();
        graphs.tryEmitNext(Graph.builder("bad").add(fakes.resource("a").invalid("no good").build()).build());
        runner.withBean(GraphSource.class, () -> graphs::asFlux).run(context -> {
            EngineHealth health = context.getBean(EngineHealth.class);
            Poll.until(() -> "DOWN with the rejection, was " + health.report(),
                    () -> health.report().status() == EngineHealth.Status.DOWN
                            && health.report().details().containsKey("rejected"));
            assertThat(health.report().details().get("rejected").toString()).contains("no good");

            Path ok = dir.resolve("ok");
            graphs.tryEmitNext(Graph.builder("good").add(FileResource.file(ok.toString(), "ok\n")).build());
            Poll.until(() -> "UP without the rejection, was " + health.report(),
                    () -> health.report().status() == EngineHealth.Status.UP
                            && !health.report().details().containsKey("rejected"));
            assertThat(context.getBean(Engine.class).awaitConverged(CONVERGE).isSuccess()).isTrue();
        });
    }

    @Test
    void badValuesFailTheStartNamingTheProperty() {
        for (String bad : new String[] {"mgmt.parallelism=-1", "mgmt.graph-poll=0s", "mgmt.startup-timeout=-5s",
                "mgmt.shutdown-timeout=-1s", "mgmt.grpah-poll=1s"}) {
            String property = bad.substring(0, bad.indexOf('='));
            runner.withPropertyValues(bad).run(context -> {
                assertThat(context).hasFailed();
                assertThat(context.getStartupFailure()).hasStackTraceContaining(property);
            });
        }
        runner.withPropertyValues("mgmt.parallelism=-1").run(context -> assertThat(context.getStartupFailure())
                .hasStackTraceContaining("origin \"mgmt.parallelism\"").hasStackTraceContaining("must be 0 (no cap) or more, not -1"));
        runner.withPropertyValues("mgmt.graph-poll=0s").run(context -> assertThat(context.getStartupFailure())
                .hasStackTraceContaining("origin \"mgmt.graph-poll\"").hasStackTraceContaining("must be more than 0s, not 0s"));
        runner.withPropertyValues("mgmt.shutdown-timeout=-1s").run(context -> assertThat(context.getStartupFailure())
                .hasStackTraceContaining("origin \"mgmt.shutdown-timeout\"").hasStackTraceContaining("must be 0s or more, not -1s"));
        runner.withPropertyValues("spring.lifecycle.timeout-per-shutdown-phase=-1s").run(context -> {
            assertThat(context).hasFailed();
            assertThat(new MgmtFailureAnalyzer().analyze(context.getStartupFailure()).getDescription()).isEqualTo(
                    "mgmt: spring.lifecycle.timeout-per-shutdown-phase=-1s is the engine's close grace while "
                            + "mgmt.shutdown-timeout is unset, and must be 0s or more");
        });
        runner.withPropertyValues("mgmt.grpah-poll=1s").run(context -> assertThat(context.getStartupFailure())
                .hasStackTraceContaining("mgmt.grpah-poll"));
    }

    /**
     * A start that fails because a check hangs ends once the shutdown timeout is over, not after
     * the engine's default minute: the timeout is below Spring's 30s default too, so a close that
     * ignored the property would time the test out.
     */
    @Test
    @Timeout(25)
    void aFailedStartWithAHangingCheckEndsWithinTheShutdownTimeout() {
        for (String timeout : new String[] {"mgmt.shutdown-timeout=200ms", "spring.lifecycle.timeout-per-shutdown-phase=200ms"}) {
            Fakes fakes = Fakes.create();
            FakeGate gate = FakeGate.closed();
            Graph hangs = Graph.builder("hangs").add(fakes.resource("hangs").checkGate(gate).build()).build();
            runner.withBean(Graph.class, () -> hangs).withPropertyValues("mgmt.startup-timeout=100ms", timeout)
                    .run(context -> {
                        assertThat(context).as(timeout).hasFailed();
                        assertThat(new MgmtFailureAnalyzer().analyze(context.getStartupFailure()).getDescription())
                                .as(timeout).contains("did not converge within mgmt.startup-timeout=100ms");
                    });
        }
    }

    @Test
    void aFailedStartIsSaidAsDescriptionAndAction() throws IOException {
        assertThat(registeredFailureAnalyzers()).contains(MgmtFailureAnalyzer.class.getName());
        Path yaml = Files.writeString(dir.resolve("graph.yaml"), "graph: g\n");
        runner.withBean("appGraph", Graph.class, () -> Graph.builder("app").build())
                .withPropertyValues("mgmt.graph=file:" + yaml)
                .run(context -> {
                    FailureAnalysis a = new MgmtFailureAnalyzer().analyze(context.getStartupFailure());
                    assertThat(a).isNotNull();
                    assertThat(a.getDescription()).startsWith("mgmt: give the graph one way only; found 2: "
                            + "the Graph bean 'appGraph', mgmt.graph=file:" + yaml);
                    assertThat(a.getAction()).contains("Keep one of them");
                });
    }

    /** What every META-INF/spring.factories on the class path registers as a FailureAnalyzer. */
    private List<String> registeredFailureAnalyzers() throws IOException {
        List<String> names = new ArrayList<>();
        Enumeration<URL> files = getClass().getClassLoader().getResources("META-INF/spring.factories");
        while (files.hasMoreElements()) {
            Properties p = new Properties();
            try (InputStream in = files.nextElement().openStream()) {
                p.load(in);
            }
            for (String n : p.getProperty(FailureAnalyzer.class.getName(), "").split(",")) {
                names.add(n.strip());
            }
        }
        return names;
    }

    @Test
    void aStartThatDoesNotConvergeInTimeNamesThePropertyAsWrittenAndWhatIsPending() {
        Fakes fakes = Fakes.create();
        FakeGate gate = FakeGate.closed();
        Graph slow = Graph.builder("slow").add(fakes.resource("slow").checkGate(gate).build()).build();
        // The failed start closes the engine, which cancels the held check at once.
        runner.withBean(Graph.class, () -> slow)
                .withPropertyValues("mgmt.startup-timeout=100ms", "mgmt.shutdown-timeout=0s").run(context -> {
            assertThat(context).hasFailed();
            FailureAnalysis a = new MgmtFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(a.getDescription()).isEqualTo("mgmt: the Graph bean 'graph' did not converge within "
                    + "mgmt.startup-timeout=100ms; still pending: fake[slow]");
            assertThat(a.getAction()).contains("raise mgmt.startup-timeout");
        });
    }

    @Test
    void aGraphThatExportsWithoutAClusterIsRunWithAWarningNamingWhatAndTheProperty() {
        Path f = dir.resolve("shared");
        FileResource shared = FileResource.builder("shared").path(f.toString()).content("s\n").build();
        try (LogTap log = new LogTap()) {
            runner.withBean(Graph.class, () -> Graph.builder("g").add(shared).export(shared).collect("file", "").build())
                    .run(context -> {
                        context.getBean(Engine.class).awaitConverged(CONVERGE).orThrow();
                        assertThat(log.text()).contains("mgmt: graph 'g' exports file[shared] and collects file, "
                                + "but this application is no cluster host").contains("mgmt.cluster.listen");
                    });
        }
    }
}
