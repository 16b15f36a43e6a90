package dev.mgmt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.api.codec.ResourceCodec;
import dev.mgmt.api.yaml.YamlGraph;
import dev.mgmt.cli.TemplateInputs.Needs;
import dev.mgmt.cli.TemplateInputs.Snapshot;
import dev.mgmt.engine.Engine;
import dev.mgmt.resources.linux.FileResource;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * {@code mgmt run}'s one reload path, in process: reloads run only when the test lets the
 * feed's scheduler run them, retries wait in virtual time, and the graph file and the loader
 * (reading, rendering, compiling) are real. (In-process, yet named *IT: the CLI runs only those.)
 */
@Timeout(30)
class GraphFeedIT {

    @TempDir
    Path dir;

    private final Queue<Runnable> reloads = new ArrayDeque<>();
    private final VirtualTimeScheduler time = VirtualTimeScheduler.create();
    private final Map<Needs, Sinks.Many<Snapshot>> values = new ConcurrentHashMap<>();
    private final List<YamlGraph> applied = new ArrayList<>();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final List<Boolean> settled = new ArrayList<>();
    private Path yaml;
    private volatile boolean refuse;
    private volatile boolean closing;
    /** The feed's state at each swap: never settled while a reload runs. */
    private final List<FeedState> duringReloads = new ArrayList<>();
    private Runnable duringApply;
    private GraphFeed feed;

    private static final Needs K = new Needs(new java.util.TreeSet<>(List.of("k")), false);
    private static final Needs KJ = new Needs(new java.util.TreeSet<>(List.of("j", "k")), false);

    private String graph(String content) {
        return """
                graph: feed
                resources:
                  file:
                  - name: f
                    path: %s/f
                    content: '%s'
                """.formatted(dir, content);
    }

    private static Snapshot kv(String... pairs) {
        Map<String, String> m = new java.util.TreeMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return new Snapshot("h", new java.util.TreeSet<>(m.keySet()), Map.copyOf(m), List.of());
    }

    private Sinks.Many<Snapshot> sink(Needs n) {
        return values.computeIfAbsent(n, x -> Sinks.many().replay().latest());
    }

