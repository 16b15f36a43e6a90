package dev.mgmt.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mgmt.api.Graph;
import dev.mgmt.engine.Engine;
import dev.mgmt.resources.linux.FileResource;
import dev.mgmt.spring.internal.EngineHealth;
import dev.mgmt.spring.internal.MeterBindingAfterStart;
import dev.mgmt.spring.internal.MgmtLifecycle;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.SmartLifecycle;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/** The auto-configuration with a real engine and real files; shared by the Boot 4 and Boot 3 starters. */
class MgmtAutoConfigurationTest {

    private static final Duration CONVERGE = Duration.ofSeconds(30);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(MgmtAutoConfiguration.class));

    @TempDir
    Path dir;

    @Test
    void aGraphBeanConvergesAndItsFileIsRepairedAfterDrift() {
        Path f = dir.resolve("app.conf");
        runner.withBean("appGraph", Graph.class, () -> Graph.builder("app").add(FileResource.file(f.toString(), "port=8080\n")).build())
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    context.getBean(Engine.class).awaitConverged(CONVERGE).orThrow();
                    assertThat(Files.readString(f)).isEqualTo("port=8080\n");
                    Files.writeString(f, "drifted\n");
                    Poll.until("app.conf repaired", () -> "port=8080\n".equals(read(f)));
                });
    }

    @Test
    void eachGraphOfAGraphSourceIsSwappedIn() {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        Sinks.Many<Graph> graphs = Sinks.many().replay().latest();
        graphs.tryEmitNext(Graph.builder("one").add(FileResource.file(a.toString(), "a\n")).build());
        runner.withBean(GraphSource.class, () -> graphs::asFlux).run(context -> {
            assertThat(context).hasNotFailed();
            Poll.until("a written", () -> "a\n".equals(read(a)));
            graphs.tryEmitNext(Graph.builder("two").add(FileResource.file(b.toString(), "b\n")).build());
            Poll.until("b written", () -> "b\n".equals(read(b)));
        });
    }

    @Test
    void anEditOfAFileGraphIsSwappedInAndABadEditKeepsTheRunningGraph() throws IOException {
        Path f = dir.resolve("managed.txt");
        Path yaml = dir.resolve("graph.yaml");
        Files.writeString(yaml, fileGraph(f, "one"));
        runner.withPropertyValues("mgmt.graph=file:" + yaml, "mgmt.graph-poll=100ms").run(context -> {
            assertThat(context).hasNotFailed();
            Poll.until("one written", () -> "one\n".equals(read(f)));
            Files.writeString(yaml, fileGraph(f, "two"));
            Poll.until("the edit swapped in", () -> "two\n".equals(read(f)));

            try (LogTap log = new LogTap()) {
                Files.writeString(yaml, fileGraph(f, "three").replace("content:", "contnet:"));
                Poll.until("the bad edit read", () -> log.text().contains(yaml + " changed but is invalid"));
            }
            Files.writeString(f, "drifted\n");
            // The running graph (two) still repairs the file.
            Poll.until("repaired by the running graph", () -> "two\n".equals(read(f)));
            assertThat(context.getBean(EngineHealth.class).report().status()).isEqualTo(EngineHealth.Status.UP);

            Files.writeString(yaml, fileGraph(f, "four"));
            Poll.until("a good edit after a bad one swapped in", () -> "four\n".equals(read(f)));
        });
    }

    @Test
    void theFileGraphCheckedAtStartIsTheOneRunFirstThoughTheFileChangedSince() throws IOException {
        Path f = dir.resolve("first.txt");
        Path yaml = dir.resolve("graph.yaml");
        Files.writeString(yaml, fileGraph(f, "checked"));
        // Started before mgmt's lifecycle: the file turns invalid after it was checked, before it runs.
        SmartLifecycle spoiler = new SmartLifecycle() {
            private boolean running;

            @Override
            public void start() {
                try {
                    Files.writeString(yaml, fileGraph(f, "x").replace("content:", "contnet:"));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                running = true;
            }

            @Override
            public void stop() {
                running = false;
            }

            @Override
            public boolean isRunning() {
                return running;
            }

            @Override
            public int getPhase() {
                return MgmtLifecycle.PHASE - 1;
            }
        };
        runner.withBean("spoiler", SmartLifecycle.class, () -> spoiler)
                .withPropertyValues("mgmt.graph=file:" + yaml).run(context -> {
                    assertThat(context).hasNotFailed();
                    context.getBean(Engine.class).awaitConverged(CONVERGE).orThrow();
                    assertThat(read(f)).isEqualTo("checked\n");
                });
    }

    @Test
    void anInvalidFileGraphFailsTheStartWithItsLines() throws IOException {
        Path yaml = dir.resolve("graph.yaml");
        Files.writeString(yaml, fileGraph(dir.resolve("x"), "x").replace("content:", "contnet:"));
        runner.withPropertyValues("mgmt.graph=file:" + yaml).run(context -> {
            assertThat(context).hasFailed();
            assertThat(rootMessage(context.getStartupFailure()))
                    .contains("mgmt.graph=file:" + yaml + " is invalid; nothing was applied")
                    .contains(yaml + ":6:")
                    .contains("contnet");
        });
    }

    @Test
    void twoGraphSourcesFailTheStartNamingBoth() throws IOException {
        Path yaml = dir.resolve("graph.yaml");
        Files.writeString(yaml, fileGraph(dir.resolve("x"), "x"));
        runner.withBean("appGraph", Graph.class, () -> Graph.builder("app").build())
                .withPropertyValues("mgmt.graph=file:" + yaml)
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(rootMessage(context.getStartupFailure()))
                            .contains("give the graph one way only")
                            .contains("the Graph bean 'appGraph'")
                            .contains("mgmt.graph=file:" + yaml);
                });
    }

    @Test
    void healthIsOutOfServiceUntilConvergedThenUpAndDownWithTheFailedResourceNamed() throws IOException {
        runner.withBean(GraphSource.class, () -> Flux::never).run(context -> {
            EngineHealth.Report r = context.getBean(EngineHealth.class).report();
            assertThat(r.status()).isEqualTo(EngineHealth.Status.OUT_OF_SERVICE);
        });

        Path ok = dir.resolve("ok");
        runner.withBean(Graph.class, () -> Graph.builder("g").add(FileResource.file(ok.toString(), "ok\n")).build())
                .run(context -> {
                    context.getBean(Engine.class).awaitConverged(CONVERGE).orThrow();
                    // Health hears of the convergence on the engine's event delivery, just after.
                    EngineHealth health = context.getBean(EngineHealth.class);
                    Poll.until("UP", () -> health.report().status() == EngineHealth.Status.UP);
                });

        // A file under a regular file cannot be written.
        Path notADir = Files.writeString(dir.resolve("plain"), "");
        FileResource bad = FileResource.builder("bad").path(notADir.resolve("child").toString()).content("x\n").build();
        runner.withBean(Graph.class, () -> Graph.builder("g").add(bad).build()).run(context -> {
            assertThat(context.getBean(Engine.class).awaitConverged(CONVERGE).failed())
                    .containsExactly(bad.id());
            EngineHealth.Report r = context.getBean(EngineHealth.class).report();
            assertThat(r.status()).isEqualTo(EngineHealth.Status.DOWN);
            assertThat(r.details()).containsKey("failed");
            assertThat(r.details().get("failed").toString()).contains("file[bad]");
        });
    }

    @Test
    void theEnginesMetersGoToTheApplicationsRegistry() {
        Path f = dir.resolve("m");
        runner.withBean(SimpleMeterRegistry.class, SimpleMeterRegistry::new)
                .withBean(Graph.class, () -> Graph.builder("g").add(FileResource.file(f.toString(), "m\n")).build())
                .run(context -> {
                    context.getBean(Engine.class).awaitConverged(CONVERGE).orThrow();
                    assertThat(context.getBean("mgmtEngineMeterBinding", MeterBindingAfterStart.class).bound()).isTrue();
                    SimpleMeterRegistry registry = context.getBean(SimpleMeterRegistry.class);
                    Poll.until("an mgmt meter", () -> registry.getMeters().stream()
                            .anyMatch(m -> m.getId().getName().startsWith("mgmt.")));
                    // Checks are counted and totalled unless Boot's histogram property asks for more.
                    assertThat(registry.find("mgmt.check.duration").functionTimer()).isNotNull();
                    assertThat(registry.find("mgmt.check.duration").timer()).isNull();
                });
        runner.withBean(SimpleMeterRegistry.class, SimpleMeterRegistry::new)
                .withPropertyValues("management.metrics.distribution.percentiles-histogram.mgmt=true")
                .withBean(Graph.class, () -> Graph.builder("g").add(FileResource.file(f.toString(), "m\n")).build())
                .run(context -> {
                    context.getBean(Engine.class).awaitConverged(CONVERGE).orThrow();
                    SimpleMeterRegistry registry = context.getBean(SimpleMeterRegistry.class);
                    Poll.until("the check timer", () -> registry.find("mgmt.check.duration").timer() != null);
                    assertThat(registry.find("mgmt.check.duration").functionTimer()).isNull();
                });
    }

    @Test
    void closingTheContextClosesTheEngineAndEndsItsThreadsAndAnEngineOfTheApplicationsOwnWins() throws IOException {
        Set<Long> before = Thread.getAllStackTraces().keySet().stream().map(Thread::getId).collect(Collectors.toSet());
        Path yaml = dir.resolve("graph.yaml");
        Files.writeString(yaml, fileGraph(dir.resolve("closed.txt"), "c"));
        AtomicReference<Engine> engine = new AtomicReference<>();
        runner.withPropertyValues("mgmt.graph=file:" + yaml).run(context -> {
            engine.set(context.getBean(Engine.class));
            engine.get().awaitConverged(CONVERGE).orThrow();
            assertThat(ours(before)).isNotEmpty();
        });
        assertThatThrownBy(() -> engine.get().follow(Flux.never())).isInstanceOf(IllegalStateException.class);
        // The engine's threads (mgmt-engine-, -work-, -time-, -events-) and the file's watch (mgmt-values-watch).
        Poll.until(() -> "no mgmt thread left; still: " + ours(before), () -> ours(before).isEmpty());

        Engine own = Engine.builder().noop(true).build();
        runner.withBean("ownEngine", Engine.class, () -> own)
                .run(context -> assertThat(context).getBean(Engine.class).isSameAs(own));
    }

    /** The live mgmt threads that were not there before. */
    private static List<String> ours(Set<Long> before) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && !before.contains(t.getId()) && t.getName().startsWith("mgmt-"))
                .map(Thread::getName).toList();
    }

    private static String fileGraph(Path file, String content) {
        return "graph: g\n"
                + "resources:\n"
                + "  file:\n"
                + "  - name: managed\n"
                + "    path: " + file + "\n"
                + "    content: \"" + content + "\\n\"\n";
    }

    private static String read(Path f) {
        try {
            return Files.exists(f) ? Files.readString(f) : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
