package dev.mgmt.cluster;

/**
 * How much one host may put in the cluster's store: the size of its export document, the
 * size of one key/value value, the number of resources it exports and the length of a key;
 * and how much of the key/value API's keys ({@code kv/*}, which any member may write) each
 * host holds in all.
 * Immutable; {@link #DEFAULTS} unless {@link ClusterNode.Builder#limits(StoreLimits)} says
 * otherwise:
 *
 * <pre>{@code
 * ClusterNode.builder().hostname("a")
 *         .limits(StoreLimits.DEFAULTS.withMaxExportBytes(384 * 1024))
 *         .build();
 * }</pre>
 *
 * <p>The writer checks before anything is sent: an export or a value over a limit fails at
 * once with a {@link StoreLimitException} naming the limit (and, for an export, its largest
 * resources); it is never retried. Every reader checks again what it reads, so that a member
 * who bypasses the writer's check cannot make other hosts hold more than these limits: a value
 * over a limit is logged once and treated as absent. Give every host of a cluster the same
 * limits, or a host with smaller ones ignores what the others are allowed to write.
 *
 * <p>All of them stay below the store's fixed entry size {@link #ENTRY_BYTES}, which the store
 * servers (Raft) enforce themselves: an entry over it is refused by the leader at once, so a
 * write that bypasses every check still cannot grow a host by more than that per key.
 */
public final class StoreLimits {

    /** The prefix the key/value API's keys ({@link World#put}) carry in the store; it counts towards {@link #maxKeyBytes()}. */
    public static final String KV_PREFIX = "kv/";

    /**
     * The largest entry the store's servers accept (a key, its value and Raft's own framing):
     * 512 KiB, half of Atomix's 1 MiB default. It is fixed, because every voter of a cluster
     * must agree on it: a follower with a smaller one could not take the leader's log.
     */
    public static final int ENTRY_BYTES = 512 * 1024;

    /** The most any size limit may be: {@link #ENTRY_BYTES} less 64 KiB for the key and Raft's framing. */
    public static final int MAX_BYTES = ENTRY_BYTES - 64 * 1024;

    /**
     * 256 KiB per export document, 64 KiB per key/value value, 500 exported resources per host
     * and 1 KiB per key. An export is a host's whole set of exported resources as one JSON
     * document, where a file resource costs about 300 bytes plus its content: 256 KiB holds
     * 500 small files with room to spare, or a few configuration files of tens of KiB. The
     * count bounds what a collector decodes and adds to its graph per host (500 vertices),
     * where the size alone would let 800 empty resources through. 64 KiB is plenty for
     * coordination values. With these a host holds at most 256 KiB per other host's export
     * and 64 KiB per key, however the others misbehave; and at most 10,000 key/value keys and
     * 16 MiB of their values in all.
     */
    public static final StoreLimits DEFAULTS = new StoreLimits(256 * 1024, 64 * 1024, 500, 1024, 10_000,
            16 * 1024 * 1024);

    private final int maxExportBytes;
    private final int maxValueBytes;
    private final int maxExportedResources;
    private final int maxKeyBytes;
    private final int maxKvKeys;
    private final long maxKvBytes;

    private StoreLimits(int maxExportBytes, int maxValueBytes, int maxExportedResources, int maxKeyBytes,
            int maxKvKeys, long maxKvBytes) {
        this.maxExportBytes = bytes("maxExportBytes", maxExportBytes);
        this.maxValueBytes = bytes("maxValueBytes", maxValueBytes);
        if (maxExportedResources < 1) {
            throw new IllegalArgumentException("maxExportedResources: must be at least 1, not " + maxExportedResources);
        }
        this.maxExportedResources = maxExportedResources;
        if (maxKeyBytes < 1 || maxKeyBytes > 16 * 1024) {
            throw new IllegalArgumentException("maxKeyBytes: must be between 1 and 16384, not " + maxKeyBytes);
        }
        this.maxKeyBytes = maxKeyBytes;
        if (maxKvKeys < 1) {
            throw new IllegalArgumentException("maxKvKeys: must be at least 1, not " + maxKvKeys);
        }
        this.maxKvKeys = maxKvKeys;
        if (maxKvBytes < 1) {
            throw new IllegalArgumentException("maxKvBytes: must be at least 1, not " + maxKvBytes);
        }
        this.maxKvBytes = maxKvBytes;
    }

    private static int bytes(String what, int n) {
        if (n < 1 || n > MAX_BYTES) {
            throw new IllegalArgumentException(what + ": must be between 1 and " + MAX_BYTES + " (the store's "
                    + ENTRY_BYTES + "-byte entries less room for the key), not " + n);
        }
        return n;
    }

    /** The most bytes (UTF-8 JSON) one host's export document may have; default 256 KiB. */
    public int maxExportBytes() {
        return maxExportBytes;
    }

