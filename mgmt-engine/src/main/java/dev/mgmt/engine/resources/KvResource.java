package dev.mgmt.engine.resources;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.mgmt.api.KeyValueStore;
import dev.mgmt.api.Meta;
import dev.mgmt.api.NeedsKeyValueStore;
import dev.mgmt.api.Quoted;
import dev.mgmt.api.Receiver;
import dev.mgmt.api.RecvParam;
import dev.mgmt.api.Refreshable;
import dev.mgmt.api.Report;
import dev.mgmt.api.Resource;
import dev.mgmt.api.SendKey;
import dev.mgmt.api.Sender;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

/**
 * Kind {@code kv}: a key in the cluster's key/value store (mgmt's {@code kv}), the keys that
 * {@code mgmt cluster put}/{@code get} and the {@code {{ kv }}} template see.
 *
 * <ul>
 *   <li>{@code key}: the key; empty or not given means the resource's name (as mgmt at HEAD);</li>
 *   <li>{@code value}: the value it should have; not given means the key should be absent;</li>
 *   <li>{@code skiplessthan}: leave a stored value that is greater than {@code value} alone, so
 *       that kvs can count a stage up and never down (mgmt's finite state machines);</li>
 *   <li>{@code skipcmpstyle}: how "greater" is judged: {@code 0} as integers (the default; the
 *       value must then be one), {@code 1} as strings, byte by byte in UTF-8 as Go compares.</li>
 * </ul>
 *
 * <p>A stored value that is not an integer when integers are compared is overwritten, as in
 * mgmt. A refresh (a notify edge) sets the exact value even over a greater one. The watch is
 * the store's watch of the key. The store comes from the engine ({@link KeyValueStore}): an
 * engine without one refuses this resource when it compiles the graph.
 *
 * <p><b>Send/recv</b> (see {@link Sender}, {@link Receiver}): after every run that ends clean a
 * kv sends {@link #VALUE_SENT}, what the key holds then: its {@code value}, or with
 * {@code skiplessthan} the greater value it left alone. A key that is absent sends none and says
 * why. It can receive {@link #VALUE}, which replaces {@code value} as written (a value received
 * where integers are compared must be one); the key, and so the watch, stay as declared.
 */
public final class KvResource implements Resource, Refreshable, NeedsKeyValueStore, Sender, Receiver {

    public static final String KIND = "kv";
    /** Sent: what the key holds after a run that ends clean ({@code value} in YAML). */
    public static final SendKey<KvResource, String> VALUE_SENT = SendKey.of(KvResource.class, "value", String.class);
    /** Received: the value the key should have ({@code value} in YAML). */
    public static final RecvParam<KvResource, String> VALUE =
            RecvParam.of(KvResource.class, "value", String.class, KvResource::withValue);

    /** How {@code skiplessthan} compares; the ordinal is mgmt's {@code skipcmpstyle}. */
    public enum CmpStyle { INT, STRING }

