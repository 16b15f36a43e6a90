/** Resources that manage a Linux machine: {@code file} and {@code exec}. */
package dev.mgmt.resources.linux;
