package dev.mgmt.test.engine;

import dev.mgmt.test.EngineVirtualTime;

/** The virtual time of these tests: {@link EngineVirtualTime}, kept under its old name here. */
final class SurvivingVirtualTime extends EngineVirtualTime {
}
