package dev.mgmt.cli.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A private network for N hosts, for partition tests: one network namespace per host
 * ({@code mgmtt-<pid>-<rand>-hN}, loopback up, {@code eth0} at {@code 10.x.y.N/24}) plugged by a
 * veth pair into a bridge {@code br0} that lives in one more namespace ({@code …-sw}), so
 * nothing is added to the root namespace. {@link #partition} moves some hosts' ports to a second
 * bridge {@code br1}: the two sides keep talking among themselves and lose each other (packets
 * are dropped, connections hang as with a real cut); {@link #heal} moves them back.
 *
 * <p>Run a host inside with {@link #exec(int)} as a launcher: {@code ip netns exec NS} execs its
 * command, so the child's PID is the host's. {@link #close()} deletes every namespace, which
 * deletes the bridges and veth pairs with them. Names carry the creating JVM's PID, and
 * namespaces left behind by a JVM that died (SIGKILL) are deleted by the next run.
 */
public final class NetworkNamespaces implements AutoCloseable {

    private static final String PREFIX = "mgmtt-";
    private static final Pattern OURS = Pattern.compile(PREFIX + "(\\d+)-[0-9a-f]+-(h\\d+|sw)");

    private final String id;
    private final int hosts;
    private final String subnet;
    private final List<String> created = new ArrayList<>();
    private final TreeSet<Integer> cut = new TreeSet<>();

    private NetworkNamespaces(int hosts) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        this.id = PREFIX + ProcessHandle.current().pid() + "-" + Integer.toHexString(random.nextInt(1 << 20, 1 << 24));
        this.hosts = hosts;
        this.subnet = "10." + random.nextInt(100, 250) + "." + random.nextInt(1, 250) + ".";
    }

    /**
     * Why namespaces cannot be used here (not root, no {@code ip}, or {@code ip netns add}
     * fails), or empty when they can. Creates and deletes one probe namespace.
     */
    public static Optional<String> unavailable() {
        String probe = new NetworkNamespaces(0).switchNs();
        try {
            Result uid = run("id", "-u");
            if (!"0".equals(uid.output.strip())) {
                return Optional.of("network namespaces need root (uid " + uid.output.strip() + ")");
            }
            Result r = run("ip", "netns", "add", probe);
            if (r.code != 0) {
                return Optional.of("`ip netns add` does not work here: " + r.output.strip());
            }
            Result b = run("ip", "-n", probe, "link", "add", "br0", "type", "bridge");
            run("ip", "netns", "del", probe);
            if (b.code != 0) {
                return Optional.of("cannot create a bridge in a network namespace: " + b.output.strip());
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("cannot run `id` or `ip` (iproute2): " + e.getMessage());
        }
    }

    /** Creates the network for {@code hosts} hosts, numbered 1..hosts. Deletes it all again if any step fails. */
    public static NetworkNamespaces create(int hosts) throws IOException {
        sweepLeftovers();
        NetworkNamespaces n = new NetworkNamespaces(hosts);
        try {
            n.build();
        } catch (IOException | RuntimeException e) {
            n.close();
            throw e;
        }
        return n;
    }

    private void build() throws IOException {
        String sw = switchNs();
        addNs(sw);
        ip("-n", sw, "link", "set", "lo", "up");
        for (String br : List.of("br0", "br1")) {
            ip("-n", sw, "link", "add", br, "type", "bridge");
            ip("-n", sw, "link", "set", br, "up");
        }
        for (int i = 1; i <= hosts; i++) {
            String ns = namespace(i);
            addNs(ns);
            ip("-n", sw, "link", "add", port(i), "type", "veth", "peer", "name", "eth0", "netns", ns);
            ip("-n", sw, "link", "set", port(i), "master", "br0");
            ip("-n", sw, "link", "set", port(i), "up");
            ip("-n", ns, "addr", "add", ip(i) + "/24", "dev", "eth0");
            ip("-n", ns, "link", "set", "eth0", "up");
            ip("-n", ns, "link", "set", "lo", "up");
        }
    }

    /** Host {@code i}'s namespace. */
    public String namespace(int i) {
        check(i);
        return id + "-h" + i;
    }

    /** Host {@code i}'s address, {@code 10.x.y.i}. */
    public String ip(int i) {
        check(i);
        return subnet + i;
    }

    /** The launcher that runs a command in host {@code i}'s namespace. */
    public List<String> exec(int i) {
        return List.of("ip", "netns", "exec", namespace(i));
    }

    /** Cuts these hosts off from the others (they still reach each other). */
    public synchronized void partition(Collection<Integer> side) throws IOException {
        for (int i : side) {
            ip("-n", switchNs(), "link", "set", port(i), "master", "br1");
            cut.add(i);
        }
    }

    /** Puts every host back on one network. */
    public synchronized void heal() throws IOException {
        for (int i : new ArrayList<>(cut)) {
            ip("-n", switchNs(), "link", "set", port(i), "master", "br0");
            cut.remove(i);
        }
    }

    /** Deletes every namespace this made (and so its bridges and veth pairs). Idempotent. */
    @Override
    public synchronized void close() {
        List<String> failed = new ArrayList<>();
        for (String ns : created) {
            try {
                Result r = run("ip", "netns", "del", ns);
                if (r.code != 0 && Files.exists(Path.of("/run/netns", ns))) {
                    failed.add(ns + ": " + r.output.strip());
                }
            } catch (IOException e) {
                failed.add(ns + ": " + e.getMessage());
            }
        }
        created.clear();
        if (!failed.isEmpty()) {
            throw new IllegalStateException("could not delete network namespaces: " + failed);
        }
    }

    @Override
    public String toString() {
        return id + " (" + hosts + " hosts on " + subnet + "0/24" + (cut.isEmpty() ? "" : ", cut off: " + cut) + ")";
    }

    private String switchNs() {
        return id + "-sw";
    }

    private static String port(int i) {
        return "h" + i;
    }

    private void check(int i) {
        if (i < 1 || i > hosts) {
            throw new IllegalArgumentException("host " + i + " is not in 1.." + hosts);
        }
    }

    private void addNs(String ns) throws IOException {
        ip("netns", "add", ns);
        created.add(ns);
    }

    /** Deletes namespaces of ours whose creating JVM is gone (killed before it could clean up). */
    static void sweepLeftovers() {
        try (var list = Files.list(Path.of("/run/netns"))) {
            for (Path p : (Iterable<Path>) list::iterator) {
                Matcher m = OURS.matcher(p.getFileName().toString());
                if (m.matches() && ProcessHandle.of(Long.parseLong(m.group(1))).isEmpty()) {
                    run("ip", "netns", "del", p.getFileName().toString());
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // nothing there, or not ours to clean
        }
    }

    private static void ip(String... args) throws IOException {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "ip";
        System.arraycopy(args, 0, cmd, 1, args.length);
        Result r = run(cmd);
        if (r.code != 0) {
            throw new IOException(String.join(" ", cmd) + " failed (" + r.code + "): " + r.output.strip());
        }
    }

    private record Result(int code, String output) {
    }

    private static Result run(String... cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out");
            }
            return new Result(p.exitValue(), out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted: " + String.join(" ", cmd), e);
        }
    }
}
