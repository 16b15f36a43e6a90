package dev.mgmt.resources.linux;

import dev.mgmt.api.EngineEvent;
import dev.mgmt.api.Graph;
import dev.mgmt.api.codec.ResourceCodec;
import dev.mgmt.api.yaml.YamlGraph;
import dev.mgmt.engine.Convergence;
import dev.mgmt.engine.Engine;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
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
 *   <li>{@code java}: as {@code run}, with {@link #javaGraph()};</li>
 *   <li>{@code exec ARG...}: runs the command (arguments split at spaces) in this namespace and
 *       prints {@code exec STATUS OUTPUT} with its stdout and stderr in Base64;</li>
 *   <li>{@code read PATH}: prints {@code read} and the file's bytes in Base64, or
 *       {@code read-failed MESSAGE};</li>
 *   <li>{@code owner PATH}: prints {@code owner UID GID}, or {@code owner-failed MESSAGE}.</li>
 * </ul>
 * The test's tools and reads go through here, not through {@code nsenter} or
 * {@code /proc/PID/root}: a PID names this namespace only while the child lives, and one reused
 * after it died would point them at this machine's accounts.
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
                if (inspect(out, w[0], w.length > 1 ? w[1] : "")) {
                    continue;
                }
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

    /** Runs {@code exec}, {@code read} or {@code owner}; false for another command. */
    private static boolean inspect(PrintStream out, String command, String arg) {
        Base64.Encoder b64 = Base64.getEncoder();
        try {
            switch (command) {
                case "exec" -> {
                    Process p = new ProcessBuilder(arg.split(" ")).redirectErrorStream(true)
                            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
                    byte[] text = p.getInputStream().readAllBytes();
                    out.println("exec " + p.waitFor() + " " + b64.encodeToString(text));
                }
                case "read" -> out.println("read " + b64.encodeToString(Files.readAllBytes(Path.of(arg))));
                case "owner" -> {
                    Path p = Path.of(arg);
                    out.println("owner " + Files.getAttribute(p, "unix:uid") + " " + Files.getAttribute(p, "unix:gid"));
                }
                default -> {
                    return false;
                }
            }
        } catch (IOException | RuntimeException e) {
            out.println(command + "-failed " + oneLine(String.valueOf(e)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            out.println(command + "-failed interrupted");
        }
        return true;
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
