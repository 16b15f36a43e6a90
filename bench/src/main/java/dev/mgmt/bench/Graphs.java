package dev.mgmt.bench;

import dev.mgmt.api.Graph;
import dev.mgmt.api.GraphBuilder;
import dev.mgmt.api.Resource;
import dev.mgmt.engine.resources.NoopResource;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** The graph shapes the engine benchmarks run: every vertex a {@link NoopResource}. */
final class Graphs {

    /** Seed of the random DAG, fixed so every run measures the same graph. */
    static final long SEED = 0x6d676d74L; // "mgmt"

    /** Edges per vertex in the random DAG (each vertex i > 1 gets this many distinct parents j < i). */
    static final int RANDOM_PARENTS = 2;

    private Graphs() {
    }

    enum Shape {
        /** No edges: every vertex runs at once. */
        WIDE,
        /** One chain 0 -> 1 -> ... -> n-1: nothing runs in parallel. */
        DEEP,
        /** About two edges per vertex, only from a lower to a higher index, fixed seed. */
        RANDOM
    }

    static Graph build(Shape shape, int n) {
        List<Resource> rs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            rs.add(NoopResource.of("n" + i));
        }
        GraphBuilder b = Graph.builder(shape.name().toLowerCase() + "-" + n).addAll(rs);
        switch (shape) {
            case WIDE -> {
            }
            case DEEP -> {
                for (int i = 1; i < n; i++) {
                    b.edge(rs.get(i - 1).id(), rs.get(i).id());
                }
            }
            case RANDOM -> {
                SplittableRandom rnd = new SplittableRandom(SEED);
                for (int i = 1; i < n; i++) {
                    int first = rnd.nextInt(i);
                    b.edge(rs.get(first).id(), rs.get(i).id());
                    if (i >= 2 && RANDOM_PARENTS >= 2) {
                        int second = rnd.nextInt(i - 1);
                        if (second >= first) {
                            second++; // distinct from first
                        }
                        b.edge(rs.get(second).id(), rs.get(i).id());
                    }
                }
            }
            default -> throw new AssertionError(shape);
        }
        return b.build();
    }
}
