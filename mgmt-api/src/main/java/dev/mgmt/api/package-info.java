/**
 * The resource SPI ({@link dev.mgmt.api.Resource}, {@link dev.mgmt.api.Meta},
 * {@link dev.mgmt.api.Refreshable}, {@link dev.mgmt.api.Groupable}), the graph model and its
 * fluent builder ({@link dev.mgmt.api.Graph}), and the events the engine reports
 * ({@link dev.mgmt.api.EngineEvent}).
 */
package dev.mgmt.api;
