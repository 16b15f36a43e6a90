package dev.mgmt.resources.linux;

import dev.mgmt.api.EngineEvent;
import dev.mgmt.api.Graph;
import dev.mgmt.api.codec.ResourceCodec;
import dev.mgmt.api.yaml.YamlGraph;
import dev.mgmt.engine.Convergence;
import dev.mgmt.engine.Engine;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The child JVM of {@link AccountsNamespaceTest}, run inside {@code private-accounts.sh}'s
 * namespace, so that the engine's tools change the private copies of the account files only.
 * It reads commands on stdin, one a line:
 * <ul>
 *   <li>{@code run FILE}: starts the engine with the YAML graph (or swaps it in), waits until it
 *       has converged and prints {@code converged ok} or {@code converged failed ...};</li>
 *   <li>{@code noop FILE}: runs the graph on an engine of its own in noop mode and prints
 *       {@code noop} and the ids it would change;</li>
 *   <li>{@code java}: as {@code run}, with {@link #javaGraph()}.</li>
 * </ul>
 * On the way it prints {@code applied ID}, {@code failed ID MESSAGE} and {@code output ID TEXT}
 * as they happen. It prints {@code ready} first and exits at the end of its input.
 */
public final class AccountsChild {

    static final String JAVA_USER = "mgmt-t-j";
    static final String JAVA_GROUP = "mgmt-t-jg";
    static final String JAVA_HOME = "/home/mgmt-t-j/";
    private static final Duration CONVERGED = Duration.ofMinutes(2);
    private static final Set<Class<? extends EngineEvent>> SHOWN =
            Set.of(EngineEvent.Applied.class, EngineEvent.Failed.class, EngineEvent.Output.class);

    private AccountsChild() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        ResourceCodec codec = ResourceCodec.standard();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try (Engine engine = Engine.builder().build()) {
            engine.listen(SHOWN, e -> say(out, e));
            boolean started = false;
            out.println("ready");
            for (String line; (line = in.readLine()) != null; ) {
                String[] w = line.split(" ", 2);
                Graph g = w[0].equals("java") ? javaGraph() : YamlGraph.read(Path.of(w[1]), codec).graph();
                if (!w[0].equals("noop")) {
                    if (started) {
                        engine.swap(g);
                    } else {
                        engine.start(g);
                        started = true;
                    }
                    Convergence c = engine.awaitConverged(CONVERGED);
                    out.println("converged " + (c.isSuccess() ? "ok" : "failed " + oneLine(c.describe())));
                } else {
                    try (Engine noop = Engine.builder().noop(true).build()) {
                        noop.listen(SHOWN, e -> say(out, e));
                        noop.start(g);
                        noop.awaitConverged(CONVERGED);
                        out.println("noop " + noop.noopReport().stream().map(Object::toString)
                                .collect(Collectors.joining(" ")));
                    }
                }
            }
        }
    }

    /**
     * A home directory and a file in it, owned by a user whose primary group is made too, built in
     * Java and added files first: only the automatic edges put the group and user before them.
     */
    static Graph javaGraph() {
        return Graph.builder().add(
                FileResource.builder(JAVA_HOME + "notes").content("hello\n").owner(JAVA_USER).group(JAVA_GROUP)
                        .mode("0600").build(),
                FileResource.builder(JAVA_HOME).owner(JAVA_USER).group(JAVA_GROUP).mode("0750").build(),
                UserResource.builder(JAVA_USER).uid(23100).group(JAVA_GROUP).homedir(JAVA_HOME).shell("/bin/sh")
                        .build(),
                GroupResource.builder(JAVA_GROUP).gid(23100).build()).build();
    }

    private static void say(PrintStream out, EngineEvent e) {
        synchronized (out) {
            if (e instanceof EngineEvent.Applied a) {
                out.println("applied " + a.id());
            } else if (e instanceof EngineEvent.Failed f) {
                out.println("failed " + f.id() + " " + oneLine(f.message()));
            } else if (e instanceof EngineEvent.Output o) {
                out.println("output " + o.id() + " " + oneLine(o.text()));
            }
        }
    }

    private static String oneLine(String s) {
        return s.replace('\n', ' ');
    }
}
