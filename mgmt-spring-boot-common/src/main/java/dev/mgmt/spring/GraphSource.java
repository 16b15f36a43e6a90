package dev.mgmt.spring;

import dev.mgmt.api.Graph;
import org.reactivestreams.Publisher;

/**
 * A graph that changes while the application runs. Declare one as a bean and the starter
 * follows it: each graph it emits is swapped in ({@code Engine.follow}), the first one starting
 * the engine. A graph that does not compile is logged and the one before keeps running.
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

    /** The graphs, each one replacing the one before; subscribed once when the application starts. */
    Publisher<Graph> graphs();
}
