package dev.mgmt.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

/**
 * Reactor reads the context key a call gives its run for errors dropped after the call ended
 * ({@link Call#ON_ERROR_DROPPED}, Reactor's own key, not public): the error goes to the call's
 * hook, not to the global one, whose default prints it at ERROR with a stack trace.
 */
class CallDropTest {

    @Test
    void reactorHandsADroppedErrorToTheHookInTheSubscribersContext() {
        List<Throwable> global = new CopyOnWriteArrayList<>();
        List<Throwable> local = new CopyOnWriteArrayList<>();
        Hooks.onErrorDropped(global::add);
        try {
            RuntimeException late = new RuntimeException("after the end");
            Operators.onErrorDropped(late, Context.of(Call.ON_ERROR_DROPPED, (Consumer<Throwable>) local::add));
            assertThat(local).containsExactly(late);
            assertThat(global).isEmpty();
        } finally {
            Hooks.resetOnErrorDropped();
        }
    }
}
