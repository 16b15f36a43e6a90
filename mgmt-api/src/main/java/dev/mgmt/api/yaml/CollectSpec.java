package dev.mgmt.api.yaml;

import dev.mgmt.api.Collect;
import java.util.List;

/**
 * A {@code collect:} entry of a YAML graph: gather other hosts' exported resources of this
 * kind (for {@code file}, into the directory {@code pattern}), taking from them the kind's
 * safe parameters and those {@code allow:} names. A kind that hands a peer this host
 * ({@code exec}) is collected only with {@code trust: true}.
 *
 * @param kind    the resource kind to collect
 * @param pattern kind-specific selector; for files, the directory they are placed in
 * @param allowed parameters allowed beyond the kind's safe ones
 * @param trust   {@code trust: true}: peers are trusted with a kind that needs it
 * @param reverse {@code reverse: true}: a copy of a kind collected as it is is undone when its
 *                export is withdrawn (placed copies, such as files, always are)
 */
public record CollectSpec(String kind, String pattern, List<Collect.Grant> allowed, boolean trust, boolean reverse) {

    public CollectSpec {
        allowed = List.copyOf(allowed);
    }

    /** An entry with no {@code reverse:}. */
    public CollectSpec(String kind, String pattern, List<Collect.Grant> allowed, boolean trust) {
        this(kind, pattern, allowed, trust, false);
    }

    /** An entry with no {@code trust:}. */
    public CollectSpec(String kind, String pattern, List<Collect.Grant> allowed) {
        this(kind, pattern, allowed, false);
    }

    /** An entry with no {@code allow:} and no {@code trust:}. */
    public CollectSpec(String kind, String pattern) {
        this(kind, pattern, List.of());
    }

    /** This entry as the graph's {@link Collect}. */
    public Collect toCollect() {
        return new Collect(kind, pattern, allowed, trust, reverse);
    }
}
