package dev.mgmt.cluster;

import dev.mgmt.api.Resource;

/**
 * A resource another host exported.
 *
 * @param host     the exporting host
 * @param resource the resource, decoded through the resource codec
 */
public record Exported(String host, Resource resource) {
}
