/**
 * Implementation of the Linux resources: process spawning, output capture and process-tree
 * cleanup for {@code exec}. Not public API; it may change without notice.
 */
package dev.mgmt.resources.linux.internal;
