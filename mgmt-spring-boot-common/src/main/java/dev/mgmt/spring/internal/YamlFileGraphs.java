package dev.mgmt.spring.internal;

import dev.mgmt.api.Graph;
import dev.mgmt.api.Utf8;
import dev.mgmt.api.codec.ResourceCodec;
import dev.mgmt.api.yaml.YamlGraph;
import dev.mgmt.api.yaml.YamlGraphException;
import dev.mgmt.values.Values;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

/**
 * A YAML graph file as a stream of graphs: one after each edit. An edit is read once the file
 * has been quiet for {@link #DEBOUNCE} (as {@code mgmt run} waits out an editor's burst of
 * writes) and read again to confirm it, so a half-written file is not swapped in while its
 * writer is still at it. An edit that does not read is logged with its file and lines and
 * skipped, so the running graph stays; so is a removed file, until it is back.
 */
public final class YamlFileGraphs {

    /** How long the file must be quiet before an edit is read: {@code mgmt run}'s wait. */
    static final Duration DEBOUNCE = Duration.ofMillis(150);

    private static final Logger log = LoggerFactory.getLogger(YamlFileGraphs.class);
    private static final Duration MAX_RETRY = Duration.ofSeconds(30);

    private YamlFileGraphs() {
    }

    /**
     * @param known the content already read and run (its graph given by the caller), which is
     *              not swapped in again until the file differs from it; null for none, and the
     *              file as it is now comes first
     * @param poll  how often the file is read again when its directory says nothing
     * @param clock times the quiet period, the polls and the retries after a file that cannot be
     *              read as text
     */
    public static Flux<Graph> watch(Path file, String known, ResourceCodec codec, Duration poll, Scheduler clock) {
        return Flux.defer(() -> {
            // Across retries: a watch begun again does not swap in the graph that already runs.
            AtomicReference<Optional<String>> last = new AtomicReference<>(known == null ? null : Optional.of(known));
            return graphs(file, Values.file(file, poll, clock), last, codec, clock)
                    // A file that is not UTF-8 ends Values.file: watch again, the next good edit is taken.
                    .retryWhen(Retry.backoff(Long.MAX_VALUE, poll).maxBackoff(MAX_RETRY).scheduler(clock)
                            .transientErrors(true)
                            .doBeforeRetry(r -> log.warn("mgmt: {}: {}; the running graph is kept",
                                    file, Messages.of(r.failure()))));
        });
    }

    /**
     * The graphs of the file's contents as they are seen ({@code Values.file}): each taken once no
     * newer one came for {@link #DEBOUNCE}, if the file still says it, and if it differs from
     * {@code last} taken.
     */
    static Flux<Graph> graphs(Path file, Flux<Optional<String>> contents, AtomicReference<Optional<String>> last,
                              ResourceCodec codec, Scheduler clock) {
        return contents
                .sampleTimeout(c -> Mono.delay(DEBOUNCE, clock))
                .switchMap(c -> settled(file, c, clock, 0))
                .publishOn(Schedulers.boundedElastic())
                .filter(c -> !Objects.equals(last.getAndSet(c), c))
                .handle((content, sink) -> parse(file, codec, content).ifPresent(sink::next));
    }

    /**
     * {@code seen} once the file, read again, still says it; else what it says now, once that
     * held for another quiet period. The watch sends a content once (it drops repeats), so an
     * edit whose second read raced a rewrite must be followed here, not left to the watch.
     * A file that cannot be read (not UTF-8: the watch itself fails on it) is tried for
     * {@link #UNREADABLE_TRIES} quiet periods, then left to the watch's next change.
     */
    private static Mono<Optional<String>> settled(Path file, Optional<String> seen, Scheduler clock, int unreadable) {
        // Read where the quiet period ended, on the clock's thread: a graph file is small, and a
        // virtual clock then runs the whole wait in the test's thread.
        return Mono.fromCallable(() -> Optional.ofNullable(reread(file)))
                .flatMap(now -> {
                    if (now.isPresent() && now.get().equals(seen)) {
                        return Mono.just(seen);
                    }
                    if (now.isEmpty() && unreadable + 1 >= UNREADABLE_TRIES) {
                        log.warn("mgmt: {} cannot be read; the running graph is kept", file);
                        return Mono.empty();
                    }
                    return Mono.delay(DEBOUNCE, clock).then(Mono.defer(() ->
                            settled(file, now.orElse(seen), clock, now.isEmpty() ? unreadable + 1 : 0)));
                });
    }

    /** Quiet periods a file that cannot be read is tried for before it is left to the watch. */
    static final int UNREADABLE_TRIES = 20;

    /** The file read again: empty when it is gone, null when it cannot be read as UTF-8 text now. */
    private static Optional<String> reread(Path file) {
        try {
            // Not UTF-8: null, as the watch itself says it is not.
            return Utf8.decode(Files.readAllBytes(file)).map(Optional::of).orElse(null);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            return null; // not equal to any content: this one is not taken
        }
    }

    private static Optional<Graph> parse(Path file, ResourceCodec codec, Optional<String> content) {
        if (content.isEmpty()) {
            log.warn("mgmt: {} is gone; the running graph is kept until it is back", file);
            return Optional.empty();
        }
        try {
            YamlGraph g = YamlGraph.parse(content.get(), file.toString(), codec);
            logWarnings(g);
            return Optional.of(g.graph());
        } catch (YamlGraphException e) {
            log.warn("mgmt: {} changed but is invalid; the running graph is kept:\n{}", file, Messages.problems(e));
            return Optional.empty();
        }
    }

    /** The reader's warnings (a deprecated key, ...), each with its file and line. */
    static void logWarnings(YamlGraph g) {
        g.warnings().forEach(w -> log.warn("mgmt: {}: warning: {}", location(w), w.message()));
    }

    private static String location(YamlGraphException.Problem p) {
        return p.source() + (p.line() > 0 ? ":" + p.line() : "");
    }
}
