package dev.mgmt.bench;

import dev.mgmt.api.Groupable;
import dev.mgmt.api.Resource;
import java.util.List;
import java.util.stream.Collectors;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A package stand-in for the autogroup benchmark: groups with every other one and does no
 * I/O, so the figure is the engine's grouping alone (a real {@code pkg} asks dpkg what it
 * ships while compiling).
 */
record GroupableNoop(String name) implements Resource, Groupable<GroupableNoop> {

    @Override
    public String kind() {
        return "pkg";
    }

    @Override
    public Flux<?> watch() {
        return Flux.never().startWith("armed");
    }

    @Override
    public Mono<Boolean> check() {
        return Mono.just(Boolean.TRUE);
    }

    @Override
    public Mono<Void> apply() {
        return Mono.empty();
    }

    @Override
    public boolean groupsWith(GroupableNoop other) {
        return true;
    }

    @Override
    public Resource group(List<GroupableNoop> members) {
        return new GroupableNoop("autogroup:(" + members.stream().map(GroupableNoop::name).sorted()
                .collect(Collectors.joining(",")) + ")");
    }
}
