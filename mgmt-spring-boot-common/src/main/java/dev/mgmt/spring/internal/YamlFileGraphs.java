package dev.mgmt.spring.internal;

import dev.mgmt.api.Graph;
import dev.mgmt.api.codec.ResourceCodec;
import dev.mgmt.api.yaml.YamlGraph;
import dev.mgmt.api.yaml.YamlGraphException;
import dev.mgmt.values.Values;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.util.retry.Retry;

/**
 * A YAML graph file as a stream of graphs, as {@code mgmt run} follows its file: the graph now,
 * then one after each edit. An edit that does not read is logged with its file and lines and
 * skipped, so the running graph stays; so is a removed file, until it is back.
 */
public final class YamlFileGraphs {

    private static final Logger log = LoggerFactory.getLogger(YamlFileGraphs.class);
    private static final Duration MAX_RETRY = Duration.ofSeconds(30);

    private YamlFileGraphs() {
    }

    /**
     * @param poll  how often the file is read again when its directory says nothing
     * @param clock times the polls and the retries after a file that cannot be read as text
     */
    public static Flux<Graph> watch(Path file, ResourceCodec codec, Duration poll, Scheduler clock) {
        return Values.file(file, poll, clock)
                .<Graph>handle((content, sink) -> parse(file, codec, content).ifPresent(sink::next))
                // A file that is not UTF-8 ends Values.file: watch again, the next good edit is taken.
                .retryWhen(Retry.backoff(Long.MAX_VALUE, poll).maxBackoff(MAX_RETRY).scheduler(clock)
                        .doBeforeRetry(r -> log.warn("mgmt: {}: {}; the running graph is kept",
                                file, Messages.of(r.failure()))));
    }

    private static Optional<Graph> parse(Path file, ResourceCodec codec, Optional<String> content) {
        if (content.isEmpty()) {
            log.warn("mgmt: {} is gone; the running graph is kept until it is back", file);
            return Optional.empty();
        }
        try {
            YamlGraph g = YamlGraph.parse(content.get(), file.toString(), codec);
            g.warnings().forEach(w -> log.warn("mgmt: {}: warning: {}", location(w), w.message()));
            return Optional.of(g.graph());
        } catch (YamlGraphException e) {
            log.warn("mgmt: {} changed but is invalid; the running graph is kept:\n{}", file, Messages.problems(e));
            return Optional.empty();
        }
    }

    private static String location(YamlGraphException.Problem p) {
        return p.source() + (p.line() > 0 ? ":" + p.line() : "");
    }
}
