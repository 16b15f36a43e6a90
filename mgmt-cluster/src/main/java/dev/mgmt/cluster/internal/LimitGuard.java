package dev.mgmt.cluster.internal;

import dev.mgmt.api.Quoted;
import dev.mgmt.api.Resource;
import dev.mgmt.api.ResourceId;
import dev.mgmt.api.codec.ResourceCodec;
import dev.mgmt.cluster.StoreLimitException;
import dev.mgmt.cluster.StoreLimits;
import dev.mgmt.cluster.internal.Store.Change;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@link StoreLimits} on both sides of the store. The writer checks an export or a
 * value before anything is sent ({@link #encodeExport}, {@link #checkPut}); the reader passes
 * every entry it reads through {@link #admit}, which turns one over a limit into an absence,
 * logged once per key, so a member that writes around the writer's check costs the others
 * no more than the limits. The reader also holds only keys of the shapes mgmt writes
 * ({@link KeyRules#shapeProblem}), and at most {@link StoreLimits#maxKvKeys()} keys and
 * {@link StoreLimits#maxKvBytes()} bytes of the key/value API's ({@code kv/*}) in all.
 */
final class LimitGuard {

    private static final Logger log = LoggerFactory.getLogger(LimitGuard.class);

    /** How many refused keys are remembered (to log each once); past that, refusals are not logged. */
    private static final int REMEMBERED = 1000;
    /** Room for a sealed envelope's certificate chain, signature and framing. */
    private static final int SEAL_BYTES = 16 * 1024;

    private final String host;
    private final StoreLimits limits;
    /** Whether stored values are sealed envelopes (TLS): then sizes and counts are judged once opened. */
    private final boolean sealed;
    /** Keys currently refused, with why: logged when they enter, forgotten when a good value or a removal comes. */
    private final Map<String, String> refused = new ConcurrentHashMap<>();
    private volatile boolean quiet;
    /** The {@code kv/} keys held (admitted and not removed since), with their stored size. */
    private final Map<String, Integer> kvHeld = new java.util.HashMap<>();
    private long kvBytes;

    LimitGuard(String host, StoreLimits limits) {
        this(host, limits, false);
    }

    /**
     * A guard for a store whose values are {@code sealed}: the raw entry then holds the value
     * re-escaped inside an envelope with a certificate chain, at most about twice the value
     * plus a few KiB, so the raw check is that coarse bound and the exact limits apply to the
     * opened value ({@link #admitOpened}).
     */
    LimitGuard(String host, StoreLimits limits, boolean sealed) {
        this.host = host;
        this.limits = limits;
        this.sealed = sealed;
    }

    StoreLimits limits() {
        return limits;
    }

    // ---- writer ----

    /**
     * This host's export document, checked: at most {@link StoreLimits#maxExportedResources()}
     * resources and {@link StoreLimits#maxExportBytes()} bytes.
     *
     * @throws StoreLimitException naming the count, or the size with the largest resources
     * @throws IllegalArgumentException when a resource cannot be encoded or repeats
     */
    String encodeExport(ResourceCodec codec, Collection<? extends Resource> resources) {
        return encodeExport(codec, resources, Map.of());
    }

    /** {@link #encodeExport(ResourceCodec, Collection)} with the hosts each directed export is for. */
    String encodeExport(ResourceCodec codec, Collection<? extends Resource> resources,
                        Map<ResourceId, Set<String>> to) {
        if (resources.size() > limits.maxExportedResources()) {
            throw new StoreLimitException("cannot export: host " + Quoted.of(host) + " exports " + resources.size()
                    + " resources, over the limit of " + limits.maxExportedResources()
                    + " per host (StoreLimits.maxExportedResources)");
        }
        String doc = ExportDoc.encode(codec, resources, to);
        int size = utf8(doc);
        if (size > limits.maxExportBytes()) {
            List<Map.Entry<Resource, Integer>> sizes = new ArrayList<>(ExportDoc.sizes(codec, resources).entrySet());
            sizes.sort(Map.Entry.<Resource, Integer>comparingByValue(Comparator.reverseOrder()));
            String largest = sizes.stream().limit(3)
                    .map(e -> Quoted.escape(e.getKey().id().toString()) + " " + StoreLimits.size(e.getValue()))
                    .collect(Collectors.joining(", "));
            throw new StoreLimitException("cannot export: host " + Quoted.of(host) + " exports "
                    + StoreLimits.size(size) + " (" + size + " bytes), over the limit of "
                    + StoreLimits.size(limits.maxExportBytes()) + " per host (StoreLimits.maxExportBytes); largest: "
                    + largest);
        }
        return doc;
    }

    /**
     * Checks a key/value write.
     *
     * @throws StoreLimitException when the key or the value is too long
     */
    void checkPut(String key, String storeKey, String value) {
        int k = utf8(storeKey);
        if (k > limits.maxKeyBytes()) {
            throw new StoreLimitException("cannot put key " + Quoted.of(key) + ": the key is " + StoreLimits.size(k)
                    + ", over the limit of " + StoreLimits.size(limits.maxKeyBytes()) + " (StoreLimits.maxKeyBytes)");
        }
        int v = value == null ? 0 : utf8(value);
        if (v > limits.maxValueBytes()) {
            throw new StoreLimitException("cannot put key " + Quoted.of(key) + ": the value is " + StoreLimits.size(v)
                    + " (" + v + " bytes), over the limit of " + StoreLimits.size(limits.maxValueBytes())
                    + " (StoreLimits.maxValueBytes)");
        }
    }

    // ---- reader ----

    /**
     * An entry as this host takes it: unchanged when within the limits, else a removal (the
     * key is treated as absent), logged once per key.
     */
    Change admit(Change c) {
        String shape = KeyRules.shapeProblem(c.key());
        if (shape != null) {
            // Never held, whatever it holds: exported/r/1 is not a host "r/1" with limits of its own.
            if (c.removed() || c.value() == null) {
                refused.remove(c.key());
                return c;
            }
            refuse(c.key(), shape);
            return new Change(c.key(), null, c.version(), true);
        }
        if (c.removed() || c.value() == null) {
            refused.remove(c.key());
            release(c.key());
            return c;
        }
        String why = refusal(c.key(), c.value());
        if (why == null && c.key().startsWith(StoreKeys.KV)) {
            why = hold(c.key(), c.value());
        }
        if (why == null) {
            refused.remove(c.key());
            return c;
        }
        release(c.key());
        refuse(c.key(), why);
        return new Change(c.key(), null, c.version(), true);
    }

    /** Counts a {@code kv/} key as held, or says why there is no room for it. */
    private synchronized String hold(String key, String value) {
        int size = utf8(key) + utf8(value);
        Integer before = kvHeld.get(key);
        if (before == null && kvHeld.size() >= limits.maxKvKeys()) {
            return "this host holds " + limits.maxKvKeys() + " key/value keys already (StoreLimits.maxKvKeys)";
        }
        long after = kvBytes - (before == null ? 0 : before) + size;
        if (after > limits.maxKvBytes()) {
            return "this host holds " + StoreLimits.size(kvBytes) + " of key/value keys already, and this one ("
                    + StoreLimits.size(size) + ") would pass " + StoreLimits.size(limits.maxKvBytes())
                    + " (StoreLimits.maxKvBytes)";
        }
        kvHeld.put(key, size);
        kvBytes = after;
        return null;
    }

    private synchronized void release(String key) {
        Integer before = kvHeld.remove(key);
        if (before != null) {
            kvBytes -= before;
        }
    }

    /** The number of {@code kv/} keys held now. For tests. */
    synchronized int kvKeysHeld() {
        return kvHeld.size();
    }

    /**
     * Whether a value read straight from the store (not through the mirror) is one this host
     * takes: a key of a known shape, within the size limits, and, for a {@code kv/} key, one
     * held or with room for it. Logs a refusal once per key; counts nothing.
     */
    boolean readable(String key, String value) {
        if (value == null) {
            return false;
        }
        String why = KeyRules.shapeProblem(key);
        if (why == null) {
            why = refusal(key, value);
        }
        if (why == null && key.startsWith(StoreKeys.KV)) {
            synchronized (this) {
                if (!kvHeld.containsKey(key) && kvHeld.size() >= limits.maxKvKeys()) {
                    why = "this host holds " + limits.maxKvKeys() + " key/value keys already (StoreLimits.maxKvKeys)";
                }
            }
        }
        if (why == null) {
            return true;
        }
        refuse(key, why);
        return false;
    }

    /**
     * A full read as this host takes it: entries over a limit are left out, each logged once.
     * It replaces what is held, so the count of {@code kv/} keys starts again from it.
     */
    List<Change> admitAll(List<Change> entries) {
        synchronized (this) {
            kvHeld.clear();
            kvBytes = 0;
        }
        List<Change> out = new ArrayList<>(entries.size());
        for (Change c : entries) {
            Change a = admit(c);
            if (!a.removed()) {
                out.add(a);
            }
        }
        return out;
    }

    /** Why this entry is refused, or null when it is within the limits. */
    String refusal(String key, String value) {
        int k = utf8(key);
        if (k > limits.maxKeyBytes()) {
            return "its key is " + StoreLimits.size(k) + ", over the limit of " + StoreLimits.size(limits.maxKeyBytes());
        }
        boolean export = key.startsWith(StoreKeys.EXPORTED);
        // Values of the user's key/value API have their own limit; the others are written by
        // mgmt itself (exports, converged states, membership) and get the export's.
        int max = key.startsWith(StoreKeys.KV) ? limits.maxValueBytes() : limits.maxExportBytes();
        if (sealed) {
            max = Math.min(StoreLimits.ENTRY_BYTES, 2 * max + SEAL_BYTES);
        }
        int v = utf8(value);
        if (v > max) {
            return "it is " + StoreLimits.size(v) + " (" + v + " bytes), over the limit of " + StoreLimits.size(max);
        }
        if (export && !sealed) {
            int n = ExportDoc.count(value);
            if (n > limits.maxExportedResources()) {
                return "it holds " + n + " resources, over the limit of " + limits.maxExportedResources();
            }
        }
        return null;
    }

    /**
     * An opened (unsealed) value as this host takes it: the value, or null when it is over a
     * limit (logged once per key).
     */
    String admitOpened(String key, String value) {
        if (value == null) {
            return null;
        }
        String why = sealed ? openedRefusal(key, value) : null;
        if (why == null) {
            return value;
        }
        refuse(key, why);
        return null;
    }

    private String openedRefusal(String key, String value) {
        int max = key.startsWith(StoreKeys.KV) ? limits.maxValueBytes() : limits.maxExportBytes();
        int v = utf8(value);
        if (v > max) {
            return "it is " + StoreLimits.size(v) + " (" + v + " bytes), over the limit of " + StoreLimits.size(max);
        }
        if (key.startsWith(StoreKeys.EXPORTED)) {
            int n = ExportDoc.count(value);
            if (n > limits.maxExportedResources()) {
                return "it holds " + n + " resources, over the limit of " + limits.maxExportedResources();
            }
        }
        return null;
    }

    private void refuse(String key, String why) {
        if (refused.size() >= REMEMBERED && !refused.containsKey(key)) {
            if (!quiet) {
                quiet = true;
                log.warn("{}: more than {} keys of the store are over the limits; not logging each any more", host,
                        REMEMBERED);
            }
            return;
        }
        String before = refused.put(key, why);
        if (!why.equals(before)) {
            log.warn("{}: ignoring {} from the store: {}; treated as absent", host, Quoted.of(key), why);
        }
        if (refused.size() < REMEMBERED / 2) {
            quiet = false;
        }
    }

    static int utf8(String s) {
        // Most values are ASCII: count without copying when every char is one byte.
        int n = s.length();
        for (int i = 0; i < n; i++) {
            if (s.charAt(i) >= 0x80) {
                return s.getBytes(StandardCharsets.UTF_8).length;
            }
        }
        return n;
    }
}
