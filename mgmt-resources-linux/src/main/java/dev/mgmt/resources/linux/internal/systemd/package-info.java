/**
 * systemd over D-Bus: for the {@code svc} resource, the subset of
 * {@code org.freedesktop.systemd1.Manager} it calls, the signals it listens to, and one
 * shared, reference-counted connection per bus address; for the {@code hostname} resource,
 * systemd-hostnamed's {@code org.freedesktop.hostname1}. Not public API; it may change
 * without notice. The D-Bus types are public only because dbus-java builds proxies and
 * instances of them by reflection.
 */
package dev.mgmt.resources.linux.internal.systemd;
