package dev.mgmt.spring.internal;

import dev.mgmt.api.Graph;
import dev.mgmt.engine.Engine;
import java.time.Duration;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

/**
 * How the application's graphs are run: by the engine alone ({@link #of(Engine)}), or, on a
 * cluster host, through the cluster's runner so that exports and collects work.
 */
public interface GraphRunner {

    /** Starts on the first graph and swaps in each later one (the latest wins); disposing stops following. */
    Disposable follow(Flux<Graph> graphs);

    /** Waits until the first graph went in or was refused; whether it did within {@code timeout}. */
    boolean awaitFirst(Duration timeout);

    /** The engine alone ({@code Engine.follow}). */
    static GraphRunner of(Engine engine) {
        return new EngineGraphRunner(engine);
    }
}
