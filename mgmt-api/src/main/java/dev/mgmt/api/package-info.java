/**
 * The resource SPI ({@link dev.mgmt.api.Resource}, {@link dev.mgmt.api.Meta},
 * {@link dev.mgmt.api.Refreshable}, {@link dev.mgmt.api.Groupable}, and for send/recv
 * {@link dev.mgmt.api.Sender} and {@link dev.mgmt.api.Receiver}), the graph model and its
 * fluent builder ({@link dev.mgmt.api.Graph}), and the events the engine reports
 * ({@link dev.mgmt.api.EngineEvent}).
 */
package dev.mgmt.api;
