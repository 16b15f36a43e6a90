package dev.mgmt.cluster;

/**
 * A live host of the cluster, as membership shows it: its name ({@code --hostname}) and the
 * address it advertises to the others ({@code host:port}).
 */
public record LiveHost(String name, String address) {
}
