package dev.mgmt.cluster.internal;

import dev.mgmt.cluster.ElasticStrategy;
import java.util.Map;

/**
 * Strict checks of the keys elastic membership runs on ({@code elastic/state} and
 * {@code config/*}). A value that fails is refused when written and, when read, treated as
 * absent, so a bad value can never stop the chooser.
 */
final class MembershipKeys {

    /** The highest ideal size accepted: far beyond any useful number of Raft voters. */
    static final int MAX_IDEAL_SIZE = 99;

    private MembershipKeys() {
    }

    /** Whether {@code key} is one of the membership keys checked here. */
    static boolean covers(String key) {
        return key.equals(ElasticState.KEY) || key.startsWith("config/");
    }

    /** What is wrong with {@code value} for {@code key}, or null when it is good (or not a membership key). */
    static String problem(String key, String value) {
        if (!covers(key)) {
            return null;
        }
        if (value == null) {
            return "no value";
        }
        switch (key) {
            case ElasticState.KEY:
                return stateProblem(value);
            case StoreKeys.IDEAL_CLUSTER_SIZE:
                try {
                    int n = Integer.parseInt(value);
                    return n >= 1 && n <= MAX_IDEAL_SIZE ? null
                            : "the ideal cluster size must be from 1 to " + MAX_IDEAL_SIZE + ", not " + n;
                } catch (NumberFormatException e) {
                    return "the ideal cluster size must be a whole number, not " + dev.mgmt.api.Quoted.of(value);
                }
            case StoreKeys.ELASTIC_STRATEGY:
                try {
                    ElasticStrategy.valueOf(value);
                    return null;
                } catch (IllegalArgumentException e) {
                    return "the elastic strategy must be one of REPLACE, ADD, PRUNE, not " + dev.mgmt.api.Quoted.of(value);
                }
            case StoreKeys.GRACE_PERIOD:
                try {
                    long ms = Long.parseLong(value);
                    return ms > 0 ? null : "the grace period must be a positive number of milliseconds, not " + ms;
                } catch (NumberFormatException e) {
                    return "the grace period must be a whole number of milliseconds, not " + dev.mgmt.api.Quoted.of(value);
                }
            default:
                return "no such setting (known: " + StoreKeys.IDEAL_CLUSTER_SIZE + ", " + StoreKeys.ELASTIC_STRATEGY
                        + ", " + StoreKeys.GRACE_PERIOD + ")";
        }
    }

    /** Refuses a bad value about to be written. */
    static void checkWrite(String key, String value) {
        String why = problem(key, value);
        if (why != null) {
            throw new IllegalArgumentException("refusing to write " + key + ": " + why);
        }
    }

    private static String stateProblem(String json) {
        ElasticState s;
        try {
            s = ElasticState.parse(json);
        } catch (RuntimeException e) {
            return "not an elastic state document (" + rootMessage(e) + ")";
        }
        if (s == null) {
            return "not an elastic state document (null)";
        }
        if (s.chooser() == null || !s.chooser().contains("@")) {
            return "no chooser member id";
        }
        if (s.term() < 0) {
            return "a negative term";
        }
        for (Map.Entry<String, String> n : s.nominated().entrySet()) {
            if (n.getKey().isBlank() || n.getValue() == null || !n.getValue().contains("@")) {
                return "a bad nomination " + dev.mgmt.api.Quoted.of(n.getKey() + "=" + n.getValue());
            }
        }
        for (String v : s.voters()) {
            if (v == null || !v.contains("@")) {
                return "a bad voter " + dev.mgmt.api.Quoted.of(String.valueOf(v));
            }
        }
        return null;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        int nl = m.indexOf('\n');
        return dev.mgmt.api.Quoted.escape(nl < 0 ? m : m.substring(0, nl));
    }
}
