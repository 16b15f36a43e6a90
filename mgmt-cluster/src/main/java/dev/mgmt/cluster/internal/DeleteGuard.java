package dev.mgmt.cluster.internal;

import dev.mgmt.api.Quoted;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes cannot be sealed: in a secured cluster any member could delete a live host's export
 * and make every collector undo that host's files, then redo them when the host writes its
 * export again. So a reader holds back the removal of another host's {@code exported/<h>} or
 * {@code converged/<h>} while {@code h} is a live member, and applies it once {@code h} leaves
 * membership. A host that leaves cleanly first writes a sealed empty export, so collectors
 * withdraw its files at once as before; a host that crashed has left membership by the time
 * the leader removes its keys.
 */
final class DeleteGuard {

    private static final Logger log = LoggerFactory.getLogger(DeleteGuard.class);

    private final String self;
    private final boolean secured;
    private final Supplier<Set<String>> liveHosts;
    /** Removals held back, by key. */
    private final Map<String, Store.Change> held = new ConcurrentHashMap<>();

    DeleteGuard(String self, boolean secured, Supplier<Set<String>> liveHosts) {
        this.self = self;
        this.secured = secured;
        this.liveHosts = liveHosts;
    }

    /** Whether to hold {@code c} back instead of applying it; a new value of a key forgets its held removal. */
    boolean hold(Store.Change c) {
        if (!c.removed()) {
            held.remove(c.key());
            return false;
        }
        String h = owner(c.key());
        if (!secured || h == null || h.equals(self) || !liveHosts.get().contains(h)) {
            return false;
        }
        if (held.put(c.key(), c) == null) {
            log.warn("{}: {} was deleted while {} is alive; deletes cannot be signed, so it is kept until {} leaves",
                    self, Quoted.of(c.key()), Quoted.of(h), Quoted.of(h));
        }
        return true;
    }

    /** The removals held for {@code host}, which has left membership: to apply now. */
    List<Store.Change> release(String host) {
        List<Store.Change> out = new ArrayList<>();
        held.entrySet().removeIf(e -> {
            if (host.equals(owner(e.getKey()))) {
                out.add(e.getValue());
                return true;
            }
            return false;
        });
        return out;
    }

    /** The host of an {@code exported/<h>} or {@code converged/<h>} key; null for any other key. */
    private static String owner(String key) {
        boolean guarded = key.startsWith(StoreKeys.EXPORTED) || key.startsWith(StoreKeys.CONVERGED);
        String h = guarded ? KeyRules.ownerOf(key) : null;
        return h == null || h.isEmpty() || h.indexOf('/') >= 0 ? null : h;
    }
}
