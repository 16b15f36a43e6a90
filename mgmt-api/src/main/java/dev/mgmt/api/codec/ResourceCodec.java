package dev.mgmt.api.codec;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBase;
import com.fasterxml.jackson.databind.deser.DefaultDeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mgmt.api.Resource;
import dev.mgmt.api.ResourceKind;
import dev.mgmt.api.yaml.internal.NodeParser;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.yaml.snakeyaml.nodes.MappingNode;

/**
 * Turns resource parameters (a JSON or YAML tree) into resources and back, through the
 * {@link ResourceRegistry}. Strict: an unknown key, a wrong type or a missing kind is an
 * error naming the kind, resource and key. The YAML graph loader and the cluster's
 * export/collect both go through here.
 */
public final class ResourceCodec {

    private final ResourceRegistry registry;
    private volatile ObjectMapper mapper;
    private final Map<Class<?>, Optional<Set<String>>> keys = new ConcurrentHashMap<>();

    public ResourceCodec(ResourceRegistry registry) {
        this.registry = registry;
    }

    /** Made on first use: a YAML graph of mgmt's own kinds needs no Jackson (about 70 ms of a short run). */
    private ObjectMapper mapper() {
        ObjectMapper m = mapper;
        if (m == null) {
            synchronized (this) {
                m = mapper;
                if (m == null) {
                    mapper = m = newMapper();
                }
            }
        }
        return m;
    }

