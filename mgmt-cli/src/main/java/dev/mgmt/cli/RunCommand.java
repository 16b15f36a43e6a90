package dev.mgmt.cli;

import dev.mgmt.api.EngineEvent;
import dev.mgmt.api.codec.ResourceCodec;
import dev.mgmt.api.yaml.YamlGraph;
import dev.mgmt.cluster.ClusterNode;
import dev.mgmt.cluster.ClusterRunner;
import dev.mgmt.cluster.ElasticStrategy;
import dev.mgmt.cluster.HostName;
import dev.mgmt.api.Quoted;
import dev.mgmt.cluster.StoreLimitException;
import dev.mgmt.cluster.World;
import dev.mgmt.engine.Convergence;
import dev.mgmt.engine.Engine;
import dev.mgmt.engine.internal.Names;
import dev.mgmt.engine.GraphCompileException;
import dev.mgmt.engine.VertexState;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code mgmt run}: runs a YAML graph on the embedded engine. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run a graph: converge it, then keep repairing drift until stopped or converged long enough.")
final class RunCommand implements Callable<Integer> {

    private static final int TIME_UP = -1;
    private static final int SIGNALLED = -2;

    @Spec
    CommandSpec spec;

    @Option(names = {"--yaml", "--file"}, required = true, paramLabel = "FILE",
            description = "The YAML graph to run (mgmt's format). Edits are picked up while running.")
    Path yaml;

    @Option(names = "--hostname", paramLabel = "NAME", description = "This host's name (default: the name in its "
            + "--tls-keystore certificate, else the machine's). With TLS it must be a name in the certificate.")
    String hostname;

    @Option(names = "--converged-timeout", paramLabel = "SECONDS", defaultValue = "-1",
            description = "Exit once converged this long: 0 if all is well, 1 naming failed resources. -1 runs forever (default).")
    int convergedTimeout;

    @Option(names = "--graphviz", paramLabel = "FILE.dot", description = "Write the graph, coloured by state, to this DOT file.")
    Path graphviz;

    @Option(names = "--noop", description = "Check only: print what would change and change nothing.")
    boolean noop;

    @Option(names = "--sema", paramLabel = "N", defaultValue = "0",
            description = "At most N resources check/apply at once (0 = no cap).")
    int sema;

    @Option(names = "--max-runtime", paramLabel = "SECONDS", defaultValue = "0",
            description = "Stop after this many seconds (0 = no limit).")
    int maxRuntime;

    @Option(names = "--no-autoedges", description = "Add no automatic edges (per resource: meta.autoedge: false).")
    boolean noAutoEdges;

    @Option(names = "--no-autogroup", description = "Group no resources (per resource: meta.autogroup: false).")
    boolean noAutoGroup;

    @Option(names = "--seeds", split = ",", paramLabel = "HOST:PORT",
            description = "Join the cluster through these hosts (comma separated). Without seeds, a cluster host bootstraps its own.")
    List<String> seeds = List.of();

    @Option(names = "--listen", paramLabel = "HOST:PORT", description = "Cluster address to listen on (default 127.0.0.1:7946).")
    String listen;

    @Option(names = "--advertise", paramLabel = "HOST:PORT", description = "Cluster address other hosts use (default: --listen).")
    String advertise;

    @Option(names = "--no-server", description = "Never become a consensus voter; use the store as a client.")
    boolean noServer;

    @Option(names = "--cluster-server", paramLabel = "NAME",
            description = "A host that may hold the store (become a consensus voter) when this host's chooser "
                    + "leads; repeat for more. Default: any volunteer. A voter can read and rewrite every key, so "
                    + "in a cluster whose members you do not all trust that far, name the ones you do (the same "
                    + "list on every host).")
    List<String> servers = new ArrayList<>();

    @Option(names = "--ideal-cluster-size", paramLabel = "N", defaultValue = "5",
            description = "Ideal number of consensus voters (first host; default 5).")
    int idealClusterSize;

    @Option(names = "--elastic-strategy", paramLabel = "STRATEGY", defaultValue = "replace",
            converter = ElasticStrategyConverter.class,
            description = "How the chooser treats dead voters: replace (default), add or prune.")
    ElasticStrategy elasticStrategy;

    @Option(names = "--grace-period", paramLabel = "DURATION", defaultValue = "10s", converter = DurationConverter.class,
            description = "How long a voter must be dead before the chooser may replace or remove it, "
                    + "as in 500ms, 10s, 2m (default 10s).")
    Duration gracePeriod;

