package dev.mgmt.cli;

import dev.mgmt.api.yaml.TemplateUse;
import dev.mgmt.api.yaml.TemplateValues;
import dev.mgmt.api.yaml.YamlGraph;
import dev.mgmt.api.yaml.YamlGraphException.Problem;
import dev.mgmt.cluster.World;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import reactor.core.publisher.Flux;

/** What a graph file's templates read, and those values as a stream from the cluster. */
final class TemplateInputs {

    /** How to get a cluster, for the messages about what needs one. */
    static final String CLUSTER_FLAGS = "give --seeds HOST:PORT to join one, or --listen HOST:PORT to start one";

    private TemplateInputs() {
    }

    /** The cluster values a graph's templates read: the keys of its {@code kv}s, and whether it lists the hosts. */
    record Needs(SortedSet<String> keys, boolean hosts) {

        static final Needs NONE = new Needs(new TreeSet<>(), false);

        static Needs of(YamlGraph g) {
            SortedSet<String> keys = new TreeSet<>();
            boolean hosts = false;
            for (TemplateUse u : g.templateUses()) {
                if (u.function().equals("kv")) {
                    keys.add(u.key());
                }
                hosts |= u.function().equals("hosts");
            }
            return new Needs(keys, hosts);
        }

        boolean cluster() {
            return hosts || !keys.isEmpty();
        }
    }

    /**
     * The values at one moment: {@code read} are the keys read from the store, and {@code kvs}
     * those of them that are present (a key read and not in it is absent, which a {@code kv}
     * without a default refuses; a key not read is not known yet, and renders empty).
     */
    record Snapshot(String hostname, SortedSet<String> read, Map<String, String> kvs, List<String> hostLines)
            implements TemplateValues {

        /** This host's name alone: placeholders for the cluster's values, to learn what a graph reads. */
        static Snapshot local(String hostname) {
            return new Snapshot(hostname, new TreeSet<>(), Map.of(), List.of());
        }

        @Override
        public Optional<String> kv(String key) {
            return Optional.ofNullable(kvs.get(key));
        }

        @Override
        public boolean knows(String key) {
            return read.contains(key);
        }

        @Override
        public List<String> hosts() {
            return hostLines;
        }
    }

    /**
     * The values {@code needs} reads: the current ones at once, then each change of them (a
     * change of another key is not one). Without cluster needs, the one local snapshot: nothing
     * is subscribed.
     */
    static Flux<Snapshot> values(World world, String hostname, Needs needs) {
        if (!needs.cluster()) {
            return Flux.just(Snapshot.local(hostname));
        }
        // One narrow watch per key used: a watch of every key copied the whole key space on
        // every host at each change of any key, to keep a few of them.
        List<Flux<Optional<String>>> each = needs.keys().stream()
                .map(k -> world.watch(k).map(m -> Optional.ofNullable(m.get(k))).distinctUntilChanged())
                .toList();
        Flux<Map<String, String>> kv = each.isEmpty() ? Flux.just(Map.of())
                : Flux.combineLatest(each, latest -> {
                    Map<String, String> out = new TreeMap<>();
                    int i = 0;
                    for (String k : needs.keys()) {
                        @SuppressWarnings("unchecked")
                        Optional<String> v = (Optional<String>) latest[i++];
                        v.ifPresent(value -> out.put(k, value));
                    }
                    return Map.copyOf(out);
                });
        Flux<List<String>> hosts = !needs.hosts() ? Flux.just(List.of())
                : world.hosts().map(list -> list.stream().map(h -> h.name() + " " + h.address()).toList());
        return Flux.combineLatest(kv, hosts, (k, h) -> new Snapshot(hostname, needs.keys(), k, h)).distinctUntilChanged();
    }

    /**
     * Where the graph uses a function that needs a cluster, when none runs: each use, saying
     * which flags start or join one.
     */
    static List<Problem> withoutCluster(YamlGraph g) {
        return g.templateUses().stream().filter(TemplateUse::needsCluster)
                .map(u -> new Problem(g.source(), u.line(), u.where() + ": {{ " + u.function() + " }} reads the "
                        + "cluster, and this host runs none: " + CLUSTER_FLAGS))
                .toList();
    }
}
