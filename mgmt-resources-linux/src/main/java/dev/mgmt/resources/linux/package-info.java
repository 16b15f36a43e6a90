/**
 * Resources that manage a Linux machine: {@code file}, {@code exec}, {@code svc} and
 * {@code pkg}.
 */
package dev.mgmt.resources.linux;
