package dev.mgmt.cli;

import dev.mgmt.api.Graph;
import dev.mgmt.api.NeedsKeyValueStore;
import dev.mgmt.api.Resource;
import dev.mgmt.api.codec.ResourceCodec;
import dev.mgmt.api.yaml.YamlGraph;
import dev.mgmt.api.yaml.YamlGraphException;
import dev.mgmt.cli.status.StatusServer;
import dev.mgmt.metrics.CheckTiming;
import dev.mgmt.cluster.ClusterNode;
import dev.mgmt.cluster.ClusterRunner;
import dev.mgmt.cluster.ElasticStrategy;
import dev.mgmt.cluster.HostName;
import dev.mgmt.api.Durations;
import dev.mgmt.api.Quoted;
import dev.mgmt.cluster.StoreLimitException;
import dev.mgmt.cluster.World;
import dev.mgmt.engine.Compilation;
import dev.mgmt.engine.Engine;
import dev.mgmt.engine.EngineBuilder;
import dev.mgmt.engine.internal.Names;
import dev.mgmt.engine.GraphCompileException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import reactor.core.publisher.Mono;

/** {@code mgmt run}: runs a YAML graph on the embedded engine. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run a graph: converge it, then keep repairing drift until stopped or converged long enough.")
final class RunCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"--yaml", "--file"}, required = true, paramLabel = "FILE",
            description = "The YAML graph to run (mgmt's format). Edits are picked up while running.")
    Path yaml;

    @Option(names = "--hostname", paramLabel = "NAME", description = "This host's name (default: the name in its "
            + "--tls-keystore certificate, else the machine's, as the hostname command prints it). With TLS it must be a "
            + "name in the certificate.")
    String hostname;

    // Defaults as initial values, not picocli's defaultValue: PlainRunFlags reads without picocli.
    @Option(names = "--converged-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Exit once converged this long: 0 if all is well, 1 naming failed resources. 0 is a one-shot "
                    + "run: the graph file is read once, and neither it nor the resources are watched for changes. -1 "
                    + "runs forever (default). In "
                    + DurationConverter.SYNTAX + ".")
    Duration convergedTimeout = Duration.ofSeconds(-1);

    @Option(names = "--graphviz", paramLabel = "FILE.dot", description = "Write the graph, coloured by state, to this DOT file.")
    Path graphviz;

    @Option(names = "--color", paramLabel = "WHEN",
            description = "Colour and a live status line: auto (default: on a terminal, colour unless NO_COLOR is set), "
                    + "always or never (colour only; a terminal keeps its status line).")
    Terminal.ColorMode color = Terminal.ColorMode.auto;

    @Option(names = "--noop", description = "Check only: print what would change and change nothing.")
    boolean noop;

    @Option(names = "--sema", paramLabel = "N",
            description = "At most N resources check/apply at once (0 = no cap).")
    int sema;

    @Option(names = "--max-runtime", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Stop after this long (0 = no limit, the default). In " + DurationConverter.SYNTAX + ".")
    Duration maxRuntime = Duration.ZERO;

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

    @Option(names = "--ideal-cluster-size", paramLabel = "N",
            description = "Ideal number of consensus voters (first host; default 5).")
    int idealClusterSize = 5;

    @Option(names = "--elastic-strategy", paramLabel = "STRATEGY",
            converter = ElasticStrategyConverter.class,
            description = "How the chooser treats dead voters: replace (default), add or prune.")
    ElasticStrategy elasticStrategy = ElasticStrategy.REPLACE;

    @Option(names = "--grace-period", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long a voter must be dead before the chooser may replace or remove it (default 10s). "
                    + "In " + DurationConverter.SYNTAX + ".")
    Duration gracePeriod = Duration.ofSeconds(10);

    @Option(names = "--join-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long joining may take: the seeds' answer and the store's first session (default 10s). "
                    + "Raise it when many hosts share a busy machine. In " + DurationConverter.SYNTAX + ".")
    Duration joinTimeout = Duration.ofSeconds(10);

    @Option(names = {"-v", "--verbose"}, description = "Log at INFO (default WARN) to stderr.")
    boolean verbose;

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "Where state that outlives the process is kept: pending reversals of meta.reverse "
                    + "resources, under DIR/HOST/GRAPH, and a store server's Raft files, under DIR/cluster (0700; "
                    + "a killed host's are wiped at the next start) (default: /var/lib/mgmt as root, else "
                    + "$XDG_STATE_HOME/mgmt or ~/.local/state/mgmt).")
    Path stateDir;

    @Option(names = "--prometheus", description = "Serve metrics (/metrics, in Prometheus's text format), health "
            + "(/health, /vertices) and a live page of the graph (/) over HTTP on --prometheus-listen.")
    boolean prometheus;

    @Option(names = "--prometheus-listen", paramLabel = "HOST:PORT",
            description = "Where --prometheus listens (default " + StatusServer.DEFAULT_LISTEN + "; :PORT for every "
                    + "address). Giving it turns --prometheus on.")
    String prometheusListen;

    @Option(names = "--prometheus-check-histogram", description = "Give mgmt_check_duration_seconds histogram "
            + "buckets (by default it is a count and a sum: a check is timed far more often than anything else, "
            + "and a histogram costs about 5 %% of a check that finds nothing to do). Turns --prometheus on.")
    boolean prometheusCheckHistogram;

    @Mixin
    ClusterSecurityOptions security = new ClusterSecurityOptions();

    /** Bound by {@link #checkFlags} with --prometheus; closed by the run loop, or here when the run ends early. */
    private Prometheus status;

    /** The flags given, each by every one of its names, when {@link PlainRunFlags} read them (picocli's parse result otherwise). */
    Set<String> plainFlags = Set.of();

    @Override
    public Integer call() {
        try {
            return run();
        } finally {
            if (status != null) {
                status.close();
            }
        }
    }

    /** A run that ends before its loop: the status server first (it reads the engine and the cluster), then those. */
    private void closeEarly(Engine engine, World world) {
        if (status != null) {
            status.close();
        }
        engine.close();
        if (world != null) {
            world.close();
        }
    }

    private Integer run() {
        Logging.forRun(verbose);
        checkFlags();
        PrintStream out = System.out;
        ResourceCodec codec = ResourceCodec.standard();
        warmUps = new WarmUps(codec.registry());
        // The graph is checked as the engine will run it: on a cluster host, with the cluster's store.
        ClusterStore store = new ClusterStore();
        GraphLoader loader = new GraphLoader(yaml, codec, g -> compileAsRun(g, store), System.err);
        readAt = modified(yaml);
        // Read first without the cluster: what the templates read decides whether one is needed.
        TemplateInputs.Snapshot values = TemplateInputs.Snapshot.local(host());
        GraphLoader.Reading reading = loader.read(values);
        YamlGraph peeked = reading.graph();
        if (reading.error() == null) {
            // Only the kinds this graph declares: JNA, say, is not started for a graph without files.
            warmUps.start(peeked.graph());
        }
        TemplateInputs.Needs needs = peeked == null ? TemplateInputs.Needs.NONE : TemplateInputs.Needs.of(peeked);
        clusterRuns = peeked == null || needs.cluster() || clustered(peeked);
        // A single host's first graph is compiled (for its problems) by the builder its engine is
        // built from, which then starts it without compiling it again.
        firstBuilder = clusterRuns ? null : Engine.builder();
        if (peeked != null && !clustered(peeked)) {
            List<YamlGraphException.Problem> problems = new ArrayList<>(TemplateInputs.withoutCluster(peeked));
            problems.addAll(withoutStore(peeked));
            if (!problems.isEmpty()) {
                loader.printProblems(INVALID, problems);
                return Mgmt.EXIT_INVALID;
            }
        }
        // With cluster templates, empty placeholders may make a good graph look bad (a path read from
        // a key): it is checked once rendered with the cluster's values, before anything is applied.
        Optional<YamlGraph> read = needs.cluster() ? Optional.of(peeked) : loader.accept(INVALID, reading);
        if (read.isEmpty()) {
            return Mgmt.EXIT_INVALID;
        }
        YamlGraph first = read.get();
        AtomicReference<YamlGraph> current = new AtomicReference<>(first);
        long t0 = System.nanoTime();
        RunLoop.Settings settings = new RunLoop.Settings(convergedTimeout, maxRuntime, noop, t0);
        Terminal terminal = Terminal.detect(color);
        Console console = new Console(out, terminal);
        System.setErr(console.guard(System.err));
        StopSignals signals = StopSignals.install();
        // Joining a cluster can take a while; a signal then is taken as soon as the run loop starts.
        java.util.concurrent.atomic.AtomicBoolean starting = new java.util.concurrent.atomic.AtomicBoolean(true);
        signals.stopped().thenAccept(sig -> {
            if (starting.get()) {
                console.line("mgmt: " + sig + " while starting: stopping once started (again to quit at once)");
            }
        });
        ConsoleReporter reporter = new ConsoleReporter(console);
        boolean cluster = clustered(first);
        clusterRuns = cluster;
        EngineBuilder builder = (firstBuilder != null ? firstBuilder : Engine.builder()).noop(noop).parallelism(sema)
                .autoEdges(!noAutoEdges).autoGroup(!noAutoGroup).codec(codec)
                .watchResources(!settings.oneShot())
                .stateDirectory(StateDirectory.root(stateDir).resolve(Names.safe(host())).resolve(Names.safe(first.graph().name())));
        if (cluster) {
            builder.keyValueStore(store);
        }
        Engine engine = builder.build();
        firstBuilder = null;
        engine.events().subscribe(reporter::on);
        if (status != null) {
            status.follow(engine);
        }
        if (!needs.cluster()) {
            announce(console, first, loader.compiled());
        }
        World world = null;
        if (cluster) {
            try {
                ClusterNode.Builder node = ClusterNode.builder().hostname(host())
                        .listen(listen == null ? DEFAULT_LISTEN : listen)
                        .seeds(seeds).server(!noServer).servers(servers).idealClusterSize(idealClusterSize)
                        .strategy(elasticStrategy).gracePeriod(gracePeriod).joinTimeout(joinTimeout)
                        .dataDir(StateDirectory.root(stateDir).resolve("cluster"));
                security.applyTo(node);
                if (advertise != null) {
                    node.advertise(advertise);
                }
                world = node.build().start();
                store.attach(world);
            } catch (RuntimeException e) {
                System.err.println("mgmt: cannot start the cluster: " + Messages.of(e));
                org.slf4j.LoggerFactory.getLogger(RunCommand.class).info("the cluster did not start", e);
                closeEarly(engine, null);
                return Mgmt.EXIT_INVALID;
            }
            console.line("mgmt: cluster: " + (seeds.isEmpty() ? "bootstrapped on " + (listen == null ? DEFAULT_LISTEN : listen)
                    : "joined through " + String.join(",", seeds)));
        }
        if (status != null) {
            status.start(engine, world, () -> current.get().graph().name(), console);
        }
        if (needs.cluster()) {
            // The first graph is rendered with the cluster's values, never with placeholders.
            // blockFirst throws on a timeout (and on a failed value stream) rather than returning null.
            try {
                values = TemplateInputs.values(world, host(), needs)
                        .timeout(joinTimeout, Mono.error(() -> new ValuesLate(joinTimeout)))
                        .blockFirst();
            } catch (RuntimeException e) {
                System.err.println("mgmt: " + yaml + ": " + (e instanceof ValuesLate ? e.getMessage()
                        : "cannot read the cluster's values for its templates: " + Messages.of(e))
                        + "; nothing was applied");
                values = null;
            }
            read = values == null ? Optional.empty() : loader.load(INVALID, values);
            if (read.isEmpty()) {
                closeEarly(engine, world);
                return Mgmt.EXIT_INVALID;
            }
            first = read.get();
            current.set(first);
            // Its first reading, with placeholders, may not have read whole (and so warmed nothing up).
            warmUps.start(first.graph());
            announce(console, first, loader.compiled());
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
            closeEarly(engine, world);
            return Mgmt.EXIT_INVALID;
        } catch (StoreLimitException e) {
            // The export is refused before the engine starts: nothing ran, nothing was exported.
            System.err.println("mgmt: " + yaml + ": " + e.getMessage() + "; nothing was applied");
            closeEarly(engine, world);
            return Mgmt.EXIT_INVALID;
        }
        if (status != null) {
            status.started(loader.compiled());
        }
        writeGraphviz(engine);
        starting.set(false);
        RunLoop loop = new RunLoop(engine, runner, world, console, reporter, graphvizFile, signals,
                status == null ? null : status.server(),
                settings);
        try (GraphFeed feed = GraphFeed.of(loader, world, host(), next -> apply(engine, runner, loader, current, next),
                needs, values)) {
            if (runner != null) {
                runner.latestGraphIn(feed.settled());
            }
            feed.start();
            return loop.run(yaml, feed, () -> !modified(yaml).equals(readAt),
                    () -> current.get().graph().resources().size());
        }
    }

    private void announce(Console console, YamlGraph first, Compilation compiled) {
        console.line(String.format("mgmt: host %s: graph '%s' from %s: %s, %s%s", host(), first.graph().name(), yaml,
                Plural.resources(first.graph().resources().size(), compiled == null ? -1 : compiled.resources().size()),
                Plural.edges(first.graph().edges().size(), compiled), noop ? " (noop)" : ""));
    }

    private static final String DEFAULT_LISTEN = "127.0.0.1:7946";
    private static final String INVALID = "is invalid; nothing was applied";

    /** A cluster runs when any cluster flag is given, or when the graph exports or collects anything. */
    private boolean clustered(YamlGraph g) {
        return !seeds.isEmpty() || listen != null || advertise != null || noServer || !servers.isEmpty()
                || given("--ideal-cluster-size", "--elastic-strategy", "--grace-period", "--join-timeout")
                || !g.graph().exports().isEmpty() || !g.graph().collects().isEmpty();
    }

    /**
     * Whether this run has a cluster, so its engine the cluster's store; set once the first graph
     * is read (true until then: the first graph's need of one is checked before, with the flags).
     */
    private volatile boolean clusterRuns = true;

    /** Until the engine is built, on a single host: the builder that compiles the first graph and builds the engine. */
    private volatile EngineBuilder firstBuilder;

    /**
     * Compiles {@code g} as this run's engine will: with the store only when a cluster runs.
     * Without one, a graph that needs it (a reload that adds a {@code kv}) is refused naming the
     * flags, as at start, rather than with the engine's words for Java embedders.
     */
    private Compilation compileAsRun(Graph g, ClusterStore store) {
        EngineBuilder shared = firstBuilder;
        EngineBuilder b = (shared != null ? shared : Engine.builder())
                .autoEdges(!noAutoEdges).autoGroup(!noAutoGroup);
        if (clusterRuns) {
            return b.keyValueStore(store).compile(g);
        }
        List<String> refused = g.resources().stream().filter(NeedsKeyValueStore.class::isInstance)
                .map(RunCommand::withoutStore).toList();
        if (!refused.isEmpty()) {
            throw new GraphCompileException(refused);
        }
        return b.compile(g);
    }

    /**
     * Where the graph has a resource that keeps something in the cluster's store, when no
     * cluster runs: each, saying which flags start or join one.
     */
    private static List<YamlGraphException.Problem> withoutStore(YamlGraph g) {
        List<YamlGraphException.Problem> out = new ArrayList<>();
        for (Resource r : g.graph().resources()) {
            if (r instanceof NeedsKeyValueStore) {
                out.add(new YamlGraphException.Problem(g.source(), g.line(r.id()), withoutStore(r)));
            }
        }
        return out;
    }

    /** Why {@code r}, which needs the cluster's store, cannot run on this host, naming the flags. */
    private static String withoutStore(Resource r) {
        return r.id() + ": " + ((NeedsKeyValueStore) r).storeUse() + " is in the cluster's key/value store, and this "
                + "host runs no cluster: " + TemplateInputs.CLUSTER_FLAGS;
    }

    private boolean given(String... options) {
        for (String o : options) {
            if (spec != null ? spec.commandLine().getParseResult().hasMatchedOption(o) : plainFlags.contains(o)) {
                return true;
            }
        }
        return false;
    }

    /** A bad flag: picocli's own exception, so that it is said as any other (one line, exit 2). */
    private ParameterException badFlag(String message) {
        return new ParameterException(commandLine(), message);
    }

    /**
     * This command's picocli command line: the one that parsed it, or, when {@link PlainRunFlags}
     * did, one made now (only a bad flag needs it, for its name in the message).
     */
    CommandLine commandLine() {
        return spec != null ? spec.commandLine() : Mgmt.commandLine(new String[] {"run"}).getSubcommands().get("run");
    }

    private void checkFlags() {
        if (convergedTimeout.isNegative() && !convergedTimeout.equals(Duration.ofSeconds(-1))) {
            throw badFlag("--converged-timeout must be -1 (forever) or at least 0, was "
                    + Durations.format(convergedTimeout));
        }
        if (sema < 0) {
            throw badFlag("--sema must be >= 0, was " + sema);
        }
        if (maxRuntime.isNegative()) {
            throw badFlag("--max-runtime must be at least 0 (0 = no limit), was "
                    + Durations.format(maxRuntime));
        }
        if (idealClusterSize < 1) {
            throw badFlag("--ideal-cluster-size must be >= 1, was " + idealClusterSize);
        }
        if (gracePeriod.isZero() || gracePeriod.isNegative()) {
            throw badFlag("--grace-period must be positive, was "
                    + Durations.format(gracePeriod));
        }
        if (joinTimeout.isZero() || joinTimeout.isNegative()) {
            throw badFlag("--join-timeout must be positive, was "
                    + Durations.format(joinTimeout));
        }
        GraphFile.problem(yaml).ifPresent(p -> {
            throw badFlag(p);
        });
        if (graphviz != null) {
            GraphvizFile.problem(graphviz).ifPresent(p -> {
                throw badFlag(p);
            });
            graphvizFile = new GraphvizFile(graphviz);
        }
        if (listen != null) {
            Addresses.problem("--listen", listen, true).ifPresent(p -> {
                throw badFlag(p);
            });
        }
        if (advertise != null) {
            Addresses.problem("--advertise", advertise, false).ifPresent(p -> {
                throw badFlag(p);
            });
        }
        if (hostname != null && !HostName.isPlain(hostname)) {
            throw badFlag("--hostname " + Quoted.of(hostname) + " is not a plain "
                    + "host name (letters, digits, '-', '.' and '_', at most 253)");
        }
        if (listen != null && advertise == null && wildcard(listen)) {
            throw badFlag("--listen " + listen + " binds every address of this "
                    + "host (TCP and UDP, IPv4 and IPv6) and is no address to tell other hosts: give --advertise "
                    + "HOST:PORT, the address they reach this host at, or listen on that one address");
        }
        if (prometheus || prometheusListen != null || prometheusCheckHistogram) {
            bindStatus();
        }
    }

    /** Listens now, before anything is read or applied: an address in use is a bad flag like any other. */
    private void bindStatus() {
        try {
            status = Prometheus.bind(prometheusListen,
                    prometheusCheckHistogram ? CheckTiming.HISTOGRAM : CheckTiming.TOTALS);
        } catch (IllegalArgumentException e) {
            throw badFlag(e.getMessage());
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

    /** Swaps {@code next} in; whether it went in (why not is said). */
    private boolean apply(Engine engine, ClusterRunner runner, GraphLoader loader, AtomicReference<YamlGraph> current,
                          YamlGraph next) {
        try {
            warmUps.start(next.graph());
            if (runner != null) {
                runner.swap(next.graph());
            } else {
                engine.swap(next.graph());
            }
            current.set(next);
            writeGraphviz(engine);
            return true;
        } catch (GraphCompileException e) {
            loader.printCompileProblems("changed but is invalid; the running graph is kept", e, next);
        } catch (IllegalStateException e) {
            // The engine is closing: no outcome of this graph's.
            throw new java.util.concurrent.CancellationException("engine closing");
        } catch (RuntimeException e) {
            // Say why and keep going: one bad edit (or an unwritable --state-dir) must not stop reloads.
            System.err.println("mgmt: " + yaml + " changed but cannot be applied; the running graph is kept: "
                    + Messages.of(e));
        }
        return false;
    }

    /** The warm-ups of the kinds the graphs declare, each started once; set once the registry is read. */
    private WarmUps warmUps;

    /** Set by {@link #checkFlags} once {@code --graphviz} is known to be writable; a no-op without it. */
    private GraphvizFile graphvizFile = GraphvizFile.NONE;

    private void writeGraphviz(Engine engine) {
        graphvizFile.write(engine);
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
        if (machineName == null) {
            // Read once: every use must see the same name.
            String name;
            try {
                name = HostName.ofThisMachine();
            } catch (IllegalStateException e) {
                throw badFlag(e.getMessage() + ": give this host one with --hostname");
            }
            machineName = name;
        }
        return machineName;
    }

    /** This machine's name, once {@link #host()} looked it up. */
    private String machineName;

    /** The cluster's values for the first graph's templates did not come in time. */
    private static final class ValuesLate extends RuntimeException {
        ValuesLate(Duration within) {
            super("the cluster's values for its templates did not come within " + Durations.format(within), null,
                    false, false);
        }
    }
}
