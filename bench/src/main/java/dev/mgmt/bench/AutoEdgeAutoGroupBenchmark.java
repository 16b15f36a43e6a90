package dev.mgmt.bench;

import dev.mgmt.api.Graph;
import dev.mgmt.api.GraphBuilder;
import dev.mgmt.api.Resource;
import dev.mgmt.engine.Compilation;
import dev.mgmt.engine.EngineBuilder;
import dev.mgmt.engine.Engine;
import dev.mgmt.resources.linux.FileResource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Graph compile with and without the automatic-edge or automatic-group phase, on mgmt's
 * published cases (its 1.1.0 release notes: autoedge tree/10000 in 53 ms, autogroup
 * chain/1000 in 460 ms). The phase's cost is {@code on - off}.
 *
 * <ul>
 *   <li>{@code tree}: 10,000 file resources: 10 directories, 100 subdirectories, the rest
 *       files spread over the subdirectories; each file finds its nearest managed ancestor.</li>
 *   <li>{@code flat}: one directory and 9,999 files in it.</li>
 *   <li>{@code group}: 1,000 packages with no edges: one group.</li>
 *   <li>{@code chain}: 1,000 packages in a chain: nothing may group.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/java.util.concurrent.atomic=ALL-UNNAMED", "-Xmx2g"})
public class AutoEdgeAutoGroupBenchmark {

    @Param({"tree", "flat", "group", "chain"})
    public String graphCase;

    @Param({"on", "off"})
    public String phase;

    private Graph graph;
    private EngineBuilder builder;

    @Setup
    public void setUp() {
        boolean on = phase.equals("on");
        switch (graphCase) {
            case "tree" -> { graph = tree(10_000); builder = Engine.builder().autoEdges(on).autoGroup(false); }
            case "flat" -> { graph = flat(10_000); builder = Engine.builder().autoEdges(on).autoGroup(false); }
            case "group" -> { graph = packages(1_000, false); builder = Engine.builder().autoEdges(false).autoGroup(on); }
            case "chain" -> { graph = packages(1_000, true); builder = Engine.builder().autoEdges(false).autoGroup(on); }
            default -> throw new IllegalArgumentException(graphCase);
        }
    }

    @Benchmark
    public Compilation compile() {
        return builder.compile(graph);
    }

    static Graph tree(int n) {
        GraphBuilder b = Graph.builder("tree");
        List<String> subdirs = new ArrayList<>();
        int count = 0;
        for (int d = 0; d < 10; d++) {
            String dir = "/srv/t" + d + "/";
            b.add(FileResource.directory(dir));
            count++;
            for (int s = 0; s < 10; s++) {
                String sub = dir + "s" + s + "/";
                b.add(FileResource.directory(sub));
                subdirs.add(sub);
                count++;
            }
        }
        for (int i = 0; count < n; i++, count++) {
            b.add(FileResource.file(subdirs.get(i % subdirs.size()) + "f" + i, "x"));
        }
        return b.build();
    }

    static Graph flat(int n) {
        GraphBuilder b = Graph.builder("flat").add(FileResource.directory("/srv/flat/"));
        for (int i = 1; i < n; i++) {
            b.add(FileResource.file("/srv/flat/f" + i, "x"));
        }
        return b.build();
    }

    static Graph packages(int n, boolean chain) {
        List<Resource> ps = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ps.add(new GroupableNoop("p" + i));
        }
        GraphBuilder b = Graph.builder(chain ? "chain" : "group").addAll(ps);
        if (chain) {
            b.chain(ps.toArray(Resource[]::new));
        }
        return b.build();
    }
}
