/**
 * Live values of this host as Reactor streams, to build graphs from: {@link dev.mgmt.values.Facts}
 * (hostname, OS, CPUs, addresses, environment) and {@link dev.mgmt.values.Values} (a file's
 * content, a command's output, ticks). Each stream emits the current value at once, then each
 * change, never the same value twice in a row, and never blocks a Reactor thread. Combine them
 * with {@link dev.mgmt.api.Graphs} or Reactor's own operators; a {@link dev.mgmt.values.Template}
 * renders a record into a file's content.
 */
package dev.mgmt.values;
