package dev.mgmt.api.yaml;

/**
 * A {@code collect:} entry of a YAML graph: gather other hosts' exported resources of this
 * kind (for {@code file}, into the directory {@code pattern}).
 *
 * @param kind    the resource kind to collect
 * @param pattern kind-specific selector; for files, the directory they are placed in
 */
public record CollectSpec(String kind, String pattern) {
}
