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
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * An engine in a child JVM ({@link AccountsChild}) whose accounts are private: it runs inside
 * {@code private-accounts.sh} (a test resource), a mount namespace where {@code /etc} is a copy
 * on a tmpfs, so the real shadow tools it runs can never change this machine's accounts. The
 * test's own reads and tools go through the child too (its stdin protocol), never by its PID.
 * {@link #close()} ends the child and removes the scratch directory.
 */
final class PrivateAccounts implements AutoCloseable {

    private static final List<String> TOOLS = List.of("unshare", "useradd", "usermod", "userdel",
            "groupadd", "groupmod", "groupdel", "gpasswd");
    private static Optional<String> unavailable;

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

    /** Why it cannot run here, or null when it can; probed once. */
    static synchronized String unavailable() {
        if (unavailable == null) {
            unavailable = Optional.ofNullable(probe());
        }
        return unavailable.orElse(null);
    }

    private static String probe() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "needs root (a mount namespace with a private /etc)";
        }
        for (String tool : TOOLS) {
            if (!Debs.onPath(tool) && !Files.isExecutable(Path.of("/usr/sbin", tool))) {
                return "needs " + tool + " (Debian packages util-linux and passwd)";
            }
        }
        // The script's own mounts: root in a container without CAP_SYS_ADMIN cannot make a
        // namespace, and where /var is already an overlay at the nesting limit the one on it fails.
        Path dir = null;
        try {
            dir = Files.createTempDirectory("mgmt-accounts-probe-");
            Process p = new ProcessBuilder("bash", script().toString(), dir.toString(), "true")
                    .redirectErrorStream(true).redirectInput(new File("/dev/null")).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return p.waitFor() == 0 ? null : "private-accounts.sh cannot set up its namespace here: " + text;
        } catch (IOException e) {
            return "cannot run private-accounts.sh: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } finally {
            if (dir != null) {
                delete(dir);
            }
        }
    }

    private static Path script() throws IOException {
        try {
            return Path.of(PrivateAccounts.class.getResource("/private-accounts.sh").toURI());
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
    }

    /** Starts the child and waits until its engine is ready. */
    static PrivateAccounts start() throws IOException {
        Path dir = Files.createTempDirectory("mgmt-accounts-");
        Path script = script();
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
        return read("/etc/" + file);
    }

    /** A file's content as the child sees it (its /etc, /home and /var are its own). */
    String read(String absolute) throws IOException {
        return new String(Base64.getDecoder().decode(ask("read", absolute)), StandardCharsets.UTF_8);
    }

    /** The owner of a path as the child sees it: {@code UID GID}. */
    String owner(String absolute) throws IOException {
        return ask("owner", absolute);
    }

    /**
     * Has the child run a command in its namespace (on the private accounts); fails unless it
     * exits 0. The child runs it, not {@code nsenter --target PID}: should the child have died,
     * its PID could be another process's, in this machine's namespace.
     */
    void inside(String... command) throws IOException {
        for (String arg : command) {
            if (arg.isEmpty() || arg.contains(" ") || arg.contains("\n")) {
                throw new IllegalArgumentException("the child splits arguments at spaces: " + List.of(command));
            }
        }
        String[] answer = ask("exec", String.join(" ", command)).split(" ", 2);
        String text = new String(Base64.getDecoder().decode(answer.length > 1 ? answer[1] : ""), StandardCharsets.UTF_8);
        if (!answer[0].equals("0")) {
            throw new IOException(String.join(" ", command) + " exited with " + answer[0] + ": " + text);
        }
    }

    /** Sends {@code command arg}; the child's answer after {@code command }, or its failure as an exception. */
    private String ask(String command, String arg) throws IOException {
        if (!child.isAlive()) {
            throw new IOException("the child has ended\n--- child.err\n" + log());
        }
        in.write(command + " " + arg + "\n");
        in.flush();
        for (String l; (l = out.readLine()) != null; ) {
            if (l.startsWith(command + " ")) {
                return l.substring(command.length() + 1);
            }
            if (l.startsWith(command + "-failed ")) {
                throw new IOException(command + " " + arg + ": " + l.substring(command.length() + 8));
            }
        }
        throw new IOException("the child ended\n--- child.err\n" + log());
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
        delete(dir);
    }

    private static void delete(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a scratch directory
        }
    }
}
