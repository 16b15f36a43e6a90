package dev.mgmt.api;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Builds a {@link Graph}. Edges may name their ends by value or by {@code kind[name]} id;
 * {@link #notifying()} turns the edge just declared into a notify edge;
 * {@link #send send(from, key).to(to, param)} declares a send/recv edge.
 */
public final class GraphBuilder {

    private final String name;
    private final List<Resource> resources = new ArrayList<>();
    private final List<Edge> edges = new ArrayList<>();
    private final List<SendRecv> sendRecvs = new ArrayList<>();
    private final Set<ResourceId> exports = new LinkedHashSet<>();
    /** The hosts each directed export is for; {@link #EVERY_HOST} among them means every host. */
    private final Map<ResourceId, Set<String>> targets = new HashMap<>();
    private final List<Collect> collects = new ArrayList<>();
    private final Map<ResourceId, String> origins = new HashMap<>();
    private Function<ResourceId, String> locator;

    GraphBuilder(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    /** Adds resources. */
    public GraphBuilder add(Resource... rs) {
        for (Resource r : rs) {
            resources.add(Objects.requireNonNull(r, "resource"));
        }
        return this;
    }

    /** Adds resources. */
    public GraphBuilder addAll(Collection<? extends Resource> rs) {
        rs.forEach(this::add);
        return this;
    }

    /** Declares {@code from -> to}. */
    public GraphBuilder edge(Resource from, Resource to) {
        return edge(from.id(), to.id());
    }

    /** Declares {@code from -> to} by ids such as {@code "file[f1]"}. */
    public GraphBuilder edge(String from, String to) {
        return edge(ResourceId.parse(from), ResourceId.parse(to));
    }

    /** Declares {@code from -> to}. */
    public GraphBuilder edge(ResourceId from, ResourceId to) {
        edges.add(Edge.of(from, to));
        return this;
    }

    /** Adds an edge as it is, notify flag and label included. */
    public GraphBuilder edge(Edge e) {
        edges.add(Objects.requireNonNull(e, "edge"));
        return this;
    }

    /** Declares edges {@code rs[0] -> rs[1] -> ... -> rs[n-1]}. */
    public GraphBuilder chain(Resource... rs) {
        for (int i = 1; i < rs.length; i++) {
            edge(rs[i - 1], rs[i]);
        }
        return this;
    }

    /**
     * Makes the edge declared last a notify edge: when its parent changes something, its
     * child is refreshed.
     *
     * @throws IllegalStateException when no edge was declared yet
     */
    public GraphBuilder notifying() {
        if (edges.isEmpty()) {
            throw new IllegalStateException("notifying() must follow an edge(...)");
        }
        int last = edges.size() - 1;
        edges.set(last, edges.get(last).notifying());
        return this;
    }

    /**
     * Starts a send/recv edge (mgmt's send/recv): the value {@code from} sends for {@code key}
     * after each run that ends clean becomes a parameter of the resource named in
     * {@link Sending#to}. For example
     * {@code b.send(gen, ExecResource.STDOUT).to(out, FileResource.CONTENT)}; a key of another
     * kind than {@code from}'s, a parameter of another kind than {@code to}'s, and a key and a
     * parameter of different types do not compile.
     */
    public <S extends Resource, T> Sending<T> send(S from, SendKey<? super S, T> key) {
        return new Sending<>(Objects.requireNonNull(from, "from"), Objects.requireNonNull(key, "key"));
    }

    /**
     * Adds a send/recv edge as it is, by names (what YAML and {@link Graph#toBuilder} use); it
     * orders its ends as an edge does. Compile checks the names and types.
     */
    public GraphBuilder sendRecv(SendRecv link) {
        sendRecvs.add(Objects.requireNonNull(link, "link"));
        return this;
    }

    /** The sending end of a send/recv edge; {@link #to} completes it. */
    public final class Sending<T> {
        private final Resource from;
        private final SendKey<?, T> key;

        private Sending(Resource from, SendKey<?, T> key) {
            this.from = from;
            this.key = key;
        }

        /**
         * Completes the edge: {@code to}'s parameter {@code param} receives the value. It also
         * declares the edge {@code from -> to}, so {@link GraphBuilder#notifying()} may follow.
         */
        public <R extends Resource> GraphBuilder to(R to, RecvParam<? super R, ? super T> param) {
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(param, "param");
            edge(from, to);
            return sendRecv(new SendRecv(from.id(), key.name(), to.id(), param.name()));
        }
    }

    /**
     * Adds resources (if not added yet) and exports them to the cluster: other hosts can
     * collect them. They are managed on this host too.
     */
    public GraphBuilder export(Resource... rs) {
        for (Resource r : rs) {
            if (!resources.contains(r)) {
                add(r);
            }
            exports.add(r.id());
        }
        return this;
    }

    /**
     * Adds resources (if not added yet) and exports them to the hosts named only, as mgmt's
     * {@code meta.export} does: other hosts do not collect them. {@code "*"} names every host.
     * Exporting a resource again adds hosts; exporting it to every host makes it undirected.
     *
     * @throws IllegalArgumentException when no host is named, or a name is blank
     */
    public GraphBuilder export(Collection<String> hosts, Resource... rs) {
        for (Resource r : rs) {
            if (!resources.contains(r)) {
                add(r);
            }
            exportTo(r.id(), hosts);
        }
        return this;
    }

    /** Marks an already added resource as exported to every host, by id. */
    public GraphBuilder exportId(ResourceId id) {
        exports.add(Objects.requireNonNull(id, "id"));
        targets.computeIfAbsent(id, k -> new LinkedHashSet<>()).add(Graph.EVERY_HOST);
        return this;
    }

    /**
     * Marks an already added resource as exported to the hosts named, by id (see
     * {@link #export(Collection, Resource...)}).
     */
    public GraphBuilder exportTo(ResourceId id, Collection<String> hosts) {
        Objects.requireNonNull(id, "id");
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("export of " + id + ": name at least one host, or \"*\" for every host");
        }
        for (String h : hosts) {
            if (h == null || h.isBlank()) {
                throw new IllegalArgumentException("export of " + id + ": a host name is empty");
            }
        }
        exports.add(id);
        targets.computeIfAbsent(id, k -> new LinkedHashSet<>()).addAll(hosts);
        return this;
    }

    /**
     * Collects other hosts' exported resources of {@code kind}; for {@code file}, into the
     * directory {@code pattern}.
     */
    public GraphBuilder collect(String kind, String pattern) {
        return collect(new Collect(kind, pattern));
    }

    /** Collects as {@code collect} says, with the parameters it allows from peers. */
    public GraphBuilder collect(Collect collect) {
        collects.add(Objects.requireNonNull(collect, "collect"));
        return this;
    }

    /**
     * Records where a resource came from ({@code graph.yaml:12}, {@code collected from 'b'}), so
     * that messages about it, such as two resources claiming one path, can say so.
     */
    public GraphBuilder origin(ResourceId id, String origin) {
        origins.put(Objects.requireNonNull(id, "id"), Objects.requireNonNull(origin, "origin"));
        return this;
    }

    /**
     * Finds the origin of resources with none {@linkplain #origin recorded}, only when a message
     * needs it (a graph reader that locates lines lazily).
     */
    public GraphBuilder locator(Function<ResourceId, String> locator) {
        this.locator = Objects.requireNonNull(locator, "locator");
        return this;
    }

    /** An immutable graph of what was added so far. */
    public Graph build() {
        return new Graph(name, resources, edges, sendRecvs, exports, targets, collects, origins, locator);
    }
}