    /** The most bytes (UTF-8) one value of the key/value API may have; default 64 KiB. */
    public int maxValueBytes() {
        return maxValueBytes;
    }

    /** The most resources one host may export; default 500. */
    public int maxExportedResources() {
        return maxExportedResources;
    }

    /** The most bytes (UTF-8) one key may have, the store's prefix included; default 1 KiB. */
    public int maxKeyBytes() {
        return maxKeyBytes;
    }

    /** The longest key {@link World#put} takes, in UTF-8 bytes: {@link #maxKeyBytes()} less {@link #KV_PREFIX}. */
    public int maxKvKeyBytes() {
        return maxKeyBytes - KV_PREFIX.length();
    }

    /**
     * The most keys of the key/value API ({@code kv/*}) a host holds in all, whoever wrote
     * them; default 10,000. Any member may write such keys, so this bounds what one that
     * writes many costs every other host: keys past it are logged once each and treated as
     * absent by {@link World#watch} and {@link World#get} on that host (the store itself
     * still has them; deleting some makes room).
     */
    public int maxKvKeys() {
        return maxKvKeys;
    }

    /**
     * The most bytes (UTF-8 keys and values, as stored: with TLS a value's envelope adds the
     * writer's certificate chain, one to a few KiB) of the key/value API's keys a host holds in
     * all; default 16 MiB. As {@link #maxKvKeys()}, for their size.
     */
    public long maxKvBytes() {
        return maxKvBytes;
    }

    /**
     * These limits with another number of key/value keys held.
     *
     * @throws IllegalArgumentException when {@code n < 1}
     */
    public StoreLimits withMaxKvKeys(int n) {
        return new StoreLimits(maxExportBytes, maxValueBytes, maxExportedResources, maxKeyBytes, n, maxKvBytes);
    }

    /**
     * These limits with another total size of key/value keys held.
     *
     * @throws IllegalArgumentException when {@code n < 1}
     */
    public StoreLimits withMaxKvBytes(long n) {
        return new StoreLimits(maxExportBytes, maxValueBytes, maxExportedResources, maxKeyBytes, maxKvKeys, n);
    }

    /**
     * These limits with another export size.
     *
     * @throws IllegalArgumentException unless {@code 1 <= n <=} {@link #MAX_BYTES}
     */
    public StoreLimits withMaxExportBytes(int n) {
        return new StoreLimits(n, maxValueBytes, maxExportedResources, maxKeyBytes, maxKvKeys, maxKvBytes);
    }

    /**
     * These limits with another value size.
     *
     * @throws IllegalArgumentException unless {@code 1 <= n <=} {@link #MAX_BYTES}
     */
    public StoreLimits withMaxValueBytes(int n) {
        return new StoreLimits(maxExportBytes, n, maxExportedResources, maxKeyBytes, maxKvKeys, maxKvBytes);
    }

    /**
     * These limits with another number of exported resources per host.
     *
     * @throws IllegalArgumentException when {@code n < 1}
     */
    public StoreLimits withMaxExportedResources(int n) {
        return new StoreLimits(maxExportBytes, maxValueBytes, n, maxKeyBytes, maxKvKeys, maxKvBytes);
    }

    /**
     * These limits with another key length.
     *
     * @throws IllegalArgumentException unless {@code 1 <= n <= 16384}
     */
    public StoreLimits withMaxKeyBytes(int n) {
        return new StoreLimits(maxExportBytes, maxValueBytes, maxExportedResources, n, maxKvKeys, maxKvBytes);
    }

    /** A size for people: {@code 200 B}, {@code 64 KiB}, {@code 2.0 MiB}. */
    public static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return bytes % 1024 == 0 ? bytes / 1024 + " KiB" : String.format("%.1f KiB", bytes / 1024.0);
        }
        return String.format("%.1f MiB", bytes / (1024.0 * 1024));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StoreLimits l && l.maxExportBytes == maxExportBytes && l.maxValueBytes == maxValueBytes
                && l.maxExportedResources == maxExportedResources && l.maxKeyBytes == maxKeyBytes
                && l.maxKvKeys == maxKvKeys && l.maxKvBytes == maxKvBytes;
    }

    @Override
    public int hashCode() {
        return ((((maxExportBytes * 31 + maxValueBytes) * 31 + maxExportedResources) * 31 + maxKeyBytes) * 31
                + maxKvKeys) * 31 + Long.hashCode(maxKvBytes);
    }

    @Override
    public String toString() {
        return "StoreLimits[export " + size(maxExportBytes) + ", value " + size(maxValueBytes) + ", "
                + maxExportedResources + " exported resources, key " + size(maxKeyBytes) + ", " + maxKvKeys
                + " kv keys and " + size(maxKvBytes) + " of them held]";
    }
}
