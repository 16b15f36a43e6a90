package dev.mgmt.test.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * The width of a DAG: a largest set of pairwise unreachable vertices (Dilworth's theorem,
 * through a maximum matching on the reachability relation and König's theorem).
 */
final class Antichains {

    private Antichains() {
    }

    /** Which vertices each vertex reaches (not itself), for a DAG whose indices are a topological order. */
    static BitSet[] reach(int[][] parents) {
        int n = parents.length;
        BitSet[] reach = new BitSet[n];
        for (int i = 0; i < n; i++) {
            reach[i] = new BitSet(n);
        }
        for (int c = n - 1; c >= 0; c--) {
            for (int p : parents[c]) {
                reach[p].set(c);
                reach[p].or(reach[c]);
            }
        }
        return reach;
    }

    /** A maximum antichain, in increasing order. */
    static List<Integer> maximum(int[][] parents) {
        int n = parents.length;
        BitSet[] reach = reach(parents);
        int[] matchL = new int[n];
        int[] matchR = new int[n];
        Arrays.fill(matchL, -1);
        Arrays.fill(matchR, -1);
        int matched = 0;
        for (int u = 0; u < n; u++) {
            if (augment(u, reach, matchL, matchR, new boolean[n])) {
                matched++;
            }
        }
        // König: alternating search from the unmatched left vertices.
        boolean[] zl = new boolean[n];
        boolean[] zr = new boolean[n];
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int u = 0; u < n; u++) {
            if (matchL[u] < 0) {
                zl[u] = true;
                queue.add(u);
            }
        }
        while (!queue.isEmpty()) {
            int u = queue.poll();
            for (int v = reach[u].nextSetBit(0); v >= 0; v = reach[u].nextSetBit(v + 1)) {
                if (!zr[v] && matchL[u] != v) {
                    zr[v] = true;
                    int w = matchR[v];
                    if (w >= 0 && !zl[w]) {
                        zl[w] = true;
                        queue.add(w);
                    }
                }
            }
        }
        List<Integer> antichain = new ArrayList<>();
        for (int v = 0; v < n; v++) {
            if (zl[v] && !zr[v]) {
                antichain.add(v);
            }
        }
        if (antichain.size() != n - matched) {
            throw new IllegalStateException("antichain of " + antichain.size() + " but width " + (n - matched));
        }
        for (int a : antichain) {
            for (int b : antichain) {
                if (reach[a].get(b)) {
                    throw new IllegalStateException("not an antichain: " + a + " reaches " + b);
                }
            }
        }
        return antichain;
    }

    private static boolean augment(int u, BitSet[] reach, int[] matchL, int[] matchR, boolean[] seen) {
        for (int v = reach[u].nextSetBit(0); v >= 0; v = reach[u].nextSetBit(v + 1)) {
            if (!seen[v]) {
                seen[v] = true;
                if (matchR[v] < 0 || augment(matchR[v], reach, matchL, matchR, seen)) {
                    matchL[u] = v;
                    matchR[v] = u;
                    return true;
                }
            }
        }
        return false;
    }
}