    private static ObjectMapper newMapper() {
        return JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                // 1.5 given for a whole number is an error, never truncated to 1.
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                // Nor is 1 taken for true: Go's yaml.v2 refuses it too.
                .withCoercionConfig(LogicalType.Boolean, c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail))
                // Quoted text is text: "true" is not taken for true nor "5" for 5 (yaml.v2 refuses
                // both, and so does meta); the value is written unquoted when it is meant.
                .withCoercionConfig(LogicalType.Boolean, c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Integer, c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Float, c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail))
                // Nor is '' taken for false, 0 or nothing: an empty value is written as nothing (~).
                .withCoercionConfig(LogicalType.Boolean, c -> c.setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Integer, c -> c.setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Float, c -> c.setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail))
                // A null inside a list or map ("args: [a, ~]") is refused by key, never kept as a hole.
                .defaultSetterInfo(JsonSetter.Value.forContentNulls(Nulls.FAIL))
                .addModule(MetaCodec.module())
                .addModule(new SimpleModule("mgmt-text").addDeserializer(String.class, new AsWritten()))
                .build();
    }

    /** A codec over every kind on the class path. */
    public static ResourceCodec standard() {
        return new ResourceCodec(ResourceRegistry.load());
    }

    public ResourceRegistry registry() {
        return registry;
    }

    /**
     * Decodes one resource of {@code kind} from its parameters ({@code name}, {@code meta} and
     * the kind's own keys).
     *
     * @throws ResourceDecodeException naming the kind, resource and key at fault
     */
    public Resource decode(String kind, JsonNode params) {
        String name = params != null && params.hasNonNull("name") ? params.get("name").asText() : "";
        ResourceKind<?> k = registry.kind(kind).orElseThrow(() -> new ResourceDecodeException(kind, name, "",
                "unknown resource kind '" + kind + "' (known kinds: " + String.join(", ", registry.kinds()) + ")",
                null));
        if (params == null || !params.isObject()) {
            throw new ResourceDecodeException(kind, name, "", kind + ": each resource must be a map of parameters", null);
        }
        if (name.isEmpty()) {
            throw new ResourceDecodeException(kind, name, "name", kind + ": resource has no name", null);
        }
        ObjectNode p = ((ObjectNode) params).deepCopy();
        for (String key : k.emptyKeysAccepted()) {
            JsonNode v = p.get(key);
            if (v != null && isEmpty(v)) {
                p.remove(key);
            }
        }
        try {
            return mapper().treeToValue(p, k.type());
        } catch (JsonProcessingException e) {
            throw Failures.translate(kind, name, e);
        }
    }

    /**
     * Decodes one resource of {@code kind} from a parser over its parameters (the YAML loader's
     * {@code NodeParser}, which keeps each scalar's text and line). Unlike the tree form, keys
     * the kind {@linkplain ResourceKind#emptyKeysAccepted accepts empty} must already be gone.
     *
     * @param name the resource's name, for messages
     * @throws ResourceDecodeException naming the kind, resource, key and line at fault
     */
    public Resource decode(String kind, String name, JsonParser params) {
        ResourceKind<?> k = registry.kind(kind).orElseThrow(() -> new ResourceDecodeException(kind, name, "",
                "unknown resource kind '" + kind + "' (known kinds: " + String.join(", ", registry.kinds()) + ")",
                null));
        if (name == null || name.isEmpty()) {
            throw new ResourceDecodeException(kind, "", "name", params.currentLocation().getLineNr(),
                    kind + ": resource has no name", null);
        }
        try (params) {
            params.setCodec(mapper());
            return mapper().readValue(params, k.type());
        } catch (JsonProcessingException e) {
            throw Failures.translate(kind, name, e);
        } catch (java.io.IOException e) {
            throw new ResourceDecodeException(kind, name, "", kind + "[" + name + "]: " + e.getMessage(), e);
        }
    }

    /**
     * Decodes one resource of {@code kind} from its settled YAML map ({@code name}, {@code meta}
     * and the kind's own keys), keeping each scalar's text and line: through the kind's own
     * {@link ParamsReader} when it has one, else through Jackson. Keys the kind
     * {@linkplain ResourceKind#emptyKeysAccepted accepts empty} must already be gone.
     *
     * @param name the resource's name, for messages
     * @throws ResourceDecodeException naming the kind, resource, key and line at fault
     */
    public Resource decode(String kind, String name, MappingNode params) {
        ResourceKind<?> k = registry.kind(kind).orElse(null);
        if (!(k instanceof ParamsReader<?> reader) || name == null || name.isEmpty()) {
            return decode(kind, name, new NodeParser(params));
        }
        return NodeParams.decode(kind, name, reader, params);
    }

    /**
     * The keys {@code kind} takes ({@code name}, {@code meta} and its own), so that a reader can
     * say every unknown key at once: decoding says at most one, and only after the kind's own
     * checks. Empty when the kind is unknown or takes keys it does not list.
     */
    public Optional<Set<String>> keys(String kind) {
        return registry.kind(kind).flatMap(k -> k instanceof ParamsReader<?> r ? Optional.of(r.keys().names())
                : keys.computeIfAbsent(k.type(), this::known));
    }

    private Optional<Set<String>> known(Class<?> type) {
        try {
            ObjectMapper mapper = mapper();
            JavaType t = mapper.constructType(type);
            DeserializationConfig cfg = mapper.getDeserializationConfig();
            BeanDescription d = cfg.introspect(t);
            if (d.findAnySetterAccessor() != null
                    || cfg.getDefaultPropertyIgnorals(type, d.getClassInfo()).getIgnoreUnknown()
                    || !cfg.getDefaultPropertyIgnorals(type, d.getClassInfo()).getIgnored().isEmpty()) {
                return Optional.empty();
            }
            DefaultDeserializationContext ctx = ((DefaultDeserializationContext) mapper.getDeserializationContext())
                    .createInstance(cfg, null, mapper.getInjectableValues());
            if (ctx.findRootValueDeserializer(t) instanceof BeanDeserializerBase b) {
                Set<String> out = new TreeSet<>();
                b.getKnownPropertyNames().forEach(n -> out.add(n.toString()));
                return Optional.of(Collections.unmodifiableSet(out));
            }
        } catch (JsonMappingException | RuntimeException e) {
            // Then decoding alone finds unknown keys, one at a time.
        }
        return Optional.empty();
    }

    /** The resource's parameters as a tree, the inverse of {@link #decode}. */
    public JsonNode encode(Resource r) {
        return mapper().valueToTree(r);
    }

    /** The resource as compact JSON. */
    public String toJson(Resource r) {
        try {
            return mapper().writeValueAsString(r);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(r.id() + ": cannot be encoded: " + e.getOriginalMessage(), e);
        }
    }

    /** Decodes JSON written by {@link #toJson}. */
    public Resource fromJson(String kind, String json) {
        try {
            return decode(kind, mapper().readTree(json));
        } catch (JsonProcessingException e) {
            throw new ResourceDecodeException(kind, "", "", kind + ": not JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static boolean isEmpty(JsonNode v) {
        return v.isNull()
                || v.isTextual() && v.asText().isEmpty()
                || v.isNumber() && v.asDouble() == 0
                || v.isBoolean() && !v.asBoolean()
                || v.isContainerNode() && v.isEmpty();
    }

}
