package dev.mgmt.engine.resources;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.mgmt.api.Meta;
import dev.mgmt.api.Refreshable;
import dev.mgmt.api.Resource;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Kind {@code msg}: logs its body once, and again on every refresh. With {@code fail} set its
 * apply fails instead, which makes failure handling easy to demonstrate and test.
 *
 * <p>Equality covers the parameters only; whether the message was logged yet is run state.
 */
public final class MsgResource implements Resource, Refreshable {

    public static final String KIND = "msg";
    private static final Logger log = LoggerFactory.getLogger("dev.mgmt.msg");

    private final String name;
    private final String body;
    private final boolean fail;
    private final Meta meta;
    private final AtomicBoolean logged = new AtomicBoolean();

    @JsonCreator
    public MsgResource(@JsonProperty(value = "name", required = true) String name,
                       @JsonProperty("body") String body,
                       @JsonProperty("fail") boolean fail,
                       @JsonProperty("meta") Meta meta) {
        this.name = Objects.requireNonNull(name, "name");
        this.body = body == null ? "" : body;
        this.fail = fail;
        this.meta = meta == null ? Meta.DEFAULTS : meta;
    }

    /** A message that logs {@code body}. */
    public static MsgResource of(String name, String body) {
        return new MsgResource(name, body, false, Meta.DEFAULTS);
    }

    /** A message whose apply always fails with {@code body} as the reason. */
    public static MsgResource failing(String name, String body) {
        return new MsgResource(name, body, true, Meta.DEFAULTS);
    }

    /** This message with other meta parameters. */
    public MsgResource withMeta(Meta meta) {
        return new MsgResource(name, body, fail, meta);
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

    @JsonProperty("body")
    public String body() {
        return body;
    }

    @JsonProperty("fail")
    public boolean fail() {
        return fail;
    }

    @Override
    @JsonProperty("meta")
    public Meta meta() {
        return meta;
    }

    @Override
    public List<String> validate() {
        return List.of();
    }

    @Override
    public Flux<?> watch() {
        return Watches.armedThenNever();
    }

    @Override
    public Mono<Boolean> check() {
        return Mono.fromSupplier(logged::get);
    }

    @Override
    public Mono<Void> apply() {
        return Mono.fromRunnable(this::say);
    }

    @Override
    public Mono<Void> refresh() {
        return Mono.fromRunnable(this::say);
    }

    private void say() {
        if (fail) {
            throw new IllegalStateException("msg[" + name + "] fails as configured: " + body);
        }
        log.info("msg[{}]: {}", name, body);
        logged.set(true);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MsgResource m && m.name.equals(name) && m.body.equals(body) && m.fail == fail
                && m.meta.equals(meta);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, body, fail, meta);
    }

    @Override
    public String toString() {
        return "msg[" + name + "]";
    }
}
