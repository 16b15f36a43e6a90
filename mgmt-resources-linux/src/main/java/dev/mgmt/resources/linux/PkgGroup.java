package dev.mgmt.resources.linux;

import dev.mgmt.api.Meta;
import dev.mgmt.api.Resource;
import dev.mgmt.api.Uid;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Several {@code pkg} resources merged into one vertex, {@code pkg[autogroup:(a,b,c)]}: one
 * query checks them all, one transaction applies them all, and one watch covers them all.
 * Equal to another group of equal members.
 */
final class PkgGroup implements Resource {

    private final List<PkgResource> members; // sorted by name
    private final String name;
    private final PkgRun run;

    PkgGroup(List<PkgResource> given) {
        List<PkgResource> sorted = new ArrayList<>(given);
        sorted.sort(Comparator.comparing(PkgResource::name));
        this.members = List.copyOf(sorted);
        this.name = "autogroup:(" + members.stream().map(PkgResource::name).collect(Collectors.joining(",")) + ")";
        PkgResource first = given.get(0);
        this.run = new PkgRun(first.backend(), first.run().using());
    }

    /** The members, sorted by package name. */
    List<PkgResource> members() {
        return members;
    }

    @Override
    public String kind() {
        return PkgResource.KIND;
    }

    @Override
    public String name() {
        return name;
    }

    /** The meta parameters of the first member by name. */
    @Override
    public Meta meta() {
        return members.get(0).meta();
    }

    @Override
    public List<String> validate() {
        List<String> out = new ArrayList<>();
        for (PkgResource m : members) {
            for (String problem : m.validate()) {
                out.add(m + ": " + problem);
            }
        }
        return out;
    }

    @Override
    public Flux<?> watch() {
        return run.watch();
    }

    @Override
    public Mono<Boolean> check() {
        return run.check(members);
    }

    @Override
    public Mono<Void> apply() {
        return run.apply(members);
    }

    /** What every member provides. */
    @Override
    public List<Uid> provides() {
        Set<Uid> out = new LinkedHashSet<>();
        members.forEach(m -> out.addAll(m.provides()));
        return List.copyOf(out);
    }

    @Override
    public void close() {
        run.close();
        members.forEach(PkgResource::close);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PkgGroup g && g.members.equals(members);
    }

    @Override
    public int hashCode() {
        return members.hashCode();
    }

    @Override
    public String toString() {
        return PkgResource.KIND + "[" + name + "]";
    }
}
