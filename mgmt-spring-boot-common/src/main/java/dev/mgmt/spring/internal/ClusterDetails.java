package dev.mgmt.spring.internal;

import java.util.Map;

/** The cluster's part of the {@code mgmt} health details, on a cluster host; free of cluster types. */
public interface ClusterDetails {

    /** {@code host}, {@code leader}, {@code members} (each with its voter flag), or {@code error}. */
    Map<String, Object> details();
}
