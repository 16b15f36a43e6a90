package dev.mgmt.test.engine;

import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * A virtual-time scheduler that outlives {@code StepVerifier.withVirtualTime}, which disposes
 * its scheduler when a scenario ends. The engines of these tests are closed after that, by the
 * extension, and closing needs a live scheduler (see {@code EngineCloseTest} for what happens
 * otherwise).
 */
final class SurvivingVirtualTime extends VirtualTimeScheduler {

    SurvivingVirtualTime() {
        super(false);
    }

    @Override
    public void dispose() {
        // kept alive on purpose
    }
}
