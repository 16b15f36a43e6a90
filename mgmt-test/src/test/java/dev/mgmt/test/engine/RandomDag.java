package dev.mgmt.test.engine;

import dev.mgmt.api.Graph;
import dev.mgmt.api.GraphBuilder;
import dev.mgmt.api.Resource;
import dev.mgmt.test.FakeGate;
import dev.mgmt.test.FakeResource;
import dev.mgmt.test.Fakes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * A random DAG whose vertex indices are a topological order ({@code parents[i]} are all
 * below {@code i}), with random notify edges, initial states, refreshable flags and an engine
 * parallelism cap. Everything derives from the seed.
 */
final class RandomDag {

    final long seed;
    final int n;
    final int[][] parents;
    final boolean[][] notifies;
    final boolean[] inSync;
    final boolean[] refreshable;
    final int cap;
    private final long shuffleSeed;

    private RandomDag(long seed, int n, int[][] parents, boolean[][] notifies, boolean[] inSync,
                      boolean[] refreshable, int cap, long shuffleSeed) {
        this.seed = seed;
        this.n = n;
        this.parents = parents;
        this.notifies = notifies;
        this.inSync = inSync;
        this.refreshable = refreshable;
        this.cap = cap;
        this.shuffleSeed = shuffleSeed;
    }

    static RandomDag generate(long seed) {
        Random r = new Random(seed);
        int n = seed % 8 == 0 ? 200 : 1 + r.nextInt(200);
        int maxParents = 1 + r.nextInt(4);
        int window = 2 + r.nextInt(20);
        double notifyP = r.nextDouble() * 0.6;
        double inSyncP = r.nextDouble();
        int[][] parents = new int[n][];
        boolean[][] notifies = new boolean[n][];
        boolean[] inSync = new boolean[n];
        boolean[] refreshable = new boolean[n];
        for (int i = 0; i < n; i++) {
            int k = i == 0 || r.nextInt(10) == 0 ? 0 : r.nextInt(Math.min(i, maxParents) + 1);
            Set<Integer> ps = new LinkedHashSet<>();
            while (ps.size() < k) {
                ps.add(r.nextInt(4) > 0 ? Math.max(0, i - 1 - r.nextInt(window)) : r.nextInt(i));
            }
            parents[i] = ps.stream().mapToInt(Integer::intValue).toArray();
            notifies[i] = new boolean[k];
            for (int j = 0; j < k; j++) {
                notifies[i][j] = r.nextDouble() < notifyP;
            }
            inSync[i] = r.nextDouble() < inSyncP;
            refreshable[i] = r.nextInt(10) < 7;
        }
        int cap = r.nextInt(3) == 0 ? 1 + r.nextInt(8) : 0;
        return new RandomDag(seed, n, parents, notifies, inSync, refreshable, cap, r.nextLong());
    }

    static String name(int i) {
        return "v" + i;
    }

    int edges() {
        int e = 0;
        for (int[] p : parents) {
            e += p.length;
        }
        return e;
    }

    /** The graph, resources added in a shuffled order; vertex {@code i} waits on {@code gates.apply(i)} in check. */
    Graph toGraph(Fakes fakes, IntFunction<FakeGate> gates) {
        List<Resource> rs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rs.add(resource(fakes, i, gates.apply(i)));
        }
        List<Resource> shuffled = new ArrayList<>(rs);
        Collections.shuffle(shuffled, new Random(shuffleSeed));
        GraphBuilder b = Graph.builder("random-" + seed).addAll(shuffled);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < parents[i].length; j++) {
                b.edge(rs.get(parents[i][j]), rs.get(i));
                if (notifies[i][j]) {
                    b.notifying();
                }
            }
        }
        return b.build();
    }

    private FakeResource resource(Fakes fakes, int i, FakeGate gate) {
        return fakes.resource(name(i)).inSync(inSync[i]).refreshable(refreshable[i]).checkGate(gate).build();
    }

    @Override
    public String toString() {
        return "seed " + seed + " (" + n + " vertices, " + edges() + " edges, parallelism " + cap + ")";
    }
}
