package dev.mgmt.engine.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mgmt.api.Claims;
import dev.mgmt.api.Edge;
import dev.mgmt.api.Graph;
import dev.mgmt.api.GraphBuilder;
import dev.mgmt.api.Resource;
import dev.mgmt.api.ResourceId;
import dev.mgmt.api.Reversible;
import dev.mgmt.api.Uid;
import dev.mgmt.api.codec.ResourceCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pending reversals of DESIGN §4: when a resource with {@code meta.reverse} leaves the
 * graph, its {@link Reversible#reversed()} joins the next graph as a vertex, after the
 * reversals of its old children (the old edges reversed), until it has run clean. With a state
 * directory each pending reversal is also a file there, written before the swap that needs it
 * and removed once it is clean, so a reversal survives a restart (as mgmt keeps them under its
 * prefix). Loop-confined, except {@link #load}.
 */
final class Reversals {

    private static final Logger log = LoggerFactory.getLogger("dev.mgmt.engine");

    private final Path dir;
    private final ResourceCodec codec;
    /** A noop engine plans and shows reversals but never writes or removes one on disk. */
    private final boolean noop;
    /** Reversals finished since the last plan: a commit of that plan must not bring them back. */
    private final Set<ResourceId> finishedSincePlan = new java.util.HashSet<>();
    /** Pending reversals by id, and the reversals each must run after. */
    private final Map<ResourceId, Resource> pending = new LinkedHashMap<>();
    private final Map<ResourceId, Set<ResourceId>> after = new HashMap<>();

    /**
     * @param dir  where pending reversals are kept; null keeps them in memory only
     * @param noop check only: nothing on disk changes
     */
    Reversals(Path dir, ResourceCodec codec, boolean noop) {
        this.dir = dir;
        this.codec = codec;
        this.noop = noop;
    }

    /** What a graph becomes with the reversals it needs; nothing is kept until {@link #commit}. */
    record Plan(Graph graph, Map<ResourceId, Resource> pending, Map<ResourceId, Set<ResourceId>> after,
                Set<ResourceId> started) {
    }

    /**
     * The graph to install in place of the running vertices {@code running}: {@code next} plus
     * the reversal of every running resource with {@code meta.reverse} that {@code next} drops,
     * plus the reversals still pending. A resource of {@code next} with a reversal's id, or that
     * {@linkplain Claims claims} what the reversal claims (a new file on the old one's path), wins
     * over it: the path has a new owner, and undoing the old one would fight it.
     */
    Plan plan(Graph next, Vertex[] running) {
        finishedSincePlan.clear();
        Set<ResourceId> kept = new LinkedHashSet<>();
        for (Resource r : next.resources()) {
            kept.add(r.id());
        }
        Map<ResourceId, Resource> all = new LinkedHashMap<>();
        Map<ResourceId, Set<ResourceId>> order = new HashMap<>();
        ClaimedBy claimed = new ClaimedBy(next);
        pending.forEach((id, r) -> {
            if (!kept.contains(id) && !claimed.any(r)) {
                all.put(id, r);
                order.put(id, new LinkedHashSet<>(after.getOrDefault(id, Set.of())));
            }
        });
        // A set: looked up once per running vertex below.
        Set<ResourceId> started = new LinkedHashSet<>();
        for (Vertex v : running) {
            if (v.meta.reverse() && !kept.contains(v.id) && v.resource instanceof Reversible rv
                    && !v.resource.equals(pending.get(v.id)) && !claimed.any(v.resource)) {
                all.put(v.id, rv.reversed());
                order.putIfAbsent(v.id, new LinkedHashSet<>());
                started.add(v.id);
            }
        }
        // Old edge a -> b between two reversed resources: b is undone before a.
        for (Vertex v : running) {
            if (started.contains(v.id)) {
                for (Vertex c : v.children) {
                    if (all.containsKey(c.id) && !c.id.equals(v.id)) {
                        order.get(v.id).add(c.id);
                    }
                }
            }
        }
        if (all.isEmpty()) {
            return new Plan(next, all, order, started);
        }
        GraphBuilder b = next.toBuilder();
        all.values().forEach(b::add);
        order.forEach((id, befores) -> befores.stream().filter(all::containsKey)
                .forEach(before -> b.edge(Edge.of(before, id))));
        return new Plan(b.build(), all, order, started);
    }

    /** What the resources of a graph claim, gathered only when a reversal asks. */
    private static final class ClaimedBy {
        private final Graph graph;
        private Set<Uid> claims;

        ClaimedBy(Graph graph) {
            this.graph = graph;
        }

        boolean any(Resource r) {
            if (!(r instanceof Claims c)) {
                return false;
            }
            if (claims == null) {
                claims = new HashSet<>();
                for (Resource n : graph.resources()) {
                    if (n instanceof Claims nc) {
                        try {
                            claims.addAll(nc.claims());
                        } catch (RuntimeException e) {
                            // compile reports what makes the resource unreadable
                        }
                    }
                }
            }
            try {
                return c.claims().stream().anyMatch(claims::contains);
            } catch (RuntimeException e) {
                return false;
            }
        }
    }

    /** The plan's graph compiled: keep its reversals, on disk first. */
    void commit(Plan plan) {
        finishedSincePlan.forEach(plan.pending()::remove);
        finishedSincePlan.forEach(plan.after()::remove);
        for (ResourceId id : plan.started()) {
            write(id, plan.pending().get(id), plan.after().get(id));
            log.info("{}: left the graph with meta.reverse; undoing it", id);
        }
        for (ResourceId id : new ArrayList<>(pending.keySet())) {
            if (!plan.pending().containsKey(id)) {
                delete(id);
            }
        }
        pending.clear();
        pending.putAll(plan.pending());
        after.clear();
        after.putAll(plan.after());
    }

    /** Whether this vertex is a pending reversal. */
    boolean isReversal(Vertex v) {
        return !pending.isEmpty() && v.resource.equals(pending.get(v.id));
    }

    /** The reversal ran clean: forget it. */
    void done(ResourceId id) {
        finishedSincePlan.add(id);
        pending.remove(id);
        after.remove(id);
        after.values().forEach(s -> s.remove(id));
        delete(id);
        log.info("{}: reversed", id);
    }

    /**
     * Reads the reversals a previous run left pending. A file that cannot be read (cut short by a
     * crash, a kind no longer on the class path) is moved aside as {@code *.corrupt} and named in
     * an error, so one bad file neither stops every start nor is silently forgotten.
     */
    void load() {
        if (dir == null || !Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (name.startsWith(".reversal") && name.endsWith(".tmp")) {
                    // A write that a crash interrupted before its rename: the swap never happened.
                    if (!noop) {
                        Files.deleteIfExists(f);
                    }
                } else if (name.endsWith(".json")) {
                    read(f);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read pending reversals in " + dir, e);
        }
        if (!pending.isEmpty()) {
            log.info("{} reversal(s) pending from a previous run: {}", pending.size(), pending.keySet());
        }
    }

    private void read(Path f) throws IOException {
        try {
            JsonNode n = Json.MAPPER.readTree(Files.readString(f, StandardCharsets.UTF_8));
            if (n == null || !n.hasNonNull("kind") || !n.has("resource")) {
                throw new IllegalArgumentException("no kind or resource in it");
            }
            Resource r = codec.decode(n.get("kind").asText(), n.get("resource"));
            Set<ResourceId> befores = new LinkedHashSet<>();
            n.path("after").forEach(a -> befores.add(ResourceId.parse(a.asText())));
            pending.put(r.id(), r);
            after.put(r.id(), befores);
        } catch (RuntimeException | IOException e) {
            Path aside = f.resolveSibling(f.getFileName() + ".corrupt");
            if (!noop) {
                Files.move(f, aside, StandardCopyOption.REPLACE_EXISTING);
            }
            log.error("{}: not a readable pending reversal ({}); moved aside to {}, nothing of it is undone",
                    f, e.getMessage(), aside);
        }
    }

    private void write(ResourceId id, Resource r, Set<ResourceId> befores) {
        if (dir == null || noop) {
            return;
        }
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("kind", id.kind());
        n.set("resource", codec.encode(r));
        var list = n.putArray("after");
        befores.forEach(b -> list.add(b.toString()));
        try {
            Files.createDirectories(dir);
            Path target = file(id);
            Path tmp = Files.createTempFile(dir, ".reversal", ".tmp");
            try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(tmp,
                    java.nio.file.StandardOpenOption.WRITE)) {
                ch.write(java.nio.ByteBuffer.wrap(n.toString().getBytes(StandardCharsets.UTF_8)));
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            syncDirectory();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the reversal of " + id + " in " + dir, e);
        }
    }

    /** The rename is durable only once the directory is: a crash must not lose a reversal the swap relies on. */
    private void syncDirectory() throws IOException {
        try (java.nio.channels.FileChannel d = java.nio.channels.FileChannel.open(dir,
                java.nio.file.StandardOpenOption.READ)) {
            d.force(true);
        }
    }

    private void delete(ResourceId id) {
        if (dir == null || noop) {
            return;
        }
        try {
            Files.deleteIfExists(file(id));
        } catch (IOException e) {
            log.warn("{}: cannot remove its finished reversal from {}: {}", id, dir, e.toString());
        }
    }

    /** One file per id, named by a hash of it: no id can reach outside the directory or be too long. */
    private Path file(ResourceId id) {
        return dir.resolve(Names.hashed(id.toString()) + ".json");
    }

    /** Made when a reversal is first read or written: most runs have none, and starting Jackson costs a short run ~70 ms. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }
}
