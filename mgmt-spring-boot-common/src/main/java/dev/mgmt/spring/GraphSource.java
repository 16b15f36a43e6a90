package dev.mgmt.spring;

import dev.mgmt.api.Graph;
import org.reactivestreams.Publisher;

/**
 * A graph that changes while the application runs. Declare one as a bean and the starter
 * follows it: each graph it emits is swapped in ({@code Engine.follow}), the first one starting
 * the engine. A graph that does not compile is logged and the one before keeps running (the
 * health details name it as {@code rejected}).
 *
 * <pre>{@code
 * @Bean
 * GraphSource graphs(Flux<Settings> settings) {
 *     return () -> settings.map(s -> Graph.builder("app").add(...).build());
 * }
 * }</pre>
 */
@FunctionalInterface
public interface GraphSource {

    /**
     * The graphs, each one replacing the one before. Called and subscribed when the application
     * context starts, and again each time it is started after a stop: a publisher that should
     * not start over should replay its latest graph. Stopping the context cancels the
     * subscription; the engine keeps running the last graph until the context closes.
     */
    Publisher<Graph> graphs();
}
