package dev.mgmt.cluster;

import dev.mgmt.api.Resource;
import dev.mgmt.api.ResourceId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Several hosts' worlds over one in-memory map, for testing the runner's logic apart from
 * the store. The real store (Atomix) is tested in its own tests.
 */
final class InMemoryWorlds {

    private final Map<String, String> kv = new TreeMap<>();
    private final Map<String, List<Exported>> exports = new TreeMap<>();
    private final Map<String, Boolean> converged = new TreeMap<>();
    private final Map<String, List<CollectRefusal>> refusals = new TreeMap<>();
    private final Sinks.Many<Object> changes = Sinks.many().replay().latest();

    InMemoryWorlds() {
        changes.tryEmitNext(new Object());
    }

    synchronized World world(String host) {
        converged.put(host, false);
        return new Host(host);
    }

    private synchronized void changed() {
        changes.tryEmitNext(new Object());
    }

    private final class Host implements World {
        private final String host;

        Host(String host) {
            this.host = host;
        }

        @Override
        public String host() {
            return host;
        }

        @Override
        public Mono<Void> export(Collection<? extends Resource> resources, Map<ResourceId, Set<String>> to) {
            return Mono.fromRunnable(() -> {
                synchronized (InMemoryWorlds.this) {
                    exports.put(host, resources.stream()
                            .map(r -> new Exported(host, r, to.getOrDefault(r.id(), Set.of()))).toList());
                }
                changed();
            });
        }

        @Override
        public Flux<List<Exported>> collect(String kind) {
            return changes.asFlux().map(x -> {
                synchronized (InMemoryWorlds.this) {
                    List<Exported> out = new ArrayList<>();
                    exports.forEach((h, rs) -> {
                        if (!h.equals(host)) {
                            rs.stream().filter(e -> e.resource().kind().equals(kind)).forEach(out::add);
                        }
                    });
                    return out;
                }
            }).distinctUntilChanged();
        }

        @Override
        public Mono<Void> put(String key, String value) {
            return Mono.fromRunnable(() -> {
                synchronized (InMemoryWorlds.this) {
                    kv.put(key, value);
                }
                changed();
            });
        }

        @Override
        public Mono<Optional<String>> get(String key) {
            return Mono.fromCallable(() -> {
                synchronized (InMemoryWorlds.this) {
                    return Optional.ofNullable(kv.get(key));
                }
            });
        }

        @Override
        public Mono<Void> delete(String key) {
            return Mono.fromRunnable(() -> {
                synchronized (InMemoryWorlds.this) {
                    kv.remove(key);
                }
                changed();
            });
        }

        @Override
        public Flux<Map<String, String>> watch(String prefix) {
            return changes.asFlux().map(x -> {
                synchronized (InMemoryWorlds.this) {
                    Map<String, String> out = new TreeMap<>();
                    kv.forEach((k, v) -> {
                        if (k.startsWith(prefix)) {
                            out.put(k, v);
                        }
                    });
                    return out;
                }
            }).distinctUntilChanged();
        }

        @Override
        public Mono<Void> converged(boolean c) {
            return Mono.fromRunnable(() -> {
                synchronized (InMemoryWorlds.this) {
                    converged.put(host, c);
                }
                changed();
            });
        }

        @Override
        public Flux<List<LiveHost>> hosts() {
            return changes.asFlux().map(x -> {
                synchronized (InMemoryWorlds.this) {
                    return converged.keySet().stream().map(h -> new LiveHost(h, h)).toList();
                }
            }).distinctUntilChanged();
        }

        @Override
        public Flux<Map<String, Boolean>> convergedHosts() {
            return changes.asFlux().map(x -> {
                synchronized (InMemoryWorlds.this) {
                    return Map.copyOf(converged);
                }
            }).distinctUntilChanged();
        }

        @Override
        public Mono<ClusterStatus> status() {
            return Mono.fromCallable(() -> {
                synchronized (InMemoryWorlds.this) {
                    List<ClusterStatus.Member> members = new ArrayList<>();
                    converged.forEach((h, c) -> members.add(new ClusterStatus.Member(h, h, "", true, false, false,
                            false, Optional.of(c))));
                    List<CollectRefusal> all = new ArrayList<>();
                    refusals.values().forEach(all::addAll);
                    return new ClusterStatus(1, ElasticStrategy.REPLACE, Optional.empty(), members, all);
                }
            });
        }

        @Override
        public Mono<Void> refusals(List<CollectRefusal> list) {
            return Mono.fromRunnable(() -> {
                synchronized (InMemoryWorlds.this) {
                    refusals.put(host, List.copyOf(list));
                }
            });
        }

        @Override
        public Mono<Void> idealClusterSize(int n) {
            return Mono.empty();
        }

        @Override
        public Mono<Void> volunteer(String h, boolean v) {
            return Mono.empty();
        }

        @Override
        public void close() {
            synchronized (InMemoryWorlds.this) {
                exports.remove(host);
                converged.remove(host);
            }
            changed();
        }
    }
}
