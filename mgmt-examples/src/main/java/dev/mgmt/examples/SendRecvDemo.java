package dev.mgmt.examples;

import dev.mgmt.api.EngineEvent;
import dev.mgmt.api.Graph;
import dev.mgmt.engine.Engine;
import dev.mgmt.engine.resources.TimerResource;
import dev.mgmt.resources.linux.ExecResource;
import dev.mgmt.resources.linux.FileResource;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * Send/recv, the Java twin of {@code mgmt-examples/yaml/sendrecv.yaml}: an exec generates a
 * file's content. The command turns a list of ports into {@code listen} lines; every 2 s a timer
 * refreshes the exec, which runs it again, and when its output differs from what the file last
 * received the file is written with it. Edit {@code <dir>/ports} and {@code listen.conf}
 * follows; edit {@code listen.conf} and it is put back. Runs until stopped (Ctrl-C). The first
 * argument moves the directory (default {@code /tmp/mgmt-sendrecv}).
 */
public final class SendRecvDemo {

    private SendRecvDemo() {
    }

    /** The graph, with its files in {@code dir}. */
    public static Graph graph(String dir) {
        FileResource home = FileResource.builder("sendrecv-dir").path(dir + "/").build();
        FileResource conf = FileResource.builder("listen-conf").path(dir + "/listen.conf").mode("0644").build();
        ExecResource seed = ExecResource.builder("seed-ports").cmd("printf '8080\\n' > " + dir + "/ports")
                .shell("/bin/sh").creates(dir + "/ports").build();
        ExecResource lines = ExecResource.builder("listen-lines").cmd("sed 's/^/listen /' " + dir + "/ports")
                .shell("/bin/sh").build();
        TimerResource tick = TimerResource.every("every-2s", Duration.ofSeconds(2));
        return Graph.builder("sendrecv")
                .add(home, conf, seed, lines, tick)
                .edge(home, seed)
                .edge(seed, lines)
                .edge(tick, lines).notifying()
                .send(lines, ExecResource.STDOUT).to(conf, FileResource.CONTENT)
                .build();
    }

    public static void main(String[] args) throws InterruptedException {
        String dir = args.length > 0 ? args[0] : "/tmp/mgmt-sendrecv";
        try (Engine engine = Engine.builder().build()) {
            engine.events().subscribe(e -> {
                if (e instanceof EngineEvent.Received r) {
                    System.out.printf("%s: received %s from %s.%s%n", r.id(), r.param(), r.from(), r.key());
                } else if (e instanceof EngineEvent.Applied a) {
                    System.out.printf("%s: applied in %d ms%n", a.id(), a.took().toMillis());
                }
            });
            engine.start(graph(dir));
            System.out.println("sendrecv: edit " + dir + "/ports and watch " + dir + "/listen.conf; Ctrl-C stops");
            new CountDownLatch(1).await();
        }
    }
}
