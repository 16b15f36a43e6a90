package dev.mgmt.api.yaml;

/**
 * One use of a template function in a graph file, where it is: {@code line}, and
 * {@code where} as {@code kind[name]: field}.
 *
 * @param function {@code kv}, {@code hosts} or {@code hostname}
 * @param key      the key a {@code kv} reads; empty for the others
 */
public record TemplateUse(int line, String where, String function, String key) {

    /** Whether this use needs the cluster ({@code kv} and {@code hosts} do). */
    public boolean needsCluster() {
        return !function.equals("hostname");
    }
}
