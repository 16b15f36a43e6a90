package dev.mgmt.api.yaml;

import java.util.List;
import java.util.Optional;

/**
 * What the templates of a YAML graph's string values read ({@code {{ kv "KEY" }}},
 * {@code {{ hosts }}}, {@code {{ hostname }}}) at the moment the graph is rendered.
 * {@code mgmt run} gives the cluster's current values and renders again when one changes.
 */
public interface TemplateValues {

    /**
     * Placeholders, for reading a graph without its values (to learn what it reads):
     * {@code hostname} is empty, no key is known, no hosts.
     */
    TemplateValues NONE = new TemplateValues() {
        @Override
        public String hostname() {
            return "";
        }

        @Override
        public Optional<String> kv(String key) {
            return Optional.empty();
        }

        @Override
        public boolean knows(String key) {
            return false;
        }

        @Override
        public List<String> hosts() {
            return List.of();
        }
    };

    /** This host's name. */
    String hostname();

    /** A key of the cluster's store; empty when it is absent (or not {@link #knows known}). */
    Optional<String> kv(String key);

    /**
     * Whether {@link #kv} tells the key's value, or its absence, as the store has it. A
     * {@code {{ kv "KEY" }}} without a default is an error of the graph when its key is known to
     * be absent; a key not known (values that do not read it yet) renders as the empty text.
     */
    default boolean knows(String key) {
        return true;
    }

    /** The live hosts, one {@code name address} each, sorted by name. */
    List<String> hosts();
}