    @Option(names = {"-v", "--verbose"}, description = "Log at INFO (default WARN) to stderr.")
    boolean verbose;

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "Where state that outlives the process is kept: pending reversals of meta.reverse "
                    + "resources, under DIR/HOST/GRAPH, and a store server's Raft files, under DIR/cluster (0700; "
                    + "a killed host's are wiped at the next start) (default: /var/lib/mgmt as root, else "
                    + "$XDG_STATE_HOME/mgmt or ~/.local/state/mgmt).")
    Path stateDir;

    @Mixin
    ClusterSecurityOptions security = new ClusterSecurityOptions();

    @Override
    public Integer call() {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "info" : "warn");
        if (!verbose) {
            // The console lines already say what the engine logs; keep stderr for real trouble.
            System.setProperty("org.slf4j.simpleLogger.log.dev.mgmt.engine", "off");
            // Netty warns with a stack trace for every TLS handshake it refuses: a host with the
            // wrong certificate retrying its join would bury the seed's own output.
            System.setProperty("org.slf4j.simpleLogger.log.io.netty.channel.DefaultChannelPipeline", "error");
        }
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS");
        checkFlags();
        PrintStream out = System.out;
        ResourceCodec codec = ResourceCodec.standard();
        GraphLoader loader = new GraphLoader(yaml, codec,
                g -> Engine.builder().autoEdges(!noAutoEdges).autoGroup(!noAutoGroup).compile(g), System.err);
        readAt = modified(yaml);
        Optional<YamlGraph> read = loader.load("is invalid; nothing was applied");
        if (read.isEmpty()) {
            return Mgmt.EXIT_INVALID;
        }
        YamlGraph first = read.get();
        AtomicReference<YamlGraph> current = new AtomicReference<>(first);
        long t0 = System.nanoTime();
        ConsoleReporter reporter = new ConsoleReporter(out);
        Engine engine = Engine.builder().noop(noop).parallelism(sema)
                .autoEdges(!noAutoEdges).autoGroup(!noAutoGroup).codec(codec)
                .stateDirectory(stateRoot().resolve(Names.safe(host())).resolve(Names.safe(first.graph().name())))
                .build();
        engine.events().subscribe(reporter::on);
        out.printf("mgmt: host %s: graph '%s' from %s: %d resources, %d edges%s%n", host(), first.graph().name(),
                yaml, first.graph().resources().size(), first.graph().edges().size(), noop ? " (noop)" : "");
        World world = null;
        if (clustered(first)) {
            try {
                ClusterNode.Builder node = ClusterNode.builder().hostname(host())
                        .listen(listen == null ? DEFAULT_LISTEN : listen)
                        .seeds(seeds).server(!noServer).servers(servers).idealClusterSize(idealClusterSize)
                        .strategy(elasticStrategy).gracePeriod(gracePeriod)
                        .dataDir(stateRoot().resolve("cluster"));
                security.applyTo(node);
                if (advertise != null) {
                    node.advertise(advertise);
                }
                world = node.build().start();
            } catch (RuntimeException e) {
                System.err.println("mgmt: cannot start the cluster: " + e.getMessage());
                engine.close();
                return Mgmt.EXIT_INVALID;
            }
            out.println("mgmt: cluster: " + (seeds.isEmpty() ? "bootstrapped on " + (listen == null ? DEFAULT_LISTEN : listen)
                    : "joined through " + String.join(",", seeds)));
        }
        ClusterRunner runner = world == null ? null : new ClusterRunner(engine, world, codec);
        try {
            if (runner != null) {
                runner.start(first.graph());
            } else {
                engine.start(first.graph());
            }
        } catch (GraphCompileException e) {
            loader.printCompileProblems("is invalid; nothing was applied", e, first);
            engine.close();
            if (world != null) {
                world.close();
            }
            return Mgmt.EXIT_INVALID;
        } catch (StoreLimitException e) {
            // The export is refused before the engine starts: nothing ran, nothing was exported.
            System.err.println("mgmt: " + yaml + ": " + e.getMessage() + "; nothing was applied");
            engine.close();
            world.close();
            return Mgmt.EXIT_INVALID;
        }
        writeGraphviz(engine);

        CompletableFuture<Integer> done = new CompletableFuture<>();
        CountDownLatch closed = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            done.complete(SIGNALLED);
            try {
                closed.await(70, TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }, "mgmt-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);

        if (convergedTimeout >= 0) {
            (runner != null ? runner.convergedEverywhere(Duration.ofSeconds(convergedTimeout))
                    : engine.converged(Duration.ofSeconds(convergedTimeout)))
                    .subscribe(c -> done.complete(c.isSuccess() ? 0 : Mgmt.EXIT_FAILED), done::completeExceptionally);
        }
        ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mgmt-cli-timer");
            t.setDaemon(true);
            return t;
        });
        if (maxRuntime > 0) {
            timers.schedule(() -> done.complete(TIME_UP), maxRuntime, TimeUnit.SECONDS);
        }
        Progress progress = new Progress(engine, out);
        timers.scheduleWithFixedDelay(progress::tick, 1, 1, TimeUnit.SECONDS);
        engine.events().subscribe(e -> {
            if (e instanceof EngineEvent.Converged c) {
                progress.converged(c, t0);
            } else if (e instanceof EngineEvent.Unconverged) {
                progress.unconverged();
            }
        });

        GraphFileWatcher watcher = null;
        try {
            watcher = new GraphFileWatcher(yaml, () -> reload(engine, runner, loader, current));
        } catch (IOException e) {
            System.err.println("mgmt: cannot watch " + yaml + " for changes: " + e.getMessage());
        }
        if (watcher != null && !modified(yaml).equals(readAt)) {
            // Edited while the cluster started, before the watcher was there to see it.
            reload(engine, runner, loader, current);
        }

        int code = done.join();
        try {
            if (watcher != null) {
                watcher.close();
            }
        } catch (IOException ignored) {
            // closing anyway
        }
        timers.shutdownNow();
        if (code == SIGNALLED) {
            out.println("mgmt: interrupted; finishing running applies and closing watches");
        } else if (code == TIME_UP) {
            out.println("mgmt: --max-runtime of " + maxRuntime + " s reached");
        }
        Map<VertexState, Integer> states = engine.states();
        writeGraphviz(engine);
        if (runner != null) {
            runner.close();
        }
        engine.close();
        if (world != null) {
            // Leaving removes this host's exports; the others drop their copies.
            world.close();
        }
        int failed = states.get(VertexState.FAILED);
        int result = code >= 0 ? code : failed > 0 ? Mgmt.EXIT_FAILED : 0;
        summary(out, states, reporter, t0, engine, result);
        closed.countDown();
        if (code != SIGNALLED) {
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        return result;
    }

    private static final String DEFAULT_LISTEN = "127.0.0.1:7946";

    /** A cluster runs when any cluster flag is given, or when the graph exports or collects anything. */
    private boolean clustered(YamlGraph g) {
        return !seeds.isEmpty() || listen != null || advertise != null || noServer || !servers.isEmpty()
                || given("--ideal-cluster-size", "--elastic-strategy", "--grace-period")
                || !g.graph().exports().isEmpty() || !g.graph().collects().isEmpty();
    }

    private boolean given(String... options) {
        for (String o : options) {
            if (spec.commandLine().getParseResult().hasMatchedOption(o)) {
                return true;
            }
        }
        return false;
    }

    private void checkFlags() {
        if (convergedTimeout < -1) {
            throw new ParameterException(spec.commandLine(), "--converged-timeout must be -1 (forever) or >= 0, was " + convergedTimeout);
        }
        if (sema < 0) {
            throw new ParameterException(spec.commandLine(), "--sema must be >= 0, was " + sema);
        }
        if (maxRuntime < 0) {
            throw new ParameterException(spec.commandLine(), "--max-runtime must be >= 0, was " + maxRuntime);
        }
        if (idealClusterSize < 1) {
            throw new ParameterException(spec.commandLine(), "--ideal-cluster-size must be >= 1, was " + idealClusterSize);
        }
        if (gracePeriod.isZero() || gracePeriod.isNegative()) {
            throw new ParameterException(spec.commandLine(), "--grace-period must be positive, was " + gracePeriod.toMillis() + "ms");
        }
        if (!Files.isRegularFile(yaml)) {
            throw new ParameterException(spec.commandLine(), "no such graph file: " + yaml);
        }
        if (hostname != null && !HostName.isPlain(hostname)) {
            throw new ParameterException(spec.commandLine(), "--hostname " + Quoted.of(hostname) + " is not a plain "
                    + "host name (letters, digits, '-', '.' and '_', at most 253)");
        }
        if (listen != null && advertise == null && wildcard(listen)) {
            throw new ParameterException(spec.commandLine(), "--listen " + listen + " binds every address of this "
                    + "host (TCP and UDP, IPv4 and IPv6) and is no address to tell other hosts: give --advertise "
                    + "HOST:PORT, the address they reach this host at, or listen on that one address");
        }
    }

    private static boolean wildcard(String address) {
        try {
            return ClusterNode.HostPort.parse(address).isWildcard();
        } catch (IllegalArgumentException e) {
            return false; // said when the cluster starts
        }
    }

    private java.nio.file.attribute.FileTime readAt;

    private static java.nio.file.attribute.FileTime modified(Path p) {
        try {
            return java.nio.file.Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return java.nio.file.attribute.FileTime.fromMillis(0);
        }
    }

    private void reload(Engine engine, ClusterRunner runner, GraphLoader loader, AtomicReference<YamlGraph> current) {
        Optional<YamlGraph> read = loader.load("changed but is invalid; the running graph is kept");
        if (read.isEmpty()) {
            return;
        }
        YamlGraph next = read.get();
        try {
            if (runner != null) {
                runner.swap(next.graph());
            } else {
                engine.swap(next.graph());
            }
            current.set(next);
            writeGraphviz(engine);
        } catch (GraphCompileException e) {
            loader.printCompileProblems("changed but is invalid; the running graph is kept", e, next);
        } catch (IllegalStateException e) {
            // engine closing
        } catch (RuntimeException e) {
            // Say why and keep going: one bad edit (or an unwritable --state-dir) must not stop reloads.
            System.err.println("mgmt: " + yaml + " changed but cannot be applied; the running graph is kept: "
                    + e.getMessage());
        }
    }

    private void writeGraphviz(Engine engine) {
        if (graphviz == null) {
            return;
        }
        try {
            Files.writeString(graphviz, engine.toDot());
        } catch (IOException | RuntimeException e) {
            System.err.println("mgmt: cannot write graphviz to " + graphviz + ": " + e.getMessage());
        }
    }

    /** The --state-dir, or where a daemon or a user keeps its state on Linux. */
    private Path stateRoot() {
        if (stateDir != null) {
            return stateDir;
        }
        if ("root".equals(System.getProperty("user.name"))) {
            return Path.of("/var/lib/mgmt");
        }
        String xdg = System.getenv("XDG_STATE_HOME");
        return (xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local", "state"))
                .resolve("mgmt");
    }

    private String host() {
        if (hostname != null && !hostname.isBlank()) {
            return hostname;
        }
        // With TLS a host is who its certificate says.
        Optional<String> named = security.certificateName();
        if (named.isPresent()) {
            return hostname = named.get();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    private void summary(PrintStream out, Map<VertexState, Integer> states, ConsoleReporter reporter, long t0,
                         Engine engine, int result) {
        int total = states.values().stream().mapToInt(Integer::intValue).sum();
        String took = String.format("%.1f s", (System.nanoTime() - t0) / 1e9);
        out.printf("mgmt: %s after %s: %d resources, %d applied, %d failed, %d blocked%n",
                result == 0 ? "done" : "FAILED", took, total, reporter.applied.get(),
                states.get(VertexState.FAILED), states.get(VertexState.BLOCKED));
        if (noop) {
            out.println("mgmt: noop: " + (engine.noopReport().isEmpty() ? "nothing would change"
                    : "would change " + engine.noopReport().stream().map(Object::toString)
                            .collect(Collectors.joining(", "))));
        }
    }

    /** Prints a progress line while the graph converges, and one line when it has. */
    private static final class Progress {
        private final Engine engine;
        private final PrintStream out;
        private volatile String lastLine = "";
        private volatile boolean settled;
        private volatile String lastConverged = "";

        Progress(Engine engine, PrintStream out) {
            this.engine = engine;
            this.out = out;
        }

        void tick() {
            if (settled) {
                return;
            }
            try {
                Map<VertexState, Integer> s = engine.states();
                int total = s.values().stream().mapToInt(Integer::intValue).sum();
                String line = String.format(
                        "progress: %d/%d clean, %d running, %d pending, %d waiting, %d retrying, %d failed%s",
                        s.get(VertexState.CLEAN), total, s.get(VertexState.RUNNING),
                        s.get(VertexState.PENDING) + s.get(VertexState.UNARMED), s.get(VertexState.WAITING),
                        s.get(VertexState.RETRYING), s.get(VertexState.FAILED),
                        s.get(VertexState.BLOCKED) > 0 ? ", " + s.get(VertexState.BLOCKED) + " blocked" : "");
                if (!line.equals(lastLine)) {
                    lastLine = line;
                    out.println(line);
                }
            } catch (RuntimeException ignored) {
                // engine closing
            }
        }

        void converged(EngineEvent.Converged c, long t0) {
            settled = true;
            Convergence conv = new Convergence(c.failed(), c.blocked());
            String what = conv.describe();
            if (!what.equals(lastConverged)) {
                lastConverged = what;
                out.printf("%s after %.1f s%n", what, (System.nanoTime() - t0) / 1e9);
            }
        }

        void unconverged() {
            settled = false;
        }
    }
}
