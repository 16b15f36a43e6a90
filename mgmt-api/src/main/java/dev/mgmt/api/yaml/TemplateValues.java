package dev.mgmt.api.yaml;

import java.util.List;
import java.util.Optional;

/**
 * What the templates of a YAML graph's string values read ({@code {{ kv "KEY" }}},
 * {@code {{ hosts }}}, {@code {{ hostname }}}) at the moment the graph is rendered.
 * {@code mgmt run} gives the cluster's current values and renders again when one changes.
 */
public interface TemplateValues {

    /** No values: {@code hostname} is empty, every key absent, no hosts. */
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
        public List<String> hosts() {
            return List.of();
        }
    };

    /** This host's name. */
    String hostname();

    /** A key of the cluster's store; empty when it is absent. */
    Optional<String> kv(String key);

    /** The live hosts, one {@code name address} each, sorted by name. */
    List<String> hosts();
}
