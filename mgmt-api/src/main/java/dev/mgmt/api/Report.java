package dev.mgmt.api;

import java.util.function.Consumer;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

/**
 * Lets a resource add what it did to the engine's events and logs, for example a command's
 * exit status and output. Chain it inside {@code check()}, {@code apply()} or
 * {@code refresh()}:
 *
 * <pre>{@code
 * return runCommand().flatMap(r -> Report.say("exit " + r.status() + ": " + r.output()));
 * }</pre>
 *
 * The engine delivers the text as an {@link EngineEvent.Output} of the current vertex and
 * step. Outside an engine it is a no-op.
 */
public final class Report {

    /** The Reactor context key under which the engine puts its receiver. */
    public static final Object KEY = Report.class;

    private Report() {
    }

    /** Reports {@code text} for the running vertex and step. */
    public static Mono<Void> say(String text) {
        return Mono.deferContextual(ctx -> {
            receiver(ctx).accept(text);
            return Mono.empty();
        });
    }

    @SuppressWarnings("unchecked")
    private static Consumer<String> receiver(ContextView ctx) {
        return ctx.<Consumer<String>>getOrDefault(KEY, t -> { });
    }
}
