package dev.mgmt.cluster.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which messages to log now, so that each is logged once while it lasts: the current messages
 * under a key, less those already current the last time. A message that went away and comes
 * back is logged again.
 */
final class OncePerKey {

    private final Map<String, Set<String>> last = new HashMap<>();

    /** The messages of {@code now} not current under {@code key} before; {@code now} becomes current. */
    synchronized List<String> fresh(String key, Collection<String> now) {
        Set<String> before = last.getOrDefault(key, Set.of());
        List<String> out = new ArrayList<>();
        for (String m : now) {
            if (!before.contains(m)) {
                out.add(m);
            }
        }
        if (now.isEmpty()) {
            last.remove(key);
        } else {
            last.put(key, new LinkedHashSet<>(now));
        }
        return out;
    }
}