    @BeforeEach
    void start() throws Exception {
        yaml = dir.resolve("g.yaml");
        Files.writeString(yaml, graph("{{ kv \"k\" \"none\" }}"));
        GraphLoader loader = new GraphLoader(yaml, ResourceCodec.standard(), g -> Engine.builder().compile(g),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        Snapshot first = kv("k", "v0");
        sink(K).tryEmitNext(first);
        feed = new GraphFeed(loader, n -> sink(n).asFlux(), g -> {
            duringReloads.add(feed.state());
            if (closing) {
                throw new CancellationException("engine closing");
            }
            if (refuse) {
                return false;
            }
            applied.add(g);
            if (duringApply != null) {
                duringApply.run();
            }
            return true;
        }, K, first, Schedulers.fromExecutor(reloads::add), time);
        feed.start();
        // The first tick is the running graph's own values: its reload finds nothing to do.
        runReloads();
        feed.settled().subscribe(settled::add);
    }

    @AfterEach
    void close() {
        assertThat(duringReloads).noneMatch(FeedState::settled);
        feed.close();
        time.dispose();
    }

    /** Runs the reloads the feed has queued, and those they queue, until none is left. */
    private int runReloads() {
        int ran = 0;
        for (Runnable r; (r = reloads.poll()) != null; ran++) {
            r.run();
        }
        return ran;
    }

    private static String content(YamlGraph g) {
        FileResource f = (FileResource) g.graph().resources().get(0);
        return f.content() + " " + f.mode();
    }

    @Test
    void theFirstValuesAreTheRunningGraphsAndSwapNothing() {
        runReloads();
        assertThat(applied).isEmpty();
        assertThat(feed.state()).isEqualTo(FeedState.IDLE);
    }

    @Test
    void aBurstOfValuesCoalescesIntoOneSwapOfTheLatest() {
        sink(K).tryEmitNext(kv("k", "v1"));
        sink(K).tryEmitNext(kv("k", "v2"));
        sink(K).tryEmitNext(kv("k", "v3"));
        assertThat(feed.state().mode()).isEqualTo(FeedState.Mode.PENDING);
        assertThat(settled).containsExactly(true, false);

        runReloads();
        assertThat(applied).hasSize(1);
        assertThat(content(applied.get(0))).contains("v3");
        assertThat(feed.state()).isEqualTo(FeedState.IDLE);
        assertThat(settled).containsExactly(true, false, true);
    }

    @Test
    void aValueThatMakesTheGraphInvalidKeepsTheRunningOneUntilAGoodValue() throws Exception {
        Files.writeString(yaml, graph("x") + "    mode: '{{ kv \"k\" \"0644\" }}'\n");
        sink(K).tryEmitNext(kv("k", "0600"));
        feed.edited();
        runReloads();
        assertThat(applied).hasSize(1);

        sink(K).tryEmitNext(kv("k", "rwxr"));
        runReloads();
        assertThat(applied).hasSize(1);
        assertThat(feed.state()).isEqualTo(new FeedState(FeedState.Mode.IDLE, true));
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("is invalid with the cluster's new values; the running graph is kept").contains("rwxr");

        sink(K).tryEmitNext(kv("k", "0640"));
        runReloads();
        assertThat(applied).hasSize(2);
        assertThat(content(applied.get(1))).contains("0640");
        assertThat(feed.state()).isEqualTo(FeedState.IDLE);
    }

    @Test
    void aGraphRefusedByTheEngineStandsRejectedUntilTheNextOneGoesIn() {
        sink(K).tryEmitNext(kv("k", "v1"));
        runReloads();
        assertThat(applied).hasSize(1);
        // The engine refuses the next graph (as a store limit would).
        refuse = true;
        sink(K).tryEmitNext(kv("k", "v2"));
        runReloads();
        assertThat(feed.state()).isEqualTo(new FeedState(FeedState.Mode.IDLE, true));
        // The value goes back: that graph is the latest again, and it is swapped in (the same one).
        refuse = false;
        sink(K).tryEmitNext(kv("k", "v1"));
        runReloads();
        assertThat(applied).hasSize(2);
        assertThat(content(applied.get(1))).contains("v1");
        assertThat(feed.state()).isEqualTo(FeedState.IDLE);
    }

    @Test
    void anEditThatReadsANewKeyWaitsForItsValueAndNeverRendersWithoutIt() throws Exception {
        Files.writeString(yaml, graph("{{ kv \"k\" \"none\" }}-{{ kv \"j\" \"none\" }}"));
        feed.edited();
        runReloads();
        assertThat(applied).isEmpty();
        assertThat(feed.state().mode()).isEqualTo(FeedState.Mode.AWAITING_VALUES);
        assertThat(settled).containsExactly(true, false);

        sink(KJ).tryEmitNext(kv("k", "v0", "j", "w"));
        runReloads();
        assertThat(applied).hasSize(1);
        assertThat(content(applied.get(0))).contains("v0-w");
        assertThat(feed.state()).isEqualTo(FeedState.IDLE);
    }

    @Test
    void aChangeDuringAReloadIsReloadedAfterIt() {
        List<FeedState> inTheFirstApply = new ArrayList<>();
        duringApply = () -> {
            duringApply = null;
            sink(K).tryEmitNext(kv("k", "v2"));
            inTheFirstApply.add(feed.state());
        };
        sink(K).tryEmitNext(kv("k", "v1"));
        runReloads();
        assertThat(inTheFirstApply).containsExactly(new FeedState(FeedState.Mode.LOADING_STALE, false));
        assertThat(applied).hasSize(2);
        assertThat(content(applied.get(0))).contains("v1");
        assertThat(content(applied.get(1))).contains("v2");
        assertThat(feed.state()).isEqualTo(FeedState.IDLE);
    }

    @Test
    void aChangeDuringAReloadBackToWhatItReadDecidesTheSameWithoutAnotherSwap() {
        duringApply = () -> {
            duringApply = null;
            sink(K).tryEmitNext(kv("k", "v1"));
        };
        sink(K).tryEmitNext(kv("k", "v1"));
        runReloads();
        assertThat(applied).hasSize(1);
        assertThat(feed.state()).isEqualTo(FeedState.IDLE);
    }

    @Test
    void aRejectionStandsThroughAReloadOfTheSameValues() {
        refuse = true;
        duringApply = null;
        sink(K).tryEmitNext(kv("k", "v1"));
        // The same value again while the refused reload runs: the next reload decides as it did.
        reloads.poll().run();
        assertThat(feed.state()).isEqualTo(new FeedState(FeedState.Mode.IDLE, true));
        sink(K).tryEmitNext(kv("k", "v1"));
        runReloads();
        assertThat(feed.state()).isEqualTo(new FeedState(FeedState.Mode.IDLE, true));
    }

    @Test
    void anEditReadingAKeyWhosePlaceholderWouldBeInvalidWaitsForItQuietly() throws Exception {
        Needs km = new Needs(new java.util.TreeSet<>(List.of("k", "m")), false);
        Files.writeString(yaml, graph("{{ kv \"k\" \"none\" }}") + "    mode: '{{ kv \"m\" }}'\n");
        feed.edited();
        runReloads();
        assertThat(applied).isEmpty();
        assertThat(feed.state().mode()).isEqualTo(FeedState.Mode.AWAITING_VALUES);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();

        sink(km).tryEmitNext(kv("k", "v0", "m", "0600"));
        runReloads();
        assertThat(applied).hasSize(1);
        assertThat(content(applied.get(0))).isEqualTo("v0 0600");
        assertThat(feed.state()).isEqualTo(FeedState.IDLE);
    }

    @Test
    void aReloadCutShortByTheEngineClosingChangesNothing() {
        sink(K).tryEmitNext(kv("k", "v1"));
        runReloads();
        closing = true;
        sink(K).tryEmitNext(kv("k", "v2"));
        runReloads();
        assertThat(applied).hasSize(1);
        assertThat(feed.state()).isEqualTo(FeedState.IDLE);
    }

    @Test
    void aFailedValueStreamIsReadAgainAfterABackoffInVirtualTime() {
        Needs n = K;
        sink(n).tryEmitError(new IllegalStateException("store away"));
        values.remove(n);
        runReloads();
        assertThat(applied).isEmpty();
        sink(n).tryEmitNext(kv("k", "back"));
        time.advanceTimeBy(Duration.ofSeconds(2));
        runReloads();
        assertThat(applied).hasSize(1);
        assertThat(content(applied.get(0))).contains("back");
    }
}
