/**
 * Test support for code that embeds the engine: controllable {@linkplain dev.mgmt.test.FakeResource
 * fake resources} whose real state and recordings live in {@link dev.mgmt.test.Fakes}, a JUnit
 * extension that hands out and closes {@linkplain dev.mgmt.test.MgmtEngineExtension engines}, and
 * {@linkplain dev.mgmt.test.EngineAssertions assertions} about convergence.
 */
package dev.mgmt.test;
