package dev.mgmt.resources.linux.internal;

import dev.mgmt.resources.linux.PkgBackend;
import dev.mgmt.resources.linux.PkgResource;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * The apt/dpkg backend, through the commands:
 * <ul>
 *   <li>check: one {@code dpkg-query -W} for all the members; for {@code newest}, also one
 *       {@code apt-cache policy} (or {@code dpkg-deb -f} for a {@code source} file);</li>
 *   <li>install, upgrade, pin a version: one
 *       {@code apt-get install -y --no-install-recommends} with every member, as
 *       {@code name}, {@code name=version} or the {@code source} path, so apt fetches
 *       dependencies; it waits up to two minutes for dpkg's lock;</li>
 *   <li>remove: one {@code dpkg --remove}, which refuses to remove a package that other
 *       installed packages depend on (where {@code apt-get remove -y} would silently remove
 *       them too); while another process holds dpkg's lock it is retried, for up to two
 *       minutes;</li>
 *   <li>watch: inotify on {@code /var/lib/dpkg/status}, debounced.</li>
 * </ul>
 * Commands run with {@code DEBIAN_FRONTEND=noninteractive}; existing configuration files are
 * kept ({@code --force-confdef --force-confold}).
 */
public final class AptBackend implements PkgBackend {

    /** The one instance; it holds no connection. */
    public static final AptBackend INSTANCE = new AptBackend();

    /** How long a dpkg run waits for another package manager to let go of dpkg's lock. */
    static final Duration LOCK_WAIT = Duration.ofSeconds(120);
    private static final Map<String, String> QUERY_ENV = Map.of("LC_ALL", "C");
    private static final Map<String, String> APPLY_ENV = Map.of("DEBIAN_FRONTEND", "noninteractive",
            "APT_LISTCHANGES_FRONTEND", "none");

    private final AtomicLong transactions = new AtomicLong();
    private final AtomicLong queries = new AtomicLong();

    private AptBackend() {
    }

    @Override
    public String name() {
        return "apt";
    }

    /** What dpkg says of one package. */
    record Installed(String version, String status) {
        boolean installed() {
            return version != null;
        }
    }

    @Override
    public Mono<Map<String, String>> pending(List<PkgResource> members) {
        return Mono.defer(() -> {
            List<String> names = members.stream().map(PkgResource::name).toList();
            return query(names).flatMap(installed -> {
                if (!members.get(0).state().equals(PkgResource.NEWEST)) {
                    return Mono.just(judge(members, installed, Map.of()));
                }
                return candidates(members).map(c -> judge(members, installed, c));
            });
        });
    }

    /** Installed versions of {@code names}, by the names as given; one {@code dpkg-query}. */
    Mono<Map<String, Installed>> query(List<String> names) {
        List<String> argv = new ArrayList<>(List.of("dpkg-query", "-W",
                "-f=${binary:Package}\\t${Package}\\t${Architecture}\\t${Status}\\t${Version}\\n", "--"));
        argv.addAll(names);
        return Mono.defer(() -> {
            queries.incrementAndGet();
            return PkgCommand.run(argv, QUERY_ENV);
        }).handle((r, sink) -> {
            if (r.status() != 0 && r.status() != 1) { // 1: some package is unknown to dpkg
                sink.error(new IOException(r.describe()));
                return;
            }
            sink.next(parseQuery(names, r.stdout()));
        });
    }

    static Map<String, Installed> parseQuery(List<String> names, List<String> lines) {
        Map<String, Installed> byKey = new HashMap<>();
        for (String line : lines) {
            String[] f = line.split("\t", -1);
            if (f.length < 5) {
                continue;
            }
            String[] status = f[3].trim().split("\\s+");
            String word = status.length == 3 ? status[2] : f[3];
            boolean installed = word.equals("installed") || word.equals("triggers-pending")
                    || word.equals("triggers-awaited");
            Installed i = new Installed(installed && !f[4].isEmpty() ? f[4] : null, word);
            for (String key : new String[] {f[0], f[1], f[1] + ":" + f[2]}) {
                Installed prev = byKey.get(key);
                if (prev == null || !prev.installed()) {
                    byKey.put(key, i);
                }
            }
        }
        Map<String, Installed> out = new LinkedHashMap<>();
        for (String n : names) {
            out.put(n, byKey.getOrDefault(n, new Installed(null, "not-installed")));
        }
        return out;
    }

    /** The version {@code apt-get install} would install, per member; {@code null} for none. */
    private Mono<Map<String, String>> candidates(List<PkgResource> members) {
        List<String> fromRepo = new ArrayList<>();
        List<Mono<Map<String, String>>> parts = new ArrayList<>();
        for (PkgResource m : members) {
            if (m.source() == null) {
                fromRepo.add(m.name());
            } else {
                parts.add(Mono.defer(() -> {
                    queries.incrementAndGet();
                    return PkgCommand.run(List.of("dpkg-deb", "-f", m.source(), "Version"), QUERY_ENV);
                }).handle((r, sink) -> {
                    if (r.status() != 0 || r.stdout().isEmpty()) {
                        sink.error(new IOException(m.name() + ": source: " + r.describe()));
                        return;
                    }
                    Map<String, String> one = new HashMap<>();
                    one.put(m.name(), r.stdout().get(0).trim());
                    sink.next(one);
                }));
            }
        }
        if (!fromRepo.isEmpty()) {
            List<String> argv = new ArrayList<>(List.of("apt-cache", "policy", "--"));
            argv.addAll(fromRepo);
            parts.add(Mono.defer(() -> {
                queries.incrementAndGet();
                return PkgCommand.run(argv, QUERY_ENV);
            }).handle((r, sink) -> {
                if (r.status() != 0) {
                    sink.error(new IOException(r.describe()));
                    return;
                }
                sink.next(parsePolicy(r.stdout()));
            }));
        }
        return Flux.concat(parts).reduce(new HashMap<String, String>(), (a, b) -> {
            a.putAll(b);
            return a;
        }).map(m -> (Map<String, String>) m);
    }

