package dev.mgmt.cluster.internal;

import dev.mgmt.api.Claims;
import dev.mgmt.api.Graph;
import dev.mgmt.api.Quoted;
import dev.mgmt.api.Resource;
import dev.mgmt.api.ResourceId;
import dev.mgmt.api.Uid;
import java.util.HashMap;
import java.util.Map;

/**
 * Who manages what on this host: each {@linkplain Claims claim} with the resource that holds
 * it and where that came from, so a collected resource that would be a second owner is refused
 * naming the first. Owners are compared by id, never by their description (a peer chooses its
 * resources' names).
 */
public final class ClaimOwners {

    private record Owner(ResourceId id, String who) {
    }

    private final Map<Uid, Owner> owners = new HashMap<>();

    /** The claims of every resource of {@code graph}, described with their origins. */
    public static ClaimOwners of(Graph graph) {
        ClaimOwners o = new ClaimOwners();
        for (Resource r : graph.resources()) {
            o.claim(r, r.id() + graph.origin(r.id()).map(s -> " (" + s + ")").orElse(""));
        }
        return o;
    }

    /** Records {@code r}'s claims, described as {@code who}; claims already held keep their owner. */
    public void claim(Resource r, String who) {
        if (r instanceof Claims c) {
            for (Uid u : c.claims()) {
                owners.putIfAbsent(u, new Owner(r.id(), who));
            }
        }
    }

    /** Why {@code r} cannot be taken: what else already manages something it claims; null when nothing does. */
    public String conflict(Resource r) {
        if (!(r instanceof Claims c)) {
            return null;
        }
        for (Uid u : c.claims()) {
            Owner owner = owners.get(u);
            if (owner != null && !owner.id().equals(r.id())) {
                return u.kind() + " " + Quoted.of(u.value()) + " is managed by " + owner.who() + " already";
            }
        }
        return null;
    }
}
