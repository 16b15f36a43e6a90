package dev.mgmt.examples;

import dev.mgmt.api.Graph;
import dev.mgmt.cluster.ClusterNode;
import dev.mgmt.resources.linux.FileResource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * mgmt's three-host exchange in one JVM (the twin of {@code mgmt-examples/yaml/graph3a|b|c.yaml}):
 * hosts a, b and c each manage four files in {@code /tmp/mgmtA|B|C/}, export two, and collect
 * every exported file into their own directory. Started a, then b, then c: 24 files, 8 per
 * directory. Run with {@code --add-opens java.base/java.util.concurrent.atomic=ALL-UNNAMED}.
 */
public final class ThreeHostExchange {

    private ThreeHostExchange() {
    }

    static Graph host(String h) {
        String dir = "/tmp/mgmt" + h.toUpperCase() + "/";
        FileResource f1 = FileResource.builder("file1" + h).path(dir + "f1" + h).content("i am f1\n").build();
        FileResource f2 = FileResource.builder("file2" + h).path(dir + "f2" + h).content("i am f2, exported from host " + h + "\n").build();
        FileResource f3 = FileResource.builder("file3" + h).path(dir + "f3" + h).content("i am f3, exported from host " + h + "\n").build();
        FileResource f4 = FileResource.builder("file4" + h).path(dir + "f4" + h).content("i am f4\n").build();
        return Graph.builder("mygraph")
                .add(FileResource.directory(dir), f1, f4)
                .export(f2, f3)
                .collect("file", dir)
                .build();
    }

    public static void main(String[] args) throws Exception {
        long t0 = System.nanoTime();
        try (RunningHosts hosts = new RunningHosts()) {
            String seed = "127.0.0.1:7946";
            int port = 7946;
            for (String h : List.of("a", "b", "c")) {
                ClusterNode.Builder node = ClusterNode.builder().hostname(h).listen("127.0.0.1:" + port++);
                if (!h.equals("a")) {
                    node.seeds(List.of(seed));
                }
                hosts.start(node.build(), host(h));
                System.out.printf("host %s started after %.1f s%n", h, (System.nanoTime() - t0) / 1e9);
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (count() < 24 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            System.out.printf("%d files in /tmp/mgmtA|B|C after %.1f s%n", count(), (System.nanoTime() - t0) / 1e9);
        }
    }

    private static long count() throws Exception {
        long n = 0;
        for (String d : List.of("/tmp/mgmtA", "/tmp/mgmtB", "/tmp/mgmtC")) {
            if (Files.isDirectory(Path.of(d))) {
                try (var s = Files.list(Path.of(d))) {
                    n += s.filter(p -> !p.getFileName().toString().startsWith(".")).count();
                }
            }
        }
        return n;
    }
}
