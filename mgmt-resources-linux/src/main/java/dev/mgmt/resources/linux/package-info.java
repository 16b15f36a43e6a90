/** Resources that manage a Linux machine: {@code file}, {@code exec} and {@code svc}. */
package dev.mgmt.resources.linux;
