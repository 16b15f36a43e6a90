package dev.mgmt.engine.resources;

import dev.mgmt.api.Meta;
import dev.mgmt.api.Resource;
import java.util.Objects;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Kind {@code noop}: does nothing and is always in the desired state. Useful as a join point
 * in a graph and for measuring the engine itself.
 *
 * @param name    the name
 * @param comment free text, as mgmt's noop carries
 * @param meta    meta parameters
 */
public record NoopResource(String name, String comment, Meta meta) implements Resource {

    public static final String KIND = "noop";

    public NoopResource {
        Objects.requireNonNull(name, "name");
        comment = comment == null ? "" : comment;
        meta = meta == null ? Meta.DEFAULTS : meta;
    }

    /** A noop with default meta and no comment. */
    public static NoopResource of(String name) {
        return new NoopResource(name, "", Meta.DEFAULTS);
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Flux<?> watch() {
        return Watches.armedThenNever();
    }

    @Override
    public Mono<Boolean> check() {
        return Mono.just(Boolean.TRUE);
    }

    @Override
    public Mono<Void> apply() {
        return Mono.empty();
    }
}
