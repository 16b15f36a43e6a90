package dev.mgmt.resources.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.interfaces.DBus;

/**
 * A real PackageKit for tests, without systemd: a private "system" bus from a custom
 * {@code dbus-daemon} configuration, {@code polkitd}, and
 * {@code packagekitd --keep-environment --disable-timer} (apt backend), each a child process of
 * this JVM, in a scratch directory of their own. {@link #close()} stops all three by their
 * process handles and removes the directory.
 */
final class PackageKitDaemons implements AutoCloseable {

    static final List<String> POLKITD = List.of("/usr/lib/polkit-1/polkitd", "/usr/libexec/polkitd");
    static final String PACKAGEKITD = "/usr/libexec/packagekitd";

    private final Path dir;
    private final String address;
    private final List<Process> processes = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Stops the daemons if the JVM ends before {@link #close()}. */
    private final Thread hook = new Thread(this::stop, "PackageKitDaemons cleanup");

    private PackageKitDaemons(Path dir) {
        this.dir = dir;
        this.address = "unix:path=" + dir.resolve("sysbus.sock");
    }

    /** Why the daemons cannot run here, or null when they can. */
    static String missing() {
        String debs = Debs.missing();
        if (debs != null) {
            return debs;
        }
        if (!Debs.onPath("dbus-daemon")) {
            return "needs dbus-daemon (Debian package dbus-daemon)";
        }
        if (polkitd() == null) {
            return "needs polkitd (Debian package polkitd)";
        }
        if (!Files.isExecutable(Path.of(PACKAGEKITD))) {
            return "needs " + PACKAGEKITD + " (Debian package packagekit)";
        }
        return null;
    }

    private static String polkitd() {
        return POLKITD.stream().filter(p -> Files.isExecutable(Path.of(p))).findFirst().orElse(null);
    }

    /** The bus address, for {@link PkgBackend#packageKit(String)}. */
    String address() {
        return address;
    }

    /** The end of the daemons' logs, for failure messages. */
    String logs() {
        StringBuilder b = new StringBuilder();
        for (String log : List.of("sysbus.log", "polkitd.log", "packagekitd.log")) {
            try {
                List<String> lines = Files.readAllLines(dir.resolve(log));
                b.append("--- ").append(log).append('\n');
                lines.subList(Math.max(0, lines.size() - 15), lines.size()).forEach(l -> b.append(l).append('\n'));
            } catch (IOException e) {
                b.append("--- ").append(log).append(": ").append(e.getMessage()).append('\n');
            }
        }
        return b.toString();
    }

    /**
     * Starts the three daemons and waits until PackageKit owns its name; PackageKit's apt reads
     * only the apt sources file {@code sources}.
     *
     * @throws IllegalStateException when they do not come up (everything started is stopped)
     */
    static PackageKitDaemons start(Path sources) throws IOException {
        Path dir = Files.createTempDirectory("mgmt-pk-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x")); // polkitd drops root
        // PackageKit sees the test repository alone, not the machine's sources: with the Debian
        // archive's lists on the machine (any apt-get update), packagekitd 1.2.6 aborts in
        // GetUpdates on an update's severity, and the tests would depend on the archive's state.
        Files.writeString(dir.resolve("apt.conf"), "Dir::Etc::sourcelist \"" + sources + "\";\n"
                + "Dir::Etc::sourceparts \"-\";\n");
        PackageKitDaemons d = new PackageKitDaemons(dir);
        Runtime.getRuntime().addShutdownHook(d.hook);
        try {
            d.boot();
            return d;
        } catch (IOException | RuntimeException e) {
            String logs = d.logs();
            d.close();
            throw new IllegalStateException(e.getMessage() + "\n" + logs, e);
        }
    }

    private void boot() throws IOException {
        Path conf = dir.resolve("sysbus.conf");
        Files.writeString(conf, """
                <!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
                 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
                <busconfig>
                  <type>system</type>
                  <listen>%s</listen>
                  <auth>EXTERNAL</auth>
                  <policy context="default">
                    <allow user="*"/><allow own="*"/><allow send_type="method_call"/>
                    <allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/>
                  </policy>
                </busconfig>
                """.formatted(address));
        spawn("sysbus.log", "dbus-daemon", "--config-file=" + conf, "--nofork");
        waitFor(() -> Files.exists(dir.resolve("sysbus.sock")), "the private system bus");
        spawn("polkitd.log", polkitd(), "--no-debug");
        waitForName("org.freedesktop.PolicyKit1");
        // --keep-environment: without it packagekitd clears its environment, bus address included.
        spawn("packagekitd.log", PACKAGEKITD, "--keep-environment", "--disable-timer", "-v");
        // (APT_CONFIG is set for every daemon; only packagekitd's libapt reads it.)
        waitForName("org.freedesktop.PackageKit");
    }

    private void spawn(String log, String... argv) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(dir.resolve(log).toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Map<String, String> env = pb.environment();
        env.put("DBUS_SYSTEM_BUS_ADDRESS", address);
        env.put("APT_CONFIG", dir.resolve("apt.conf").toString());
        processes.add(pb.start());
    }

    private void waitForName(String name) {
        waitFor(() -> {
            try (DBusConnection c = DBusConnectionBuilder.forAddress(address).withShared(false).build()) {
                return c.getRemoteObject("org.freedesktop.DBus", "/org/freedesktop/DBus", DBus.class).NameHasOwner(name);
            } catch (Exception e) {
                return false;
            }
        }, name + " on the private bus");
    }

    private void waitFor(java.util.function.BooleanSupplier ready, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!ready.getAsBoolean()) {
            for (Process p : processes) {
                if (!p.isAlive()) {
                    throw new IllegalStateException(p.info().command().orElse("a daemon") + " exited with status "
                            + p.exitValue() + " while waiting for " + what);
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no " + what + " after 30 s");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** Stops packagekitd, polkitd and the bus (in that order), by their handles, then removes the directory. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // shutting down, or never registered
        }
        stop();
    }

    private void stop() {
        for (int i = processes.size() - 1; i >= 0; i--) {
            Process p = processes.get(i);
            p.destroy();
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    p.waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        processes.clear();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            System.err.println("PackageKitDaemons: cannot remove " + dir + ": " + e);
        }
    }
}
