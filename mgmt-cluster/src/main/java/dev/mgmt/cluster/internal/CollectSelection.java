package dev.mgmt.cluster.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mgmt.api.Collect;
import dev.mgmt.api.CollectPolicy;
import dev.mgmt.api.Graph;
import dev.mgmt.api.GraphBuilder;
import dev.mgmt.api.Placeable;
import dev.mgmt.api.Quoted;
import dev.mgmt.api.Resource;
import dev.mgmt.api.ResourceId;
import dev.mgmt.api.Reversible;
import dev.mgmt.api.codec.ResourceCodec;
import dev.mgmt.cluster.CollectRefusal;
import dev.mgmt.cluster.Exported;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Which of the other hosts' exports this host manages. Each export directed at this host (or
 * at every host) goes through the {@link CollectPolicy}, then its kind's {@link Placeable}
 * placement (a kind without one is taken as it is, under its own name), and a kind that can be
 * undone gets {@code meta.reverse}: when its export is withdrawn, the engine runs its reversal
 * as a vertex, as for any resource that leaves the graph. Then each is checked against what the
 * local graph and the exports taken before it claim.
 */
public final class CollectSelection {

    private final ResourceCodec codec;
    private final CollectPolicy policy;
    private final String host;

    /** Selection for {@code host}, reading and rewriting resources through {@code codec}. */
    public CollectSelection(ResourceCodec codec, String host) {
        this.codec = Objects.requireNonNull(codec, "codec");
        this.policy = new CollectPolicy(codec);
        this.host = Objects.requireNonNull(host, "host");
    }

    /**
     * The collected resources to manage, by the id they have here. What was collected before
     * keeps its place; the rest come in host and name order, so every collector picks the same
     * one of two exports on one place. Refused exports are added to {@code refusals}; an export
     * directed at other hosts only is passed over without one.
     */
    public Map<ResourceId, Exported> select(Map<Collect, List<Exported>> latest, Graph base,
                                            Map<ResourceId, Exported> before, List<CollectRefusal> refusals) {
        List<Candidate> candidates = new ArrayList<>();
        for (Map.Entry<Collect, List<Exported>> e : latest.entrySet()) {
            for (Exported x : e.getValue()) {
                if (!x.isFor(host)) {
                    continue;
                }
                if (!Quoted.isPlain(x.host()) || !Quoted.isPlain(x.resource().name())) {
                    // Names reach logs, the console and file names: a peer's must print as itself.
                    refusals.add(refusal(x, "its name or its host's has characters a collected resource may not have"));
                    continue;
                }
                try {
                    candidates.add(new Candidate(x, new Exported(x.host(), admit(e.getKey(), x), x.to())));
                } catch (Refusal no) {
                    refusals.add(refusal(x, no.getMessage()));
                } catch (RuntimeException ex) {
                    refusals.add(refusal(x, "it cannot be collected: " + Quoted.of(Causes.rootMessage(ex))));
                }
            }
        }
        // What was collected before keeps its place, from the same exporter: two hosts' copies of
        // one unplaced id would otherwise both count as "before", and host order would swap them.
        candidates.sort(Comparator.comparing((Candidate c) -> {
            Exported was = before.get(c.placed().resource().id());
            return was == null || !was.host().equals(c.export().host());
        }));
        ClaimOwners owners = ClaimOwners.of(base);
        Map<ResourceId, Exported> next = new LinkedHashMap<>();
        for (Candidate c : candidates) {
            // Refusals name the export as its exporter did; what is managed here is the placed one.
            Exported x = c.export();
            Resource r = c.placed().resource();
            if (base.resource(r.id()).isPresent()) {
                refusals.add(refusal(x, "this host's graph has " + r.id() + " already"));
                continue;
            }
            Exported taken = next.get(r.id());
            if (taken != null) {
                // Unplaced kinds keep their names: the same resource from two hosts is one here.
                if (!taken.resource().equals(r)) {
                    refusals.add(refusal(x, r.id() + " is collected from " + Quoted.of(taken.host())
                            + " already, with other parameters"));
                }
                continue;
            }
            String owner;
            try {
                owner = owners.conflict(r);
            } catch (RuntimeException ex) {
                refusals.add(refusal(x, "its claims cannot be read: " + Quoted.of(Causes.rootMessage(ex))));
                continue;
            }
            if (owner != null) {
                refusals.add(refusal(x, owner));
                continue;
            }
            next.put(r.id(), c.placed());
            owners.claim(r, r.id() + " (exported by " + Quoted.of(x.host()) + ")");
        }
        return next;
    }

    /** {@code graph} with the collected resources added, each with its exporter as its origin. */
    public static Graph withCollected(Graph graph, Map<ResourceId, Exported> collected) {
        GraphBuilder b = graph.toBuilder();
        for (Exported x : collected.values()) {
            b.add(x.resource()).origin(x.resource().id(), "exported by " + Quoted.of(x.host()));
        }
        return b.build();
    }

    /** The resource to manage for an export, or a {@link Refusal} saying why there is none. */
    private Resource admit(Collect collect, Exported x) {
        Resource r = taken(policy.admit(collect, x.host(), x.resource()));
        Resource placed = r instanceof Placeable p ? taken(p.placed(collect.pattern(), x.host())) : r;
        if (!placed.kind().equals(r.kind())) {
            throw new Refusal("its placement made it a " + Quoted.of(placed.kind()));
        }
        // A placed copy lives where this host chose; an unplaced one names a real thing here
        // (a package, a service) that may predate the collect: undone only when the collect says so.
        Resource managed = r instanceof Placeable || collect.reversing() ? reversing(placed) : placed;
        // An invalid resource would make the whole graph fail to compile, and so block every other export.
        List<String> problems = new ArrayList<>(managed.validate());
        problems.addAll(managed.meta().problems());
        if (!problems.isEmpty()) {
            String all = String.join("; ", problems);
            throw new Refusal("it is not valid: " + (Quoted.isPlain(all) ? all : Quoted.escape(all)));
        }
        return managed;
    }

    /**
     * {@code r} with {@code meta.reverse} when it can be undone, so that the engine undoes it
     * once its export is withdrawn; as it is when it cannot (an exec with no reverse command).
     */
    private Resource reversing(Resource r) {
        if (r.meta().reverse() || !(r instanceof Reversible rv)) {
            return r;
        }
        try {
            rv.reversed().close();
        } catch (RuntimeException cannot) {
            return r;
        }
        ObjectNode params = (ObjectNode) codec.encode(r);
        JsonNode meta = params.get("meta");
        ObjectNode m = meta instanceof ObjectNode o ? o : params.putObject("meta");
        m.put("reverse", true);
        return codec.decode(r.kind(), params);
    }

    private static Resource taken(CollectPolicy.Admission a) {
        if (a instanceof CollectPolicy.Taken t) {
            return t.resource();
        }
        throw new Refusal(((CollectPolicy.Refused) a).reason());
    }

    private CollectRefusal refusal(Exported x, String reason) {
        return new CollectRefusal(host, x.host(), x.resource().id().toString(), reason);
    }

    /** An export as its exporter sent it, and the resource it is placed as on this host. */
    private record Candidate(Exported export, Exported placed) {
    }

    /** An export the policy or the placement refused; the message says why. */
    private static final class Refusal extends RuntimeException {
        Refusal(String why) {
            super(why, null, false, false);
        }
    }
}
