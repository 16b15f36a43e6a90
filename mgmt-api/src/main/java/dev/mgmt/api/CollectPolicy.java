package dev.mgmt.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mgmt.api.codec.ResourceCodec;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a collector takes from another host's export. A member of a cluster is not trusted
 * with this host: an export may set only the parameters that are harmless here. By default
 * that is the kind's {@linkplain Collectable#safeFromPeers() safe parameters} (for
 * {@code file}: path, content, and a mode without setuid, setgid or sticky bits); the collect
 * widens it per parameter and per host ({@link Collect#allow}). An export that sets any other
 * parameter to something other than its default is refused as a whole, with the reason:
 * taking it without that parameter would be misreading it. Meta parameters are the
 * collector's business: the exporter's are replaced by the defaults unless {@code meta} is
 * allowed. A kind that {@linkplain Collectable#trustNeeded() needs trust} ({@code exec}) is
 * refused unless the collect {@linkplain Collect#trust() trusts its peers}.
 *
 * <pre>{@code
 * CollectPolicy policy = new CollectPolicy(ResourceCodec.standard());
 * if (policy.admit(collect, "b", exported) instanceof CollectPolicy.Taken t) {
 *     graph.add(t.resource());
 * }
 * }</pre>
 */
public final class CollectPolicy {

    private static final String NAME = "name";
    private static final String META = "meta";

    private final ResourceCodec codec;

    public CollectPolicy(ResourceCodec codec) {
        this.codec = Objects.requireNonNull(codec, "codec");
    }

    /** The outcome for one export. */
    public sealed interface Admission permits Taken, Refused {
    }

    /** The export is taken: {@code resource} is what this host manages (meta replaced unless allowed). */
    public record Taken(Resource resource) implements Admission {
    }

    /** The export is refused; {@code reason} says which parameters, with their values escaped. */
    public record Refused(String reason) implements Admission {
    }

    /** Decides whether {@code exported}, exported by {@code host}, may be collected through {@code collect}. */
    public Admission admit(Collect collect, String host, Resource exported) {
        String kind = collect.kind();
        if (!kind.equals(exported.kind())) {
            return new Refused("it is a " + Quoted.of(exported.kind()) + ", not a " + kind);
        }
        Optional<String> danger = exported instanceof Collectable c ? c.trustNeeded() : Optional.empty();
        if (danger.isPresent() && !collect.trusted()) {
            return new Refused(danger.get() + "; this host collects " + kind + " only from peers it trusts"
                    + " (to opt in, add trust: true to the collect entry in YAML, or call trust() on the Collect in Java)");
        }
        ObjectNode params = (ObjectNode) codec.encode(exported);
        JsonNode defaults = defaults(kind, exported.name());
        Set<String> safe = exported instanceof Collectable c ? c.safeFromPeers() : Set.of();
        List<String> problems = new ArrayList<>();
        List<String> offending = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = params.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String param = field.getKey();
            if (param.equals(NAME) || param.equals(META) || !isSet(field.getValue(), defaults.get(param))
                    || collect.allows(param, host)) {
                continue;
            }
            if (!safe.contains(param)) {
                problems.add("it sets " + param + " to " + shown(field.getValue()));
                offending.add(param);
                continue;
            }
            Optional<String> unsafe = ((Collectable) exported).unsafeFromPeers(param);
            if (unsafe.isPresent()) {
                problems.add(unsafe.get());
                offending.add(param);
            }
        }
        if (!problems.isEmpty()) {
            return new Refused(String.join("; ", problems) + ", which this host does not take from peers"
                    + " (to take it, the collect must allow it: allow: [" + String.join(", ", offending) + "])");
        }
        if (collect.allows(META, host) || !params.has(META)) {
            return new Taken(exported);
        }
        params.remove(META);
        return new Taken(codec.decode(kind, params));
    }

    /** The parameters of a resource of {@code kind} named {@code name} with nothing else set. */
    private JsonNode defaults(String kind, String name) {
        ObjectNode minimal = JsonNodeFactory.instance.objectNode().put(NAME, name);
        try {
            return codec.encode(codec.decode(kind, minimal));
        } catch (RuntimeException e) {
            // A kind with required parameters has no all-default form; then "set" means non-empty.
            return JsonNodeFactory.instance.objectNode();
        }
    }

    /**
     * Whether a parameter differs from what the kind would have without it. With no default to
     * compare (a kind with required parameters, or a parameter whose default is left out),
     * anything present but null is set: {@code false}, {@code 0} or {@code ""} may well differ
     * from the real default, and guessing would be misreading.
     */
    private static boolean isSet(JsonNode value, JsonNode byDefault) {
        if (byDefault != null) {
            return !value.equals(byDefault);
        }
        return !value.isNull();
    }

    private static String shown(JsonNode value) {
        return Quoted.of(value.isValueNode() ? value.asText() : value.toString());
    }
}
