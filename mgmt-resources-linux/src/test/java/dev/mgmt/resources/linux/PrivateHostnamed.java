package dev.mgmt.resources.linux;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.types.Variant;

/**
 * A real systemd-hostnamed that cannot rename this machine: {@code private-hostnamed.sh} (a
 * test resource) runs a private "system" bus in a new UTS and mount namespace, and the bus
 * starts hostnamed on demand in those namespaces, with {@code /etc} a copy on a tmpfs.
 * {@link #close()} stops the bus and hostnamed (both this JVM's descendants) and removes the
 * scratch directory.
 */
final class PrivateHostnamed implements AutoCloseable {

    static final String HOSTNAMED = "/lib/systemd/systemd-hostnamed";

    private final Path dir;
    private final Process bus;

    private PrivateHostnamed(Path dir, Process bus) {
        this.dir = dir;
        this.bus = bus;
    }

    /** Why it cannot run here, or null when it can. */
    static String unavailable() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "needs root (a new UTS and mount namespace)";
        }
        if (!Files.isExecutable(Path.of(HOSTNAMED))) {
            return "needs " + HOSTNAMED + " (Debian package systemd)";
        }
        for (String tool : new String[] {"dbus-daemon", "unshare", "nsenter"}) {
            if (!Debs.onPath(tool)) {
                return "needs " + tool;
            }
        }
        return null;
    }

    /** Starts the bus, with {@code name} as the namespace's kernel host name, and waits for hostnamed to answer. */
    static PrivateHostnamed start(String name) throws IOException {
        Path dir = Files.createTempDirectory("mgmt-hostnamed-");
        Path script;
        try {
            script = Path.of(PrivateHostnamed.class.getResource("/private-hostnamed.sh").toURI());
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
        Process p = new ProcessBuilder("bash", script.toString(), dir.toString(), name).redirectErrorStream(true)
                .redirectOutput(dir.resolve("bus.log").toFile()).redirectInput(new File("/dev/null")).start();
        PrivateHostnamed h = new PrivateHostnamed(dir, p);
        try {
            h.awaitHostnamed();
            return h;
        } catch (IOException | RuntimeException e) {
            String log = h.log();
            h.close();
            throw new IOException(e.getMessage() + "\n--- bus.log\n" + log, e);
        }
    }

    private void awaitHostnamed() throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Exception last = null;
        while (System.nanoTime() < deadline) {
            if (!bus.isAlive()) {
                throw new IOException("the private bus exited with status " + bus.exitValue());
            }
            if (Files.exists(dir.resolve("sysbus.sock"))) {
                try {
                    property("Hostname"); // starts hostnamed
                    return;
                } catch (Exception e) {
                    last = e;
                }
            }
            sleep();
        }
        throw new IOException("hostnamed did not answer within 30 s: " + last);
    }

    /** The bus address, for {@code HostnameResource.Builder.bus} or {@code DBUS_SYSTEM_BUS_ADDRESS}. */
    String address() {
        return "unix:path=" + dir.resolve("sysbus.sock");
    }

    /** A property of {@code org.freedesktop.hostname1}, read over a connection of its own. */
    String property(String name) throws Exception {
        try (DBusConnection c = DBusConnectionBuilder.forAddress(address()).withShared(false).build()) {
            Object v = c.getRemoteObject("org.freedesktop.hostname1", "/org/freedesktop/hostname1",
                    Properties.class).Get("org.freedesktop.hostname1", name);
            return (String) (v instanceof Variant<?> variant ? variant.getValue() : v);
        }
    }

    /** The kernel's host name inside the private UTS namespace. */
    String kernelName() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("nsenter", "--target", Long.toString(bus.pid()), "--uts",
                "cat", "/proc/sys/kernel/hostname").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (p.waitFor() != 0) {
            throw new IOException("nsenter: " + out);
        }
        return out;
    }

    /** A file of the private {@code /etc} (as hostnamed sees it); null when it does not exist. */
    String etc(String file) throws IOException {
        Path p = Path.of("/proc", Long.toString(bus.pid()), "root", "etc", file);
        return Files.exists(p) ? Files.readString(p) : null;
    }

    /** The bus's log, for failure messages. */
    String log() {
        try {
            return Files.readString(dir.resolve("bus.log"));
        } catch (IOException e) {
            return e.getMessage();
        }
    }

    @Override
    public void close() {
        // The bus starts hostnamed through a babysitter that then exits, so hostnamed is not the
        // bus's descendant: it is found as the other process of the private UTS namespace. It
        // waits for its idle timeout (SIGTERM included) before it leaves, so it is killed: it
        // writes its files atomically and has nothing else to save.
        String uts = utsNamespace(bus.pid());
        bus.destroy();
        try {
            if (!bus.waitFor(10, TimeUnit.SECONDS)) {
                bus.destroyForcibly();
                bus.waitFor(10, TimeUnit.SECONDS);
            }
            for (ProcessHandle c : inNamespace(uts)) {
                c.destroyForcibly();
                try {
                    c.onExit().get(10, TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                    // reported by the next test run's leftovers, if ever
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a scratch directory
        }
    }

    private static String utsNamespace(long pid) {
        try {
            return Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "ns", "uts")).toString();
        } catch (IOException e) {
            return null;
        }
    }

    /** The processes of the UTS namespace {@code uts} (never this machine's: that one is checked). */
    private static List<ProcessHandle> inNamespace(String uts) {
        if (uts == null || uts.equals(utsNamespace(ProcessHandle.current().pid()))) {
            return List.of();
        }
        return ProcessHandle.allProcesses().filter(p -> uts.equals(utsNamespace(p.pid()))).toList();
    }

    private static void sleep() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
