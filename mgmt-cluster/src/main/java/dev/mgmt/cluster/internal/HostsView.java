package dev.mgmt.cluster.internal;

import dev.mgmt.cluster.LiveHost;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

/** The live hosts of the cluster as a stream, fed by the store's membership changes. */
final class HostsView {

    private final Store store;
    private final Timing timing;
    private final Set<FluxSink<List<LiveHost>>> sinks = ConcurrentHashMap.newKeySet();
    private boolean closed;

    HostsView(Store store, Timing timing) {
        this.store = store;
        this.timing = timing;
    }

    /** The live hosts sorted by name: the current list at once, then each change. */
    Flux<List<LiveHost>> hosts() {
        Flux<List<LiveHost>> raw = Flux.create(sink -> {
            // Under the lock with changed(): a change computed before this subscriber's first
            // list must not reach it after that list.
            synchronized (this) {
                if (closed) {
                    sink.complete();
                    return;
                }
                sinks.add(sink);
                sink.next(live(store.members()));
            }
            sink.onDispose(() -> sinks.remove(sink));
        }, FluxSink.OverflowStrategy.BUFFER);
        // Deliver off membership's threads, as the other views do.
        return raw.distinctUntilChanged().publishOn(timing.delivery());
    }

    /** Membership changed: every subscriber gets the list as it is now. */
    synchronized void changed() {
        if (closed || sinks.isEmpty()) {
            return;
        }
        List<LiveHost> now = live(store.members());
        sinks.forEach(s -> s.next(now));
    }

    synchronized void close() {
        closed = true;
        sinks.forEach(FluxSink::complete);
        sinks.clear();
    }

    /**
     * The alive members with a host name, one per name, sorted by name. Two live members with
     * one name (a restarted host before its old incarnation is declared dead) show once: the
     * first by address, so that the list does not depend on membership's order.
     */
    static List<LiveHost> live(List<Store.MemberInfo> members) {
        Map<String, LiveHost> byName = new LinkedHashMap<>();
        List<Store.MemberInfo> alive = new ArrayList<>();
        for (Store.MemberInfo m : members) {
            if (m.alive() && m.host() != null && !m.host().isEmpty()) {
                alive.add(m);
            }
        }
        alive.sort(Comparator.comparing(Store.MemberInfo::host).thenComparing(Store.MemberInfo::address));
        for (Store.MemberInfo m : alive) {
            byName.putIfAbsent(m.host(), new LiveHost(m.host(), m.address()));
        }
        return List.copyOf(byName.values());
    }
}