    /** Go's {@code strconv.Atoi}: ASCII digits with an optional sign (Java's parsers take other digits too). */
    private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]+");

    private final String name;
    private final String key;
    private final String value;
    private final boolean skipLessThan;
    private final int skipCmpStyle;
    private final Meta meta;

    private KvResource(String name, String key, String value, boolean skipLessThan, int skipCmpStyle, Meta meta) {
        this.name = Objects.requireNonNull(name, "name");
        this.key = key == null || key.isEmpty() ? name : key;
        this.value = value;
        this.skipLessThan = skipLessThan;
        this.skipCmpStyle = skipCmpStyle;
        this.meta = meta == null ? Meta.DEFAULTS : meta;
    }

    @JsonCreator
    static KvResource decode(@JsonProperty(value = "name", required = true) String name,
                             @JsonProperty("key") String key,
                             @JsonProperty("value") String value,
                             @JsonProperty("skiplessthan") boolean skipLessThan,
                             @JsonProperty("skipcmpstyle") int skipCmpStyle,
                             @JsonProperty("meta") Meta meta) {
        return new KvResource(name, key, value, skipLessThan, skipCmpStyle, meta);
    }

    /** Key {@code key} with {@code value}. */
    public static KvResource of(String name, String key, String value) {
        return new KvResource(name, key, Objects.requireNonNull(value, "value"), false, 0, Meta.DEFAULTS);
    }

    /** Key {@code key} absent. */
    public static KvResource absent(String name, String key) {
        return new KvResource(name, key, null, false, 0, Meta.DEFAULTS);
    }

    /** This kv, leaving a stored value greater than its own alone, compared as {@code style} says. */
    public KvResource skipLessThan(CmpStyle style) {
        return new KvResource(name, key, value, true, style.ordinal(), meta);
    }

    /** This kv with {@code value} for its key: what receiving {@link #VALUE} makes. */
    public KvResource withValue(String value) {
        return new KvResource(name, key, Objects.requireNonNull(value, "value"), skipLessThan, skipCmpStyle, meta);
    }

    /** This kv with other meta parameters. */
    public KvResource withMeta(Meta meta) {
        return new KvResource(name, key, value, skipLessThan, skipCmpStyle, meta);
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    @JsonProperty("name")
    public String name() {
        return name;
    }

    @JsonProperty("key")
    public String key() {
        return key;
    }

    /** The value the key should have; empty when it should be absent. */
    public Optional<String> value() {
        return Optional.ofNullable(value);
    }

    @JsonProperty("value")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    String valueAsWritten() {
        return value;
    }

    @JsonProperty("skiplessthan")
    public boolean skipsLessThan() {
        return skipLessThan;
    }

    @JsonProperty("skipcmpstyle")
    int skipCmpStyle() {
        return skipCmpStyle;
    }

    @Override
    @JsonProperty("meta")
    public Meta meta() {
        return meta;
    }

    @Override
    public List<SendKey<?, ?>> sends() {
        return List.of(VALUE_SENT);
    }

    @Override
    public List<RecvParam<?, ?>> receives() {
        return List.of(VALUE);
    }

    @Override
    public String storeUse() {
        return "key " + Quoted.of(key);
    }

    @Override
    public List<String> validate() {
        List<String> out = new ArrayList<>();
        if (key.isEmpty()) {
            out.add("key: must not be empty (nor the name, which stands in for it)");
        } else if (!Quoted.isPlain(key)) {
            out.add("key: " + Quoted.of(key) + " has a control or invisible character: a key must be printable text");
        }
        if (skipCmpStyle != 0 && skipCmpStyle != 1) {
            out.add("skipcmpstyle: " + skipCmpStyle + " is not a comparison style (0: as integers, 1: as strings)");
        } else if (skipLessThan && skipCmpStyle == 0 && value != null && !INTEGER.matcher(value).matches()) {
            out.add("value: " + Quoted.of(value) + " is not an integer, and skiplessthan compares integers "
                    + "(skipcmpstyle: 0); give skipcmpstyle: 1 to compare strings");
        }
        return out;
    }

    @Override
    public Flux<?> watch() {
        // The store's view of the key says its value at once (armed), then each change.
        return Flux.deferContextual(ctx -> store(ctx).watch(key))
                .map(m -> Optional.ofNullable(m.get(key)))
                .distinctUntilChanged();
    }

    @Override
    public Mono<Boolean> check() {
        return Mono.deferContextual(ctx -> store(ctx).get(key)).flatMap(stored ->
                holds(stored.orElse(null), value, skipLessThan, skipCmpStyle)
                        ? sendHeld(stored.orElse(null)).thenReturn(true) : Mono.just(false));
    }

    @Override
    public Mono<Void> apply() {
        return Mono.deferContextual(ctx -> set(store(ctx))).then(Mono.defer(() -> sendHeld(value)));
    }

    /** Sets the exact value, even over a greater one that {@code skiplessthan} left alone. */
    @Override
    public Mono<Void> refresh() {
        return Mono.deferContextual(ctx -> {
            KeyValueStore s = store(ctx);
            return s.get(key).flatMap(stored -> Objects.equals(stored.orElse(null), value) ? Mono.empty() : set(s));
        }).then(Mono.defer(() -> sendHeld(value)));
    }

    /** Sends what the key holds once the run is clean ({@code held} null: absent, so nothing to send). */
    private Mono<Void> sendHeld(String held) {
        return held == null ? VALUE_SENT.withhold(storeUse() + " is absent") : VALUE_SENT.send(held);
    }

    private Mono<Void> set(KeyValueStore s) {
        return value == null ? s.delete(key).then(Report.say("deleted " + Quoted.of(key)))
                : s.put(key, value).then(Report.say("set " + Quoted.of(key) + " to " + Quoted.of(value)));
    }

    private KeyValueStore store(ContextView ctx) {
        return KeyValueStore.in(ctx).orElseThrow(() -> new IllegalStateException(id() + ": " + storeUse()
                + " is in a key/value store, and none was given: run it in an engine built with keyValueStore(...)"));
    }

    /**
     * Whether {@code stored} (null: absent) needs no change for {@code want} (null: absent), as
     * mgmt's kv decides: equal, or with {@code skipLessThan} greater than {@code want}.
     */
    static boolean holds(String stored, String want, boolean skipLessThan, int style) {
        if (want == null || stored == null) {
            return want == stored;
        }
        if (want.equals(stored)) {
            return true;
        }
        if (!skipLessThan) {
            return false;
        }
        if (style == CmpStyle.STRING.ordinal()) {
            return Arrays.compareUnsigned(want.getBytes(StandardCharsets.UTF_8),
                    stored.getBytes(StandardCharsets.UTF_8)) < 0;
        }
        // A stored value that is no integer is from an old run or corrupt: overwrite it, as mgmt does.
        return INTEGER.matcher(stored).matches() && INTEGER.matcher(want).matches()
                && new BigInteger(want).compareTo(new BigInteger(stored)) < 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KvResource k && k.name.equals(name) && k.key.equals(key) && Objects.equals(k.value, value)
                && k.skipLessThan == skipLessThan && k.skipCmpStyle == skipCmpStyle && k.meta.equals(meta);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, key, value, skipLessThan, skipCmpStyle, meta);
    }

    @Override
    public String toString() {
        return "kv[" + name + "]";
    }
}
