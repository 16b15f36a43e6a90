package dev.mgmt.resources.linux;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * An engine in a child JVM ({@link AccountsChild}) whose accounts are private: it runs inside
 * {@code private-accounts.sh} (a test resource), a mount namespace where {@code /etc} is a copy
 * on a tmpfs, so the real shadow tools it runs can never change this machine's accounts.
 * {@link #close()} ends the child and removes the scratch directory.
 */
final class PrivateAccounts implements AutoCloseable {

    private static final List<String> TOOLS = List.of("unshare", "nsenter", "useradd", "usermod", "userdel",
            "groupadd", "groupmod", "groupdel", "gpasswd");

    private final Path dir;
    private final Process child;
    private final BufferedReader out;
    private final Writer in;

    private PrivateAccounts(Path dir, Process child) {
        this.dir = dir;
        this.child = child;
        this.out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        this.in = child.outputWriter(StandardCharsets.UTF_8);
    }

    /** Why it cannot run here, or null when it can. */
    static String unavailable() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "needs root (a mount namespace with a private /etc)";
        }
        for (String tool : TOOLS) {
            if (!Debs.onPath(tool) && !Files.isExecutable(Path.of("/usr/sbin", tool))) {
                return "needs " + tool + " (Debian packages util-linux and passwd)";
            }
        }
        try {
            // Root in a container without CAP_SYS_ADMIN cannot make one.
            Process p = new ProcessBuilder("unshare", "--mount", "--propagation", "private", "true")
                    .redirectErrorStream(true).redirectInput(new File("/dev/null")).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return p.waitFor() == 0 ? null : "cannot make a mount namespace here: " + text;
        } catch (IOException e) {
            return "cannot run unshare: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** Starts the child and waits until its engine is ready. */
    static PrivateAccounts start() throws IOException {
        Path dir = Files.createTempDirectory("mgmt-accounts-");
        Path script;
        try {
            script = Path.of(PrivateAccounts.class.getResource("/private-accounts.sh").toURI());
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder("bash", script.toString(), dir.toString(), java, "-Xmx256m",
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                AccountsChild.class.getName()).redirectError(dir.resolve("child.err").toFile()).start();
        PrivateAccounts a = new PrivateAccounts(dir, p);
        String first = a.out.readLine();
        if (!"ready".equals(first)) {
            String err = a.log();
            a.close();
            throw new IOException("the child did not start: " + first + "\n--- child.err\n" + err);
        }
        return a;
    }

    /** Writes {@code yaml} to a file and has the child {@code run} it; the lines it printed, the last {@code converged ...}. */
    List<String> run(String yaml) throws IOException {
        return send("run", yaml, l -> l.startsWith("converged "));
    }

    /** Has the child run {@code yaml} in noop mode; the lines it printed, the last {@code noop ...}. */
    List<String> noop(String yaml) throws IOException {
        return send("noop", yaml, l -> l.startsWith("noop"));
    }

    /** Has the child run {@link AccountsChild#javaGraph()}; the lines it printed, the last {@code converged ...}. */
    List<String> runJavaGraph() throws IOException {
        return send("java", null, l -> l.startsWith("converged "));
    }

    private List<String> send(String command, String yaml, Predicate<String> last) throws IOException {
        String line = command;
        if (yaml != null) {
            Path graph = Files.createTempFile(dir, "graph-", ".yaml");
            Files.writeString(graph, yaml);
            line += " " + graph;
        }
        in.write(line + "\n");
        in.flush();
        List<String> lines = new ArrayList<>();
        for (String l; (l = out.readLine()) != null; ) {
            lines.add(l);
            if (last.test(l)) {
                return lines;
            }
        }
        throw new IOException("the child ended: " + lines + "\n--- child.err\n" + log());
    }

    /** A file of the private {@code /etc}, as the child sees it. */
    String etc(String file) throws IOException {
        return Files.readString(Path.of("/proc", Long.toString(child.pid()), "root", "etc", file));
    }

    /** A path as the child sees it (its /etc, /home and /var are its own). */
    Path path(String absolute) {
        return Path.of("/proc", Long.toString(child.pid()), "root", absolute.substring(1));
    }

    /** Runs a command inside the child's mount namespace (on the private accounts); fails unless it exits 0. */
    void inside(String... command) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("nsenter", "--target", Long.toString(child.pid()), "--mount"));
        argv.addAll(List.of(command));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectInput(new File("/dev/null")).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " exited with " + p.exitValue() + ": " + text);
        }
    }

    /** The child's stderr so far, for failure messages. */
    String log() {
        try {
            return Files.readString(dir.resolve("child.err"));
        } catch (IOException e) {
            return e.getMessage();
        }
    }

    @Override
    public void close() {
        try {
            in.close(); // the child's engine closes at the end of its input
        } catch (IOException e) {
            // it is gone already
        }
        try {
            if (!child.waitFor(30, TimeUnit.SECONDS)) {
                child.destroyForcibly();
                child.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            child.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a scratch directory
        }
    }
}
