package dev.mgmt.engine.internal;

import dev.mgmt.api.Edge;

/** What kind of edge leads to a child, packed in a byte per edge to keep idle vertices small. */
final class EdgeFlags {

    static final byte NOTIFY = 1;
    static final byte AUTOMATIC = 2;
    /** The name {@link AutoEdges} gives the edges it adds. */
    static final String AUTOEDGE = "autoedge";

    private EdgeFlags() {
    }

    static byte of(Edge e) {
        return (byte) ((e.notifies() ? NOTIFY : 0) | (AUTOEDGE.equals(e.name()) ? AUTOMATIC : 0));
    }

    static boolean notifies(byte flags) {
        return (flags & NOTIFY) != 0;
    }

    static boolean automatic(byte flags) {
        return (flags & AUTOMATIC) != 0;
    }
}