    /** {@code apt-cache policy} output: the candidate of each package, {@code null} for {@code (none)}. */
    static Map<String, String> parsePolicy(List<String> lines) {
        Map<String, String> out = new HashMap<>();
        String pkg = null;
        for (String line : lines) {
            if (!line.isEmpty() && !Character.isWhitespace(line.charAt(0)) && line.endsWith(":")) {
                pkg = line.substring(0, line.length() - 1);
            } else if (pkg != null && line.trim().startsWith("Candidate:")) {
                String c = line.trim().substring("Candidate:".length()).trim();
                out.put(pkg, c.equals("(none)") ? null : c);
            }
        }
        return out;
    }

    private static Map<String, String> judge(List<PkgResource> members, Map<String, Installed> installed,
                                             Map<String, String> candidates) {
        Map<String, String> out = new LinkedHashMap<>();
        for (PkgResource m : members) {
            Installed i = installed.get(m.name());
            String why = reason(m, i, candidates.get(m.name()));
            if (why != null) {
                out.put(m.name(), why);
            }
        }
        return out;
    }

    private static String reason(PkgResource m, Installed i, String candidate) {
        String state = m.state();
        if (state.equals(PkgResource.UNINSTALLED)) {
            return i.installed() ? i.version() + " installed" : null;
        }
        if (!i.installed()) {
            return i.status().equals("not-installed") ? "not installed" : "not installed (" + i.status() + ")";
        }
        if (state.equals(PkgResource.INSTALLED)) {
            return null;
        }
        if (state.equals(PkgResource.NEWEST)) {
            return candidate == null || candidate.equals(i.version()) ? null
                    : i.version() + " installed, " + candidate + " available";
        }
        return state.equals(i.version()) ? null : i.version() + " installed, " + state + " wanted";
    }

    @Override
    public Mono<String> apply(List<PkgResource> members) {
        return Mono.defer(() -> {
            if (members.isEmpty()) {
                return Mono.just("nothing to do");
            }
            PkgResource first = members.get(0);
            List<String> argv = new ArrayList<>();
            if (first.state().equals(PkgResource.UNINSTALLED)) {
                argv.addAll(List.of("dpkg", "--remove", "--"));
                members.forEach(m -> argv.add(m.name()));
            } else {
                argv.addAll(List.of("apt-get", "install", "-y", "--no-install-recommends", "-q",
                        "-o", "DPkg::Lock::Timeout=120",
                        "-o", "Dpkg::Options::=--force-confdef", "-o", "Dpkg::Options::=--force-confold"));
                if (first.allowDowngrade() && first.stateIsVersion()) {
                    argv.add("--allow-downgrades");
                }
                if (first.allowUntrusted()) {
                    argv.add("--allow-unauthenticated");
                }
                argv.add("--");
                for (PkgResource m : members) {
                    argv.add(m.source() != null ? m.source() : m.stateIsVersion() ? m.name() + "=" + m.state() : m.name());
                }
            }
            transactions.incrementAndGet();
            return runWaitingForLock(argv).handle((r, sink) -> {
                if (r.status() != 0) {
                    sink.error(new IOException(r.describe()));
                    return;
                }
                sink.next(String.join(" ", argv.subList(0, 2)) + " " + String.join(" ",
                        members.stream().map(PkgResource::name).toList()) + ": exit 0 in " + r.millis() + " ms");
            });
        });
    }

    /**
     * Runs {@code argv}; while dpkg says another process holds its lock (apt-get waits by
     * itself, dpkg does not), runs it again every 250 ms, for up to {@link #LOCK_WAIT}.
     */
    private static Mono<PkgCommand.Result> runWaitingForLock(List<String> argv) {
        long deadline = System.nanoTime() + LOCK_WAIT.toNanos();
        return Mono.defer(() -> PkgCommand.run(argv, APPLY_ENV)).flatMap(r -> {
            if (r.status() != 0 && r.stderr().stream().anyMatch(l -> l.contains("lock")) && System.nanoTime() < deadline) {
                return Mono.error(new Locked());
            }
            return Mono.just(r);
        }).retryWhen(Retry.fixedDelay(Long.MAX_VALUE, Duration.ofMillis(250)).filter(e -> e instanceof Locked));
    }

    private static final class Locked extends Exception {
        Locked() {
            super("dpkg is locked", null, false, false);
        }
    }

    @Override
    public Flux<Object> watch() {
        return Dpkg.watch();
    }

    @Override
    public List<String> files(String pkg) {
        return Dpkg.installedFiles(pkg).orElse(List.of());
    }

    @Override
    public long transactions() {
        return transactions.get();
    }

    @Override
    public long queries() {
        return queries.get();
    }

    @Override
    public void close() {
        // nothing held
    }

    @Override
    public String toString() {
        return "apt";
    }
}
