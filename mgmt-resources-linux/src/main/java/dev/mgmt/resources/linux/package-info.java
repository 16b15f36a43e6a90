/**
 * Resources that manage a Linux machine: {@code file}, {@code exec}, {@code svc},
 * {@code hostname}, {@code pkg}, {@code user} and {@code group}; and the delivery of {@code msg} to the journal and syslog.
 */
package dev.mgmt.resources.linux;
