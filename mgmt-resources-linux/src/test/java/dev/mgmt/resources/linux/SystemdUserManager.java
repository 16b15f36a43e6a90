package dev.mgmt.resources.linux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real {@code systemd --user} manager for tests, without systemd as PID 1 (DESIGN §8): it runs
 * in a private mount namespace ({@code unshare --mount}) where a tmpfs on {@code /run/systemd}
 * carries the "booted with systemd" marker, so the machine's {@code /run} is untouched. HOME and
 * the XDG variables point into a scratch directory; the session bus is {@code <runtime>/bus}.
 * {@link #systemctl} enters that namespace too.
 * Never boot {@code systemd --system} on a shared machine: its tmpfiles rules empty /tmp.
 */
final class SystemdUserManager implements AutoCloseable {

    static final Path SYSTEMD = Path.of("/lib/systemd/systemd");

    private final Path root;
    private final Map<String, String> env = new HashMap<>();
    private final Process process;
    private final Thread killer;

    private SystemdUserManager(Path root) throws IOException {
        this.root = root;
        Path home = root.resolve("home");
        Files.createDirectories(home.resolve(".local/share"));
        Files.createDirectories(unitDir());
        Path runtime = Files.createDirectories(root.resolve("xdg"));
        Files.setPosixFilePermissions(runtime, PosixFilePermissions.fromString("rwx------"));
        env.put("HOME", home.toString());
        env.put("XDG_CONFIG_HOME", home.resolve(".config").toString());
        env.put("XDG_DATA_HOME", home.resolve(".local/share").toString());
        env.put("XDG_RUNTIME_DIR", runtime.toString());
        env.put("DBUS_SESSION_BUS_ADDRESS", busAddress());
        ProcessBuilder pb = new ProcessBuilder("unshare", "--mount", "--propagation", "private", "/bin/sh", "-c",
                "mount -t tmpfs tmpfs /run/systemd && mkdir -p /run/systemd/system && exec " + SYSTEMD + " --user");
        pb.environment().putAll(env);
        pb.redirectErrorStream(true).redirectOutput(log().toFile()).redirectInput(ProcessBuilder.Redirect.from(
                Path.of("/dev/null").toFile()));
        process = pb.start();
        // If the test JVM is stopped before close() (a surefire timeout), take the manager along.
        killer = new Thread(() -> {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }, "systemd-user-killer");
        Runtime.getRuntime().addShutdownHook(killer);
    }

    /**
     * Why this machine cannot run one, or null when it can: it takes root (for the mount
     * namespace), {@code unshare} and {@code nsenter}, {@code systemctl}, systemd itself and an existing
     * {@code /run/systemd} to mount over.
     */
    static String unavailable() {
        if (!isRoot()) {
            return "not root: a private mount namespace with a tmpfs on /run/systemd needs root";
        }
        for (String tool : List.of("unshare", "nsenter", "systemctl")) {
            if (which(tool) == null) {
                return "'" + tool + "' is not installed";
            }
        }
        if (!Files.isExecutable(SYSTEMD)) {
            return SYSTEMD + " is not installed (apt-get install systemd)";
        }
        if (!Files.isDirectory(Path.of("/run/systemd"))) {
            return "/run/systemd does not exist, so there is nothing to mount a private tmpfs over";
        }
        return null;
    }

    /**
     * Starts a manager under {@code root} with these unit files already in its unit directory,
     * and waits for its bus.
     *
     * @throws IOException when it does not come up within 10 s; the message has its log
     */
    static SystemdUserManager start(Path root, Map<String, String> units) throws IOException {
        SystemdUserManager m = new SystemdUserManager(root);
        try {
            for (Map.Entry<String, String> u : units.entrySet()) {
                Files.writeString(m.unitDir().resolve(u.getKey()), u.getValue());
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            Path bus = root.resolve("xdg/bus");
            Path priv = root.resolve("xdg/systemd/private");
            while (!(Files.exists(bus) && Files.exists(priv))) {
                if (!m.process.isAlive() || System.nanoTime() > deadline) {
                    throw new IOException("systemd --user did not start (exit "
                            + (m.process.isAlive() ? "none, still running" : m.process.exitValue()) + "): "
                            + m.logTail());
                }
                Thread.sleep(20);
            }
            return m;
        } catch (IOException | InterruptedException | RuntimeException e) {
            m.close();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw e instanceof IOException io ? io : new IOException(e);
        }
    }

    /** The session bus that systemd --user serves (a socket-activated dbus-daemon). */
    String busAddress() {
        return "unix:path=" + root.resolve("xdg/bus");
    }

    Path unitDir() {
        return root.resolve("home/.config/systemd/user");
    }

    Path log() {
        return root.resolve("systemd.log");
    }

    /**
     * {@code systemctl --user ARGS} run inside the manager's mount namespace ({@code nsenter}),
     * where {@code /run/systemd/system} says "booted with systemd". Outside it, systemctl would
     * enable and disable units by itself, client-side, without telling the manager (and so
     * without its signals). Returns the output, trimmed; fails unless it exits within 20 s.
     */
    String systemctl(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("nsenter", "--target", Long.toString(process.pid()), "--mount",
                "systemctl", "--user"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        try {
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + ": no answer within 20 s");
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException(e);
        }
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(log());
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /**
     * Stops the manager ({@code systemctl --user exit}, which stops its services and bus), kills
     * it and whatever it started if that takes over 10 s, and removes the scratch directory.
     */
    @Override
    public void close() {
        List<ProcessHandle> children = process.descendants().toList();
        try {
            if (process.isAlive()) {
                try {
                    systemctl("exit");
                } catch (IOException e) {
                    // kill below
                }
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        } finally {
            for (ProcessHandle h : children) {
                if (h.isAlive()) {
                    h.destroyForcibly();
                }
            }
            deleteTree(root);
            try {
                Runtime.getRuntime().removeShutdownHook(killer);
            } catch (IllegalStateException e) {
                // the JVM is shutting down already
            }
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            System.err.println("could not remove " + dir + ": " + e);
        }
    }

    private static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[1].equals("0");
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    private static Path which(String tool) {
        String path = System.getenv("PATH");
        for (String d : (path == null ? "/usr/sbin:/usr/bin:/sbin:/bin" : path).split(":")) {
            Path p = Path.of(d, tool);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }
}
