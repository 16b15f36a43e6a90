package dev.mgmt.cli.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mgmt.cli.MgmtProcess;
import dev.mgmt.cli.TestDirs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Real {@code mgmt run} host processes forming one cluster, for fault tests.
 *
 * <p>Host {@code hN} runs a YAML graph that manages a directory {@code <root>/hN/files/},
 * exports files named {@code hN-<key>} into it ({@code @@} names) and collects every other
 * host's exports into it. So the directory of a host that has caught up holds exactly the
 * current exports of every live host: {@link #expected} and {@link #awaitFiles} check that.
 * A write to the store is made by {@link Host#export changing a host's exports}: the harness
 * rewrites its graph file atomically and the running mgmt swaps the graph and re-exports.
 *
 * <p>Hosts listen on free loopback ports, or, with {@link NetworkNamespaces}, each in its own
 * namespace at {@code 10.x.y.N:7946}. They run with {@code --grace-period 3s}, {@code --verbose}
 * and the store's DEBUG log, a state directory of their own (kept across restarts), and with
 * {@code --max-runtime} so that none outlives a killed test JVM for long. Cluster state is read
 * with {@code mgmt cluster status --json} ({@link #status}). {@link #close()} kills whatever
 * still runs, keeps each process's output under {@code target/cluster-logs/<test>/} and deletes
 * the namespaces.
 */
public final class ClusterHarness implements AutoCloseable {

    /** How long a condition may take before the test counts it as a hang. */
    public static final Duration HANG = Duration.ofSeconds(120);
    private static final int MAX_FAILED_STATUS = 1;

    private static final int NETNS_PORT = 7946;
    /** Every host's grace period: how long a voter must be dead before the chooser replaces it. */
    private static final String GRACE = "3s";
    private static final String MAX_RUNTIME = "600";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path root;
    private final Path logs;
    private final NetworkNamespaces net;
    private final List<Host> hosts = new ArrayList<>();
    private final long t0 = System.nanoTime();
    /** Cleans up if the test JVM is told to stop (a build timeout) before {@link #close()} runs. */
    private final Thread onExit = new Thread(this::cleanUp, "cluster-harness-cleanup");
    private int adminRuns;

    /**
     * @param root  a temporary directory for graphs and files
     * @param test  names the log directory
     * @param net   the network to run in, or null for loopback; it must have room for every host
     */
    public ClusterHarness(Path root, String test, NetworkNamespaces net) {
        this.root = root;
        this.net = net;
        Path jar = Path.of(System.getProperty("mgmt.jar", "target/mgmt.jar")).toAbsolutePath();
        this.logs = jar.getParent().resolve("cluster-logs").resolve(test);
        TestDirs.deleteQuietly(logs);
        Runtime.getRuntime().addShutdownHook(onExit);
    }

    /** The network the hosts run in; fails for loopback. */
    public NetworkNamespaces network() {
        if (net == null) {
            throw new IllegalStateException("this cluster runs on loopback, not in network namespaces");
        }
        return net;
    }

    /** Defines hosts h1..hN and {@link #startAll starts} them; returns them. */
    public List<Host> start(int n, String... firstHostFlags) throws Exception {
        List<Host> out = define(n);
        startAll(firstHostFlags);
        return out;
    }

    /** Defines hosts h1..hN (not started), each exporting {@code hN-a}. */
    public List<Host> define(int n) throws IOException {
        List<Host> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Host h = new Host(hosts.size() + 1);
            h.exports.put("a", h.name + " a 0");
            hosts.add(h);
            out.add(h);
        }
        return out;
    }

    public List<Host> hosts() {
        return List.copyOf(hosts);
    }

    /** The hosts whose current process is alive. */
    public List<Host> running() {
        return hosts.stream().filter(Host::isRunning).toList();
    }

    /**
     * Starts the first host alone (it bootstraps the cluster), waits until it is up, then starts
     * the others at once, each joining through the hosts started before it
     * ({@code -Dcluster.sequentialJoin=true}: one after another, each once the previous is up).
     */
    public void startAll(String... firstHostFlags) throws Exception {
        hosts.get(0).start(firstHostFlags);
        hosts.get(0).awaitUp();
        if (!Boolean.getBoolean("cluster.sequentialJoin")) {
            for (Host h : hosts.subList(1, hosts.size())) {
                h.start();
            }
            for (Host h : hosts.subList(1, hosts.size())) {
                h.awaitUp();
            }
            return;
        }
        for (Host h : hosts.subList(1, hosts.size())) {
            h.start();
            h.awaitUp();
        }
    }

    /** The files a host that has caught up holds: every given host's current exports. */
    public static Map<String, String> expected(Collection<Host> exporters) {
        // exportedFiles() copies under the host's lock: a writer thread may be changing exports.
        Map<String, String> out = new TreeMap<>();
        for (Host h : exporters) {
            out.putAll(h.exportedFiles());
        }
        return out;
    }

    /**
     * A write: changes export {@code a} of {@code from} and waits until every other running host
     * holds the new content.
     */
    public void write(Host from, String what) throws IOException, InterruptedException {
        String content = from.bump("a");
        String file = from.fileName("a");
        List<Host> others = running().stream().filter(h -> h != from).toList();
        await(what + ": " + from.name + "'s write '" + content + "' reaches " + names(others),
                () -> others.stream().allMatch(h -> (content + "\n").equals(h.file(file))),
                () -> others.stream().map(h -> "  " + h.name + " has " + h.file(file))
                        .collect(Collectors.joining("\n")));
        log("write from " + from.name + " reached " + names(others) + " (" + what + ")");
    }

    /**
     * Waits until every running host holds exactly the current exports of every running host
     * (the hosts and their exports as they are at each look).
     */
    public void awaitConverged(String what) throws InterruptedException {
        awaitConverged(what, null, () -> false);
    }

    /** As {@link #awaitConverged(String)}, failing at once if {@code violation} holds at any look meanwhile. */
    public void awaitConverged(String what, String never, BooleanSupplier violation) throws InterruptedException {
        await(what, () -> {
            if (violation.getAsBoolean()) {
                throw new AssertionError("it happened: " + never + "\n" + diagnostics());
            }
            List<Host> live = running();
            Map<String, String> want = expected(live);
            return live.stream().allMatch(h -> h.files().equals(want));
        }, () -> "expected on every running host: " + expected(running()) + "\n" + running().stream()
                .map(h -> "  " + h.name + " has " + h.files()).collect(Collectors.joining("\n")));
        log("converged: " + what);
    }

    /** Prints a line with the time since the harness began, to the test's output. */
    public void log(String line) {
        System.out.printf("[%6.1f s] %s%n", (System.nanoTime() - t0) / 1e9, line);
    }

    /** Waits until {@code condition} holds; fails with the hosts' state on a hang or if a host died. */
    public void await(String what, BooleanSupplier condition) throws InterruptedException {
        await(what, condition, () -> "");
    }

    private void await(String what, BooleanSupplier condition, Supplier<String> detail)
            throws InterruptedException {
        // A host that was running when the wait began and dies during it is a crash, not a slow start.
        Map<Host, MgmtProcess> watched = new LinkedHashMap<>();
        running().forEach(h -> watched.put(h, h.process));
        long deadline = System.nanoTime() + HANG.toNanos();
        while (!condition.getAsBoolean()) {
            for (Map.Entry<Host, MgmtProcess> w : watched.entrySet()) {
                if (w.getKey().process == w.getValue() && !w.getValue().handle().isAlive()) {
                    throw new AssertionError(w.getKey().name + " exited while waiting for " + what + "\n"
                            + detail.get() + "\n" + diagnostics());
                }
            }
            if (System.nanoTime() > deadline) {
                threadDumps();
                throw new AssertionError("timed out after " + HANG.toSeconds() + " s waiting for " + what + "\n"
                        + detail.get() + "\n" + diagnostics());
            }
            Thread.sleep(100);
        }
    }

    /**
     * Checks that {@code condition} stays false for {@code period} (while, for example, waiting
     * for something else would take as long anyway).
     */
    public void assertNever(String what, Duration period, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + period.toNanos();
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                throw new AssertionError("it happened: " + what + "\n" + diagnostics());
            }
            Thread.sleep(100);
        }
    }

    /**
     * {@code mgmt cluster status --seeds <via> --json}, run as its own process (in {@code via}'s
     * namespace under a partition), parsed.
     */
    public Status status(Host via) throws IOException, InterruptedException {
        return Status.parse(admin(via, "status", "--json"));
    }

    /** {@code mgmt cluster set-ideal-size N --seeds <via>}. */
    public void setIdealSize(Host via, int n) throws IOException, InterruptedException {
        admin(via, "set-ideal-size", Integer.toString(n));
        log("ideal cluster size set to " + n + " through " + via.name);
    }

    /** Runs {@code mgmt cluster <command> --seeds <via>} to its end; returns its output, fails on a non-zero exit. */
    private String admin(Host via, String... command) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("cluster"));
        args.addAll(List.of(command));
        args.addAll(List.of("--seeds", via.address()));
        if (net != null) {
            // The command joins as an observer; the hosts must reach it, so it listens in via's namespace.
            args.addAll(List.of("--listen", net.ip(via.index)));
        }
        int run = ++adminRuns;
        try (MgmtProcess p = MgmtProcess.start(via.launcher(), args)) {
            int code = p.waitFor();
            save("cluster-" + command[0] + "-" + run + "-via-" + via.name, p);
            if (code != 0) {
                throw new AssertionError("mgmt " + String.join(" ", args) + " exited " + code + "\nstdout:\n"
                        + p.stdout() + "\nstderr:\n" + p.stderr());
            }
            return p.stdout();
        }
    }

    /** Polls {@link #status} until it satisfies {@code condition}; returns that status. */
    public Status awaitStatus(String what, Host via, Predicate<Status> condition) throws Exception {
        Status[] last = {null};
        int[] failed = {0};
        await(what, () -> {
            try {
                last[0] = status(via);
                return condition.test(last[0]);
            } catch (AssertionError e) {
                // One status command may lose a race with a voter that is leaving; more is a bug.
                if (++failed[0] > MAX_FAILED_STATUS) {
                    throw e;
                }
                log("status command failed (" + failed[0] + " of at most " + MAX_FAILED_STATUS + " tolerated): "
                        + e.getMessage());
                return false;
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }, () -> "last status: " + last[0]);
        log("status: " + what + ": voters " + last[0].voters() + " (live " + last[0].liveVoters() + "), hosts "
                + last[0].live() + ", leader "
                + last[0].leader().orElse("none") + ", ideal " + last[0].idealSize());
        return last[0];
    }

    /** What each host is doing and the end of its error output, for failure messages. */
    public String diagnostics() {
        StringBuilder b = new StringBuilder("hosts (full output in " + logs + "):\n");
        for (Host h : hosts) {
            b.append("  ").append(h.name).append(' ').append(h.address()).append(": ").append(h.state()).append('\n');
            if (h.process != null) {
                tail(h.process.stderr(), 12).forEach(l -> b.append("    err| ").append(l).append('\n'));
                tail(h.process.stdout(), 4).forEach(l -> b.append("    out| ").append(l).append('\n'));
            }
        }
        if (net != null) {
            b.append("network: ").append(net).append('\n');
        }
        return b.toString();
    }

    /** Saves a thread dump of every running host next to its output, to see what a stuck host waits for. */
    public void threadDumps() {
        Path jstack = Path.of(System.getProperty("java.home"), "bin", "jstack");
        for (Host h : running()) {
            try {
                Files.createDirectories(logs);
                Process p = new ProcessBuilder(jstack.toString(), Long.toString(h.process.handle().pid()))
                        .redirectErrorStream(true)
                        .redirectOutput(logs.resolve(h.name + "." + h.incarnation + ".jstack").toFile())
                        .start();
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (IOException e) {
                log("cannot take a thread dump of " + h.name + ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Kills every process still running, saves all output, deletes the network. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(onExit);
        } catch (IllegalStateException e) {
            // the JVM is exiting; the hook does the same
        }
        cleanUp();
    }

    private synchronized void cleanUp() {
        for (Host h : hosts) {
            h.discard();
        }
        if (net != null) {
            net.close();
        }
    }

    private static List<String> tail(String text, int n) {
        List<String> lines = text.isEmpty() ? List.of() : Arrays.asList(text.split("\n"));
        return lines.subList(Math.max(0, lines.size() - n), lines.size());
    }

    private static String names(Collection<Host> hs) {
        return hs.stream().map(h -> h.name).collect(Collectors.joining(",", "[", "]"));
    }

    private void save(String name, MgmtProcess p) {
        try {
            Files.createDirectories(logs);
            Files.writeString(logs.resolve(name + ".out"), p.stdout() + "\n");
            Files.writeString(logs.resolve(name + ".err"), p.stderr() + "\n");
        } catch (IOException ignored) {
            // logs are a courtesy
        }
    }

    private static int freePort() throws IOException {
        return dev.mgmt.test.FreePorts.loopback();
    }

    /** One host: a name, an address, a graph, and its current process (if any). */
    public final class Host {
        private final int index;
        private final String name;
        private final Path dir;
        private final Path files;
        private final Path graph;
        private final String address;
        /** key to content; exported as file {@code <name>-<key>}. */
        private final Map<String, String> exports = new TreeMap<>();
        private List<String> startFlags = List.of();
        private MgmtProcess process;
        private int incarnation;
        private int generation;
        private String lastEnd = "not started";

        private Host(int index) throws IOException {
            this.index = index;
            this.name = "h" + index;
            this.dir = Files.createDirectories(root.resolve(name));
            this.files = dir.resolve("files");
            this.graph = dir.resolve("graph.yaml");
            this.address = net != null ? net.ip(index) + ":" + NETNS_PORT : "127.0.0.1:" + freePort();
        }

        public String name() {
            return name;
        }

        public int index() {
            return index;
        }

        /** {@code host:port} others join through. */
        public String address() {
            return address;
        }

        public boolean isRunning() {
            return process != null && process.handle().isAlive();
        }

        /** The current process (PID is java's also inside a namespace). */
        public MgmtProcess process() {
            return process;
        }

        /**
         * Starts this host, joining through every other running host (bootstrapping when none
         * runs), with {@code extra} flags after the harness's own. Restarts reuse the same flags.
         */
        public Host start(String... extra) throws IOException {
            if (isRunning()) {
                throw new IllegalStateException(name + " is already running");
            }
            startFlags = List.of(extra);
            return launch();
        }

        private Host launch() throws IOException {
            discard();
            writeGraph();
            List<String> seeds = running().stream().filter(h -> h != this).map(Host::address).toList();
            List<String> args = new ArrayList<>(List.of("run", "--yaml", graph.toString(), "--hostname", name,
                    "--listen", address, "--max-runtime", MAX_RUNTIME, "--grace-period", GRACE, "--verbose",
                    "--state-dir", dir.resolve("state").toString()));
            if (!seeds.isEmpty()) {
                args.addAll(List.of("--seeds", String.join(",", seeds)));
            }
            args.addAll(startFlags);
            incarnation++;
            List<String> jvm = new ArrayList<>();
            // The store's retries and client steering are logged at DEBUG: evidence when a write goes missing.
            jvm.add("-Dorg.slf4j.simpleLogger.log.dev.mgmt.cluster=debug");
            process = MgmtProcess.start(launcher(), jvm, args);
            lastEnd = "running";
            log(name + " started (incarnation " + incarnation + ", pid " + process.handle().pid() + ")"
                    + (seeds.isEmpty() ? ", bootstrapping" : ", joining through " + seeds));
            return this;
        }

        /** Waits until this host has joined the store and converged its own graph once. */
        public Host awaitUp() throws InterruptedException {
            MgmtProcess p = process;
            try {
                p.await(name + " up",
                        () -> p.stdout().contains("mgmt: cluster: ") && p.stdout().contains("converged after"));
                log(name + " up");
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\n" + diagnostics(), e);
            }
            return this;
        }

        /** SIGKILL: no shutdown hook, no goodbye to the cluster. */
        public void kill() throws InterruptedException {
            process.kill();
            lastEnd = "killed (-9)";
            log(name + " killed (-9)");
        }

        /** SIGTERM: mgmt leaves the cluster cleanly. */
        public int stop() throws InterruptedException {
            int code = process.terminate();
            lastEnd = "stopped (exit " + code + ")";
            log(name + " stopped (exit " + code + ")");
            return code;
        }

        /** Stops (SIGTERM) and starts again under the same name, address and flags. */
        public Host restart() throws IOException, InterruptedException {
            if (isRunning()) {
                stop();
            }
            return launch();
        }

        /** Sets what this host exports ({@code key} becomes file {@code <name>-<key>}) and rewrites its graph. */
        public synchronized void export(String key, String content) throws IOException {
            exports.put(key, content);
            writeGraph();
        }

        /** Changes export {@code key} to a new generation; returns the new content. */
        public synchronized String bump(String key) throws IOException {
            String content = name + " " + key + " " + (++generation);
            export(key, content);
            return content;
        }

        /** What this host exports now: file name to content. */
        public synchronized Map<String, String> exportedFiles() {
            Map<String, String> out = new TreeMap<>();
            exports.forEach((k, v) -> out.put(fileName(k), v + "\n"));
            return out;
        }

        /** The file name of export {@code key}. */
        public String fileName(String key) {
            return name + "-" + key;
        }

        /** The files in this host's directory, name to content. */
        public Map<String, String> files() {
            Map<String, String> out = new TreeMap<>();
            try (var s = Files.list(files)) {
                for (Path p : (Iterable<Path>) s::iterator) {
                    String n = p.getFileName().toString();
                    if (!n.startsWith(".")) {
                        try {
                            out.put(n, Files.readString(p));
                        } catch (IOException e) {
                            out.put(n, "<unreadable: " + e.getMessage() + ">");
                        }
                    }
                }
            } catch (IOException e) {
                return Map.of();
            }
            return out;
        }

        /** The content of file {@code name} here, or null. */
        public String file(String fileName) {
            return files().get(fileName);
        }

        List<String> launcher() {
            return net == null ? List.of() : net.exec(index);
        }

        String state() {
            return isRunning() ? "running, pid " + process.handle().pid() + ", incarnation " + incarnation : lastEnd;
        }

        /** Kills the process if alive and keeps its output. */
        private void discard() {
            if (process == null) {
                return;
            }
            if (process.handle().isAlive()) {
                process.close();
                lastEnd = "killed at clean-up";
                try {
                    process.waitFor();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (AssertionError ignored) {
                    // still going after a SIGKILL: nothing more to do
                }
            }
            save(name + "." + incarnation, process);
        }

        /** Writes the graph atomically (a rename), so the running mgmt never reads half of it. */
        private synchronized void writeGraph() throws IOException {
            StringBuilder y = new StringBuilder();
            y.append("graph: ").append(name).append('\n');
            y.append("resources:\n  file:\n");
            y.append("  - name: dir\n    path: ").append(files).append("/\n    state: exists\n");
            for (Map.Entry<String, String> e : exports.entrySet()) {
                String file = fileName(e.getKey());
                y.append("  - name: \"@@").append(file).append("\"\n");
                y.append("    path: ").append(files.resolve(file)).append('\n');
                y.append("    content: \"").append(quoted(e.getValue())).append("\\n\"\n");
                y.append("    state: exists\n");
            }
            y.append("collect:\n- kind: file\n  pattern: ").append(files).append("/\n");
            Path tmp = dir.resolve(".graph.yaml.tmp");
            Files.writeString(tmp, y);
            Files.move(tmp, graph, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }

        private static String quoted(String s) {
            if (!s.matches("[A-Za-z0-9 ._:-]*")) {
                throw new IllegalArgumentException("keep export contents simple: " + s);
            }
            return s;
        }

        @Override
        public String toString() {
            return name + "@" + address;
        }
    }

    /**
     * What {@code mgmt cluster status --json} says, reduced to what the tests check. A host can
     * be listed twice: a dead incarnation still in the Raft configuration and its live successor.
     *
     * @param idealSize  the ideal number of voters
     * @param leader     the leader's host, when the status names one
     * @param voters     the host of every voter member (one entry per member, dead ones included)
     * @param liveVoters the host of every voter member that membership sees alive
     * @param live       the hosts with a live member
     * @param json       the whole document, for messages
     */
    public record Status(int idealSize, Optional<String> leader, List<String> voters, List<String> liveVoters,
                         Set<String> live, String json) {

        static Status parse(String stdout) throws IOException {
            JsonNode n = JSON.readTree(stdout.substring(Math.max(0, stdout.indexOf('{'))));
            JsonNode l = n.path("leader");
            Optional<String> leader = l.isTextual() && !l.asText().isEmpty()
                    ? Optional.of(l.asText()) : Optional.empty();
            List<String> voters = new ArrayList<>();
            List<String> liveVoters = new ArrayList<>();
            Set<String> live = new TreeSet<>();
            for (JsonNode m : n.path("members")) {
                String host = m.path("host").asText();
                boolean alive = m.path("alive").asBoolean(false);
                if (m.path("voter").asBoolean(false)) {
                    voters.add(host);
                    if (alive) {
                        liveVoters.add(host);
                    }
                }
                if (alive) {
                    live.add(host);
                }
            }
            voters.sort(null);
            liveVoters.sort(null);
            return new Status(n.path("idealClusterSize").asInt(-1), leader, List.copyOf(voters),
                    List.copyOf(liveVoters), live, n.toString());
        }

        /** {@code n} voters, all alive, and a leader among them: the cluster has settled. */
        public boolean settled(int n) {
            return voters.size() == n && liveVoters.size() == n
                    && leader.isPresent() && liveVoters.contains(leader.get());
        }
    }
}
