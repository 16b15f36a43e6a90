package dev.mgmt.examples;

import dev.mgmt.api.EngineEvent;
import dev.mgmt.api.Graph;
import dev.mgmt.engine.Engine;
import dev.mgmt.resources.linux.FileResource;

/**
 * mgmt's event-driven file demo (the Java twin of {@code mgmt-examples/yaml/files.yaml}):
 * f1..f3 with content and f4 absent, under the directory given as the first argument
 * (default {@code /tmp/mgmt}). It runs until interrupted; delete or overwrite f2, or
 * {@code touch f4}, and each change is repaired at once.
 */
public final class FileDemo {

    private FileDemo() {
    }

    public static void main(String[] args) throws InterruptedException {
        String dir = args.length > 0 ? args[0] : "/tmp/mgmt";
        // The directory too, so the demo runs on a fresh machine; automatic edges order it first.
        FileResource home = FileResource.builder("mgmt-dir").path(dir + "/").build();
        FileResource f1 = FileResource.builder("file1").path(dir + "/f1").content("i am f1\n").build();
        FileResource f2 = FileResource.builder("file2").path(dir + "/f2").content("i am f2\n").build();
        FileResource f3 = FileResource.builder("file3").path(dir + "/f3").content("i am f3\n").build();
        FileResource f4 = FileResource.builder("file4").path(dir + "/f4").state(FileResource.State.ABSENT).build();
        Graph graph = Graph.builder("mygraph").add(home, f1, f2, f3, f4).build();

        Engine engine = Engine.builder().build();
        Runtime.getRuntime().addShutdownHook(new Thread(engine::close));
        engine.events().ofType(EngineEvent.Applied.class)
                .subscribe(a -> System.out.printf("%s: applied in %d ms%n", a.id(), a.took().toMillis()));
        engine.start(graph);
        System.out.println(engine.awaitConverged(java.time.Duration.ofMinutes(1)).describe()
                + "; now change " + dir + "/f2 or touch " + dir + "/f4 and watch (Ctrl-C to stop)");
        Thread.currentThread().join();
    }
}
