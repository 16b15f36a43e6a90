package dev.mgmt.bench;

import dev.mgmt.cluster.ClusterNode;
import dev.mgmt.cluster.ClusterStatus;
import dev.mgmt.cluster.World;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Elastic membership of real {@code mgmt run} processes, measured from outside (DESIGN.md
 * sections 6 and 9; docs/benchmarks.md "Cluster: elastic membership").
 *
 * <p>Every host is its own JVM, started as an operator would start it
 * ({@code java --add-opens ... -jar mgmt.jar run --hostname hN --listen 127.0.0.1:PORT [--seeds ...]
 * --ideal-cluster-size N --yaml noop.yaml --converged-timeout -1 -v}) on a free loopback port.
 * This JVM watches the cluster through an <em>observer</em> member
 * ({@code ClusterNode.builder().observer(true).server(false)}): it reads {@link World#status()},
 * raises the ideal size and writes keys, but is not a host and never serves the store. The
 * status of an observer reports the voters as the chooser last recorded them in the store, and
 * liveness as this JVM's own membership sees it; it is polled every {@value #POLL_MS} ms.
 *
 * <ol>
 *   <li><b>grow</b> ({@code rounds} fresh clusters): five hosts up, one voter (the first host
 *       bootstrapped with {@code --ideal-cluster-size 1}); the ideal size is raised to 3 through
 *       the observer, then to 5. Clocked from each raise until the status shows that many voters,
 *       all alive. Then <b>arrive</b> ({@code rounds} fresh clusters): the first host starts with
 *       {@code --ideal-cluster-size 5} alone, four more are spawned at once; clocked from the
 *       spawn until 3 and 5 live voters.</li>
 *   <li><b>replace</b> ({@code replace} kills): five voters and one spare host; {@code kill -9}
 *       of a follower voter; clocked until the status shows five live voters again, none of
 *       them the dead one. A new spare is started after each.</li>
 *   <li><b>failover</b> ({@code failover} kills): the same, but the leader's process is killed,
 *       and the clock stops when a put through the observer issued right after the kill is
 *       acknowledged. Each kill also gives one more replacement time.</li>
 * </ol>
 * Around every kill a continuous writer (sequential puts through a second observer, from 1 s
 * before to 8 s after the kill) records the longest wait for an acknowledgement.
 * Host logs ({@code -v}, INFO) are kept in the run directory; after each measured interval the
 * program prints what the hosts logged about it (chooser decisions, joins, Raft role changes)
 * with each line's offset from the start of the interval.
 *
 * <p>Every process it starts is killed on the way out (finally block and shutdown hook).
 *
 * <p>Usage: {@code bench/elastic-cluster.sh [rounds=3] [replace=4] [failover=10] [phases=grow,arrive,replace,failover]
 * [jar=mgmt-cli/target/mgmt.jar] [dir=bench/target/elastic-cluster] [hostopts="-Xmx256m ..."] [timeline=first|all|none]}
 */
public final class ElasticClusterBenchmark {

    private static final String ADD_OPENS = "java.base/java.util.concurrent.atomic=ALL-UNNAMED";
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final long POLL_MS = 20;
    private static final int IDEAL = 5;
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");
    /** A host log line: {@code HH:mm:ss.SSS [thread] LEVEL logger - message}. */
    private static final Pattern LOG_LINE = Pattern.compile("^(\\d\\d:\\d\\d:\\d\\d\\.\\d{3}) \\[[^\\]]*\\] (\\w+) (\\S+) - (.*)$");
    /** The log lines worth showing in a timeline. */
    private static final Pattern NOTABLE = Pattern.compile(
            "chooser: |nominated to serve|joined the store as a learner|now a store voter|Transitioning to|Found leader"
                    + "|Suspected network partition|could not promote|store client reopened|removing .* from the store|unnominated"
                    + "|no longer a store voter|cannot join|could not remove|Starting election|elastic membership step failed");

    private final Path jar;
    private final Path runDir;
    private final Path yaml;
    private final List<String> hostOpts;
    private final String timeline;
    private final String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private final List<Host> hosts = new CopyOnWriteArrayList<>();
    private final Set<Integer> usedPorts = new HashSet<>();
    private final List<double[]> load = new CopyOnWriteArrayList<>();
    private final Map<String, List<Double>> results = new LinkedHashMap<>();
    private World observer;
    /** A second observer, for the continuous writer. */
    private World writerWorld;
    private String cluster = "c0";
    private int clusters;
    private int hostCounter;

    private ElasticClusterBenchmark(Path jar, Path runDir, List<String> hostOpts, String timeline) throws IOException {
        this.jar = jar;
        this.runDir = runDir;
        this.hostOpts = hostOpts;
        this.timeline = timeline;
        Files.createDirectories(runDir.resolve("tmp"));
        this.yaml = runDir.resolve("noop.yaml");
        Files.writeString(yaml, "graph: elastic-bench\nresources:\n  noop:\n  - name: idle\n");
    }

    public static void main(String[] args) throws Exception {
        int rounds = 3;
        int replace = 4;
        int failover = 10;
        Set<String> phases = Set.of("grow", "arrive", "replace", "failover");
        Path jar = Path.of("mgmt-cli/target/mgmt.jar");
        Path dir = Path.of("bench/target/elastic-cluster");
        List<String> hostOpts = List.of();
        String timeline = "first";
        for (String a : args) {
            String[] kv = a.split("=", 2);
            if (kv.length != 2) {
                throw new IllegalArgumentException("arguments are key=value, not " + a);
            }
            switch (kv[0]) {
                case "rounds" -> rounds = Integer.parseInt(kv[1]);
                case "replace" -> replace = Integer.parseInt(kv[1]);
                case "failover" -> failover = Integer.parseInt(kv[1]);
                case "phases" -> phases = Set.of(kv[1].split(","));
                case "jar" -> jar = Path.of(kv[1]);
                case "dir" -> dir = Path.of(kv[1]);
                case "hostopts" -> hostOpts = kv[1].isBlank() ? List.of() : List.of(kv[1].trim().split("\\s+"));
                case "timeline" -> timeline = kv[1];
                default -> throw new IllegalArgumentException("unknown argument " + kv[0]
                        + " (rounds, replace, failover, phases, jar, dir, hostopts, timeline)");
            }
        }
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("no " + jar + ": build it with mvn -pl mgmt-cli -am package -DskipTests");
        }
        Path runDir = dir.resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        ElasticClusterBenchmark b = new ElasticClusterBenchmark(jar.toAbsolutePath(), runDir.toAbsolutePath(), hostOpts,
                timeline);
        Thread hook = new Thread(() -> {
            b.killAll();
            b.deleteTmp();
        }, "elastic-bench-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        int code = 0;
        try {
            b.run(rounds, replace, failover, phases);
        } catch (Throwable e) {
            System.out.println("\nFAILED: " + e);
            e.printStackTrace(System.out);
            code = 1;
        } finally {
            b.closeObserver();
            b.killAll();
            b.deleteTmp();
        }
        System.out.println("\nhost logs: " + runDir.toAbsolutePath());
        System.exit(code);
    }

    private void run(int rounds, int replace, int failover, Set<String> phases) throws Exception {
        Thread sampler = new Thread(this::sampleLoad, "elastic-bench-load");
        sampler.setDaemon(true);
        sampler.start();
        System.out.printf(Locale.ROOT, "elastic membership of mgmt run processes: %s, %d cores, load average %s%n",
                jar, Runtime.getRuntime().availableProcessors(), BenchSupport.loadAverage());
        System.out.println("run directory (host logs): " + runDir);
        if (phases.contains("grow")) {
            for (int r = 1; r <= rounds; r++) {
                grow(r, r == rounds && !phases.contains("arrive") && needsCluster(phases));
            }
        }
        if (phases.contains("arrive")) {
            for (int r = 1; r <= rounds; r++) {
                arrive(r, r == rounds && needsCluster(phases));
            }
        }
        if (needsCluster(phases)) {
            if (observer == null) {
                newCluster();
                startVoters(IDEAL, "config");
                awaitStatus("5 live voters", s -> liveVoters(s) == IDEAL && s.voters().size() == IDEAL, WAIT);
            }
            respawnSpare();
            if (phases.contains("replace")) {
                for (int i = 1; i <= replace; i++) {
                    replaceFollower(i);
                }
            }
            if (phases.contains("failover")) {
                baselinePuts();
                for (int i = 1; i <= failover; i++) {
                    failover(i);
                }
            }
        }
        summary();
    }

    private static boolean needsCluster(Set<String> phases) {
        return phases.contains("replace") || phases.contains("failover");
    }

    // ---- phase 1: growing ----

    /** Five hosts, one voter; raise the ideal size to 3, then to 5. */
    private void grow(int round, boolean keep) throws Exception {
        System.out.printf(Locale.ROOT, "%n== grow, round %d: 5 hosts up with 1 voter; ideal size raised 1 -> 3 -> 5 (load %s)%n",
                round, BenchSupport.loadAverage());
        newCluster();
        Host first = startHost(List.of(), 1);
        awaitReady(first);
        for (int i = 2; i <= IDEAL; i++) {
            awaitReady(startHost(seeds(), 1));
        }
        startObserver();
        awaitStatus("5 hosts, 1 voter", s -> aliveHosts(s) == IDEAL && s.voters().size() == 1 && liveVoters(s) == 1
                && s.leader().isPresent(), WAIT);
        Thread.sleep(1000);

        for (int target : new int[] {3, 5}) {
            int from = liveVoters(status());
            long wall = System.currentTimeMillis();
            long t0 = System.nanoTime();
            observer.idealClusterSize(target).block(WAIT);
            long acked = System.nanoTime();
            long[] reached = milestones(from, target, t0, List.of());
            double total = BenchSupport.ms(reached[target] - t0);
            StringBuilder steps = new StringBuilder();
            for (int k = from + 1; k <= target; k++) {
                steps.append(String.format(Locale.ROOT, " %d voters at %.0f ms;", k, BenchSupport.ms(reached[k] - t0)));
            }
            System.out.printf(Locale.ROOT, "  %d -> %d voters: %.0f ms (ideal size written in %.0f ms;%s)%n", from, target,
                    total, BenchSupport.ms(acked - t0), steps);
            record("grow " + from + " -> " + target + " (ideal raised)", total);
            for (int k = from + 1; k <= target; k++) {
                record("grow: one more voter", BenchSupport.ms(reached[k] - reached[k - 1]));
            }
            printTimeline(wall, round == 1);
        }
        recordJoins();
        if (!keep) {
            tearDown();
        }
    }

    /** The first host wants 5 voters; four more hosts are spawned at once. */
    private void arrive(int round, boolean keep) throws Exception {
        System.out.printf(Locale.ROOT, "%n== arrive, round %d: first host with --ideal-cluster-size 5, then 4 hosts spawned at once (load %s)%n",
                round, BenchSupport.loadAverage());
        newCluster();
        Host first = startHost(List.of(), IDEAL);
        awaitReady(first);
        startObserver();
        awaitStatus("the first host leading", s -> liveVoters(s) == 1 && s.leader().isPresent(), WAIT);
        Thread.sleep(1000);
        long wall = System.currentTimeMillis();
        long t0 = System.nanoTime();
        List<String> seeds = seeds();
        List<Host> joiners = new ArrayList<>();
        for (int i = 2; i <= IDEAL; i++) {
            joiners.add(startHost(seeds, IDEAL));
        }
        long[] reached = milestones(1, IDEAL, t0, joiners);
        long lastReady = joiners.stream().mapToLong(h -> h.ready).max().orElse(t0);
        System.out.printf(Locale.ROOT, "  spawn -> 3 voters: %.0f ms, -> 5 voters: %.0f ms (2: %.0f, 4: %.0f; the last"
                        + " of the 4 processes printed 'mgmt: cluster: joined' at %.0f ms)%n", BenchSupport.ms(reached[3] - t0), BenchSupport.ms(reached[5] - t0),
                BenchSupport.ms(reached[2] - t0), BenchSupport.ms(reached[4] - t0), BenchSupport.ms(lastReady - t0));
        record("arrive: spawn 4 hosts -> 3 voters", BenchSupport.ms(reached[3] - t0));
        record("arrive: spawn 4 hosts -> 5 voters", BenchSupport.ms(reached[5] - t0));
        record("arrive: spawn 4 hosts -> all 4 joined as clients", BenchSupport.ms(lastReady - t0));
        printTimeline(wall, round == 1);
        recordJoins();
        if (!keep) {
            tearDown();
        }
    }

    /** Polls the status until it shows {@code target} live voters; returns when each count from {@code from} was first seen. */
    private long[] milestones(int from, int target, long t0, List<Host> joiners) {
        long[] reached = new long[target + 1];
        Arrays.fill(reached, -1);
        for (int k = 0; k <= from; k++) {
            reached[k] = t0;
        }
        long deadline = t0 + WAIT.toNanos();
        while (true) {
            for (Host h : joiners) {
                if (h.ready == 0 && readLog(h).contains("mgmt: cluster: ")) {
                    h.ready = System.nanoTime();
                }
            }
            ClusterStatus s = status();
            long now = System.nanoTime();
            if (s != null) {
                int live = liveVoters(s);
                for (int k = from + 1; k <= Math.min(live, target); k++) {
                    if (reached[k] < 0) {
                        reached[k] = now;
                    }
                }
                if (live == target && s.voters().size() == target && joiners.stream().allMatch(h -> h.ready != 0)) {
                    for (int k = 1; k <= target; k++) {
                        if (reached[k] < 0) {
                            reached[k] = now;
                        }
                    }
                    return reached;
                }
            }
            if (now > deadline) {
                throw new IllegalStateException("no " + target + " live voters within " + WAIT + "; last status: " + s);
            }
            BenchSupport.sleep(POLL_MS);
        }
    }

    // ---- phase 2: replacing a dead follower ----

    private void replaceFollower(int i) throws Exception {
        ClusterStatus before = awaitStable();
        String leader = before.leader().orElseThrow();
        String victim = before.voters().stream().map(ClusterStatus.Member::host).filter(h -> !h.equals(leader))
                .sorted().findFirst().orElseThrow();
        boolean bootstrapLeader = leader.equals("h1");
        System.out.printf(Locale.ROOT, "%n== replace %d: kill -9 follower voter %s (leader %s%s; load %s)%n", i, victim, leader,
                bootstrapLeader ? ", the host that bootstrapped the cluster" : "", BenchSupport.loadAverage());
        Writer writer = startWriter();
        long wall = System.currentTimeMillis();
        long t0 = System.nanoTime();
        host(victim).kill();
        long[] t = awaitReplaced(victim, t0);
        writer.finish();
        long stepDowns = logLines(wall).stream().filter(l -> l.message.contains("Suspected network partition")).count();
        System.out.printf(Locale.ROOT, "  dead in the observer's view at %.0f ms; out of the voters at %.0f ms; %d live voters"
                        + " again at %.0f ms%n", BenchSupport.ms(t[0] - t0), BenchSupport.ms(t[1] - t0), IDEAL, BenchSupport.ms(t[2] - t0));
        System.out.printf(Locale.ROOT, "  continuous writer: %s%s%n", writer.describe(t0),
                stepDowns > 0 ? "; the leader stepped down ('Suspected network partition'), then " + electedAfter(wall).describe()
                        : "; no leader change");
        String under = bootstrapLeader ? " [leader: the bootstrap host]" : " [leader: an elected host]";
        record("replace: kill -> dead (observer's membership)", BenchSupport.ms(t[0] - t0));
        record("replace: kill -> out of the voters" + under, BenchSupport.ms(t[1] - t0));
        record("replace: kill -> 5 live voters" + under, BenchSupport.ms(t[2] - t0));
        record("replace: continuous writer's longest wait for an ack" + under, writer.longestGap(t0));
        count("follower kills after which the leader stepped down" + under, stepDowns > 0);
        printTimeline(wall, i == 1);
        recordJoins();
        respawnSpare();
    }

    /** Times when the victim was seen dead, seen out of the voters, and when the ideal number of live voters was back. */
    private long[] awaitReplaced(String victim, long t0) {
        long[] t = {-1, -1, -1};
        long deadline = t0 + WAIT.toNanos();
        while (true) {
            ClusterStatus s = status();
            long now = System.nanoTime();
            if (s != null) {
                Optional<ClusterStatus.Member> v = s.members().stream().filter(m -> m.host().equals(victim)).findFirst();
                if (t[0] < 0 && v.map(m -> !m.alive()).orElse(true)) {
                    t[0] = now;
                }
                boolean voter = s.voters().stream().anyMatch(m -> m.host().equals(victim));
                if (t[1] < 0 && !voter) {
                    t[1] = now;
                }
                if (!voter && liveVoters(s) == IDEAL && s.voters().size() == IDEAL) {
                    t[0] = t[0] < 0 ? now : t[0];
                    t[1] = t[1] < 0 ? now : t[1];
                    t[2] = now;
                    return t;
                }
            }
            if (now > deadline) {
                throw new IllegalStateException(victim + " not replaced within " + WAIT + "; last status: " + s);
            }
            BenchSupport.sleep(POLL_MS);
        }
    }

    /**
     * Starts sequential puts through a second observer (so that a put stuck in its session cannot
     * hold up the first observer's), one second before a kill, for {@link Writer#WINDOW} after it.
     */
    private Writer startWriter() throws InterruptedException {
        if (writerWorld == null) {
            writerWorld = ClusterNode.builder().hostname("bench-writer-" + cluster).listen("127.0.0.1:" + BenchSupport.freePort(usedPorts))
                    .seeds(seeds()).observer(true).server(false).joinTimeout(Duration.ofSeconds(30)).build().start();
        }
        Writer w = new Writer(writerWorld);
        w.start();
        Thread.sleep(1000);
        return w;
    }

    /** Sequential puts, each timed: one second before the kill, then {@link #WINDOW}. */
    private static final class Writer extends Thread {
        static final Duration WINDOW = Duration.ofSeconds(8);
        final World world;
        final long started = System.nanoTime();
        /** Each put: issued, acknowledged (nanoTime); a failed call counts as acknowledged when it failed. */
        final List<long[]> puts = new CopyOnWriteArrayList<>();
        volatile int failed;
        final List<String> errors = new CopyOnWriteArrayList<>();

        Writer(World world) {
            super("elastic-bench-writer");
            setDaemon(true);
            this.world = world;
        }

        @Override
        public void run() {
            // One second of steady writes before the kill, then the window after it.
            long end = started + TimeUnit.SECONDS.toNanos(1) + WINDOW.toNanos();
            int n = 0;
            while (System.nanoTime() < end) {
                long s = System.nanoTime();
                try {
                    world.put("bench/writer", Integer.toString(n++)).block(WAIT);
                } catch (RuntimeException e) {
                    failed++;
                    errors.add(String.format(Locale.ROOT, "after %.0f ms: %s", BenchSupport.ms(System.nanoTime() - s), e.getMessage()));
                }
                puts.add(new long[] {s, System.nanoTime()});
            }
        }

        void finish() {
            try {
                join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** The longest time, from the kill on, that the writer waited for an acknowledgement. */
        double longestGap(long kill) {
            long prev = kill;
            long longest = 0;
            for (long[] p : puts) {
                if (p[1] <= kill) {
                    continue;
                }
                longest = Math.max(longest, p[1] - Math.max(prev, p[0]));
                prev = p[1];
            }
            return BenchSupport.ms(longest);
        }

        String describe(long kill) {
            long[] slowest = puts.stream().max(Comparator.comparingLong(p -> p[1] - p[0])).orElse(new long[] {kill, kill});
            return String.format(Locale.ROOT, "%d puts; longest wait for an ack after the kill %.0f ms; slowest put %.0f ms,"
                    + " issued %.0f ms %s the kill%s", puts.size(), longestGap(kill), BenchSupport.ms(slowest[1] - slowest[0]),
                    Math.abs(BenchSupport.ms(slowest[0] - kill)), slowest[0] < kill ? "before" : "after",
                    failed > 0 ? "; " + failed + " put calls failed: " + String.join("; ", errors) : "");
        }
    }

    // ---- phase 3: leader failover ----

    private void baselinePuts() {
        double[] d = new double[30];
        for (int i = -10; i < d.length; i++) {
            long t0 = System.nanoTime();
            observer.put("bench/baseline", Integer.toString(i)).block(WAIT);
            if (i >= 0) {
                d[i] = BenchSupport.ms(System.nanoTime() - t0);
            }
        }
        Arrays.sort(d);
        System.out.printf(Locale.ROOT, "%n== put through the observer, no failure: p50 %.1f ms, max %.1f ms (30 puts)%n",
                BenchSupport.pct(d, 50), d[d.length - 1]);
        for (double x : d) {
            record("put through the observer, no failure", x);
        }
    }

    private void failover(int i) throws Exception {
        ClusterStatus before = awaitStable();
        String leader = before.leader().orElseThrow();
        System.out.printf(Locale.ROOT, "%n== failover %d: kill -9 leader %s (load %s)%n", i, leader, BenchSupport.loadAverage());
        Writer writer = startWriter();
        long wall = System.currentTimeMillis();
        long t0 = System.nanoTime();
        host(leader).kill();
        int failures = 0;
        long written;
        while (true) {
            try {
                observer.put("bench/failover", Integer.toString(i)).block(WAIT);
                written = System.nanoTime();
                break;
            } catch (RuntimeException e) {
                failures++;
                if (System.nanoTime() - t0 > WAIT.toNanos()) {
                    throw e;
                }
            }
        }
        double stall = BenchSupport.ms(written - t0);
        long newLeader = awaitStatus("a new leader in the status", s -> s.leader().isPresent()
                && !s.leader().get().equals(leader), WAIT);
        long[] t = awaitReplaced(leader, t0);
        writer.finish();
        OptionalLeader elected = electedAfter(wall);
        System.out.printf(Locale.ROOT, "  put acknowledged %.0f ms after the kill%s; %s; new leader in the status at %.0f ms;"
                        + " %d live voters again at %.0f ms%n", stall,
                failures > 0 ? " (after " + failures + " failed put calls)" : "",
                elected.describe(), BenchSupport.ms(newLeader - t0), IDEAL, BenchSupport.ms(t[2] - t0));
        System.out.println("  continuous writer (second observer): " + writer.describe(t0));
        record("failover: kill leader -> put acknowledged", stall);
        record("failover: continuous writer's longest wait for an ack", writer.longestGap(t0));
        if (elected.offsetMs >= 0) {
            record("failover: kill leader -> new leader's 'Transitioning to LEADER'", elected.offsetMs);
        }
        record("failover: kill leader -> 5 live voters", BenchSupport.ms(t[2] - t0));
        printTimeline(wall, i == 1);
        recordJoins();
        respawnSpare();
    }

    private record OptionalLeader(String host, double offsetMs) {
        String describe() {
            return offsetMs < 0 ? "no 'Transitioning to LEADER' logged" : host + " logged 'Transitioning to LEADER' at "
                    + String.format(Locale.ROOT, "%.0f ms", offsetMs);
        }
    }

    /** The first host that logged becoming the Raft leader after {@code wall}. */
    private OptionalLeader electedAfter(long wall) {
        return logLines(wall).stream().filter(l -> l.message.contains("Transitioning to LEADER"))
                .min(Comparator.comparingDouble(LogLine::offsetMs))
                .map(l -> new OptionalLeader(l.host, l.offsetMs)).orElse(new OptionalLeader("", -1));
    }

    // ---- the cluster ----

    /** Waits for the ideal number of live voters, a leader, and a live spare volunteer; then lets it settle. */
    private ClusterStatus awaitStable() throws InterruptedException {
        awaitStatus("a stable cluster with a spare", ElasticClusterBenchmark::stable, WAIT);
        Thread.sleep(1500);
        ClusterStatus s = status();
        if (s == null || !stable(s)) {
            awaitStatus("a stable cluster with a spare", ElasticClusterBenchmark::stable, WAIT);
            s = status();
        }
        return s;
    }

    private static boolean stable(ClusterStatus s) {
        return s.voters().size() == IDEAL && liveVoters(s) == IDEAL && s.leader().isPresent()
                && s.members().stream().anyMatch(m -> m.alive() && !m.voter() && m.volunteer());
    }

    /** Starts a spare volunteer host (once the one used up by the last replacement). */
    private void respawnSpare() {
        long spares = Optional.ofNullable(status()).map(s -> s.members().stream()
                .filter(m -> m.alive() && !m.voter() && m.volunteer()).count()).orElse(0L);
        if (spares == 0) {
            Host h = startHost(seeds(), IDEAL);
            awaitReady(h);
        }
    }

    private void newCluster() {
        clusters++;
        cluster = "c" + clusters;
        hostCounter = 0;
    }

    /** Starts {@code n} hosts (the first bootstraps); opens the observer. */
    private void startVoters(int n, String why) {
        System.out.printf(Locale.ROOT, "%n== %s: %d hosts, ideal size %d%n", why, n, n);
        awaitReady(startHost(List.of(), n));
        for (int i = 2; i <= n; i++) {
            awaitReady(startHost(seeds(), n));
        }
        startObserver();
    }

    private Host startHost(List<String> seeds, int ideal) {
        hostCounter++;
        String name = "h" + hostCounter;
        String address = "127.0.0.1:" + BenchSupport.freePort(usedPorts);
        Path log = runDir.resolve(cluster + "-" + name + ".log");
        Path tmp = runDir.resolve("tmp").resolve(cluster + "-" + name);
        List<String> cmd = new ArrayList<>(List.of(javaBin, "--add-opens", ADD_OPENS, "-Djava.io.tmpdir=" + tmp));
        cmd.addAll(hostOpts);
        cmd.addAll(List.of("-jar", jar.toString(), "run", "--hostname", name, "--listen", address,
                "--ideal-cluster-size", Integer.toString(ideal), "--yaml", yaml.toString(), "--converged-timeout", "-1", "-v"));
        if (!seeds.isEmpty()) {
            cmd.add("--seeds");
            cmd.add(String.join(",", seeds));
        }
        try {
            Files.createDirectories(tmp);
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Host h = new Host(name, address, p, log);
            hosts.add(h);
            return h;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + String.join(" ", cmd), e);
        }
    }

    /** Waits for the host's "mgmt: cluster: ..." line (its World has started); returns when it was seen. */
    private long awaitReady(Host h) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            if (readLog(h).contains("mgmt: cluster: ")) {
                return System.nanoTime();
            }
            if (!h.process.isAlive()) {
                throw new IllegalStateException(h.name + " exited (" + h.process.exitValue() + ") before joining:\n"
                        + tail(h, 30));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(h.name + " did not join within " + WAIT + ":\n" + tail(h, 30));
            }
            BenchSupport.sleep(POLL_MS);
        }
    }

    /** Addresses of the live hosts of this cluster. */
    private List<String> seeds() {
        return hosts.stream().filter(h -> h.cluster.equals(cluster) && h.process.isAlive()).map(h -> h.address).toList();
    }

    private Host host(String name) {
        return hosts.stream().filter(h -> h.cluster.equals(cluster) && h.name.equals(name) && h.process.isAlive())
                .findFirst().orElseThrow(() -> new IllegalStateException("no live process for host " + name));
    }

    private void startObserver() {
        closeObserver();
        observer = ClusterNode.builder().hostname("bench-observer-" + cluster).listen("127.0.0.1:" + BenchSupport.freePort(usedPorts))
                .seeds(seeds()).observer(true).server(false).joinTimeout(Duration.ofSeconds(30)).build().start();
    }

    private void closeObserver() {
        World w = writerWorld;
        writerWorld = null;
        if (w != null) {
            w.close();
        }
        World o = observer;
        observer = null;
        if (o != null) {
            try {
                o.close();
            } catch (RuntimeException e) {
                System.out.println("  (closing the observer: " + e.getMessage() + ")");
            }
        }
    }

    private void tearDown() {
        closeObserver();
        for (Host h : hosts) {
            if (h.cluster.equals(cluster)) {
                h.kill();
            }
        }
    }

    /** Kills every process this program started: kill -9, then waits for each. */
    private void killAll() {
        for (Host h : hosts) {
            h.process.destroyForcibly();
        }
        for (Host h : hosts) {
            try {
                h.process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void deleteTmp() {
        if (!Files.isDirectory(runDir.resolve("tmp"))) {
            return;
        }
        try (Stream<Path> walk = Files.walk(runDir.resolve("tmp"))) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.out.println("cannot delete " + runDir.resolve("tmp") + ": " + e.getMessage());
        }
    }

    private final class Host {
        final String cluster = ElasticClusterBenchmark.this.cluster;
        final String name;
        final String address;
        final Process process;
        final Path log;
        /** When its "mgmt: cluster: ..." line was first seen, if it was watched for; else 0. */
        volatile long ready;

        Host(String name, String address, Process process, Path log) {
            this.name = name;
            this.address = address;
            this.process = process;
            this.log = log;
        }

        /** kill -9 (SIGKILL); waits until the process is gone. */
        void kill() {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ---- status ----

    private ClusterStatus status() {
        try {
            return observer.status().block(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Polls until the status satisfies {@code until}; returns the time it first did. */
    private long awaitStatus(String what, Predicate<ClusterStatus> until, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        ClusterStatus last = null;
        while (true) {
            ClusterStatus s = status();
            long now = System.nanoTime();
            if (s != null) {
                last = s;
                if (until.test(s)) {
                    return now;
                }
            }
            if (now > deadline) {
                throw new IllegalStateException("timed out waiting for " + what + "; last status: " + describe(last));
            }
            BenchSupport.sleep(POLL_MS);
        }
    }

    private static int liveVoters(ClusterStatus s) {
        return (int) s.voters().stream().filter(ClusterStatus.Member::alive).count();
    }

    private static int aliveHosts(ClusterStatus s) {
        return (int) s.members().stream().filter(ClusterStatus.Member::alive).count();
    }

    private static String describe(ClusterStatus s) {
        if (s == null) {
            return "none";
        }
        StringBuilder b = new StringBuilder("ideal " + s.idealClusterSize() + ", leader " + s.leader().orElse("?") + ":");
        for (ClusterStatus.Member m : s.members()) {
            b.append(' ').append(m.host()).append(m.voter() ? "(voter" : "(").append(m.alive() ? "" : ",dead").append(')');
        }
        return b.toString();
    }

    // ---- host logs ----

    private record LogLine(String host, double offsetMs, String text, String message) {
    }

    /** Notable lines every host of this cluster logged at or after {@code wall} (epoch ms). */
    private List<LogLine> logLines(long wall) {
        LocalTime from = LocalTime.ofInstant(Instant.ofEpochMilli(wall), ZoneId.systemDefault());
        List<LogLine> out = new ArrayList<>();
        for (Host h : hosts) {
            if (!h.cluster.equals(cluster)) {
                continue;
            }
            for (String line : readLog(h).split("\n")) {
                Matcher m = LOG_LINE.matcher(line);
                if (!m.matches() || !NOTABLE.matcher(m.group(4)).find()) {
                    continue;
                }
                LocalTime t = LocalTime.parse(m.group(1), CLOCK);
                double offset = Duration.between(from, t).toNanos() / 1e6;
                if (offset >= -5) {
                    out.add(new LogLine(h.name, offset, line, m.group(4)));
                }
            }
        }
        out.sort(Comparator.comparingDouble(LogLine::offsetMs));
        return out;
    }

    private void printTimeline(long wall, boolean first) {
        if (timeline.equals("none") || (timeline.equals("first") && !first)) {
            return;
        }
        System.out.println("  what the hosts logged (ms after the start of the interval):");
        for (LogLine l : logLines(wall)) {
            String msg = l.message.replaceAll("^RaftServer\\{[^}]*\\}(\\{[^}]*\\})* - ", "raft: ");
            System.out.printf(Locale.ROOT, "    %7.0f  %-4s %s%n", l.offsetMs, l.host, msg);
        }
    }

    private final Set<String> joinsSeen = new HashSet<>();

    /**
     * For every host that became a voter and was not counted yet, the steps of its join from the
     * host logs: nominated -> Raft role PASSIVE on the joiner (its store server built, joining
     * as a learner through {@code RaftServer.listen}), PASSIVE -> the leader's "chooser: promote"
     * (the chooser saw the learner in the configuration), "promote" -> Raft role FOLLOWER on the
     * joiner (the promotion committed and applied there), and nominated -> FOLLOWER in all.
     */
    private void recordJoins() {
        for (Host h : hosts) {
            String key = h.cluster + "/" + h.name;
            if (joinsSeen.contains(key)) {
                continue;
            }
            LocalTime nominated = null;
            LocalTime passive = null;
            LocalTime follower = null;
            for (String line : readLog(h).split("\n")) {
                Matcher m = LOG_LINE.matcher(line);
                if (!m.matches()) {
                    continue;
                }
                LocalTime t = LocalTime.parse(m.group(1), CLOCK);
                String msg = m.group(4);
                if (nominated == null && msg.contains("nominated to serve the store")) {
                    nominated = t;
                } else if (nominated != null && passive == null && msg.endsWith("Transitioning to PASSIVE")) {
                    passive = t;
                } else if (passive != null && msg.endsWith("Transitioning to FOLLOWER")) {
                    follower = t;
                    break;
                }
            }
            if (follower == null) {
                continue;
            }
            LocalTime from = nominated;
            Optional<LocalTime> promoted = hosts.stream().filter(o -> o.cluster.equals(h.cluster))
                    .flatMap(o -> Arrays.stream(readLog(o).split("\n")))
                    .map(LOG_LINE::matcher).filter(Matcher::matches)
                    .filter(m -> m.group(4).contains("chooser: promote " + h.name + " to voter"))
                    .map(m -> LocalTime.parse(m.group(1), CLOCK))
                    .filter(t -> t.isAfter(from))
                    .min(Comparator.naturalOrder());
            joinsSeen.add(key);
            record("join: nominated -> Raft PASSIVE on the joiner (server built)", Duration.between(nominated, passive).toMillis());
            if (promoted.isPresent()) {
                record("join: PASSIVE -> the chooser's 'promote'", Duration.between(passive, promoted.get()).toMillis());
                record("join: 'promote' -> Raft FOLLOWER on the joiner", Duration.between(promoted.get(), follower).toMillis());
            }
            record("join: nominated -> Raft FOLLOWER (a voter)", Duration.between(nominated, follower).toMillis());
        }
    }

    private static String readLog(Host h) {
        try {
            return Files.exists(h.log) ? Files.readString(h.log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static String tail(Host h, int n) {
        String[] lines = readLog(h).split("\n");
        return String.join("\n", Arrays.asList(lines).subList(Math.max(0, lines.length - n), lines.length));
    }

    // ---- results ----

    private final Map<String, int[]> counts = new LinkedHashMap<>();

    private void count(String what, boolean yes) {
        int[] c = counts.computeIfAbsent(what, k -> new int[2]);
        c[0] += yes ? 1 : 0;
        c[1]++;
    }

    private void record(String what, double ms) {
        results.computeIfAbsent(what, k -> new ArrayList<>()).add(ms);
    }

    private void summary() {
        System.out.println();
        System.out.println("== summary (ms)");
        System.out.println();
        System.out.printf(Locale.ROOT, "| %-66s | %3s | %8s | %8s | %8s | %s%n", "measure", "n", "p50", "min", "max",
                "all, in order");
        System.out.printf("|%s|%s|%s|%s|%s|%n", "-".repeat(68), "-".repeat(5), "-".repeat(10), "-".repeat(10),
                "-".repeat(10));
        results.forEach((what, xs) -> {
            double[] s = xs.stream().mapToDouble(Double::doubleValue).toArray();
            double[] sorted = s.clone();
            Arrays.sort(sorted);
            StringBuilder all = new StringBuilder();
            for (double x : s) {
                all.append(all.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.0f", x));
            }
            System.out.printf(Locale.ROOT, "| %-66s | %3d | %8.0f | %8.0f | %8.0f | %s%n", what, s.length, BenchSupport.pct(sorted, 50),
                    sorted[0], sorted[sorted.length - 1], all);
        });
        System.out.println();
        counts.forEach((what, c) -> System.out.printf(Locale.ROOT, "%s: %d of %d%n", what, c[0], c[1]));
        double[] l = load.stream().mapToDouble(x -> x[0]).sorted().toArray();
        if (l.length > 0) {
            System.out.printf(Locale.ROOT, "%n1-minute load average during the run (%d samples, every 5 s): min %.2f,"
                    + " median %.2f, max %.2f (%d cores)%n", l.length, l[0], BenchSupport.pct(l, 50), l[l.length - 1],
                    Runtime.getRuntime().availableProcessors());
        }
    }

    private void sampleLoad() {
        while (true) {
            try {
                String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
                load.add(new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1])});
            } catch (IOException | RuntimeException e) {
                return;
            }
            BenchSupport.sleep(5000);
        }
    }
}
