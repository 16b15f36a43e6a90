package dev.mgmt.engine.resources;

import reactor.core.publisher.Flux;

/** Watch shapes shared by resources that have nothing external to watch. */
final class Watches {

    /** The element that says "armed". */
    static final Object ARMED = "armed";

    private static final Flux<Object> ARMED_THEN_NEVER = Flux.never().startWith(ARMED);

    private Watches() {
    }

    /** Arms at once and then stays silent until cancelled. */
    static Flux<Object> armedThenNever() {
        return ARMED_THEN_NEVER;
    }
}
