package dev.mgmt.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * {@code java -jar mgmt.jar ...} as a real child process, with its output captured line by line;
 * started with {@link MgmtJvm}'s options, then the test's own. A {@code run} without
 * {@code --state-dir} gets {@link MgmtJvm#stateDir()}, so that no IT writes the machine's state
 * directory.
 */
public final class MgmtProcess implements AutoCloseable {

    public static final Duration HANG = Duration.ofSeconds(90);

    private final Process process;
    private final List<String> out = new CopyOnWriteArrayList<>();
    private final List<String> err = new CopyOnWriteArrayList<>();
    private final Thread outPump;
    private final Thread errPump;

    private MgmtProcess(Process process) {
        this.process = process;
        outPump = pump(process.getInputStream(), out);
        errPump = pump(process.getErrorStream(), err);
    }

    public static MgmtProcess start(String... args) throws IOException {
        return start(List.of(), List.of(args));
    }

    /** {@code mgmt run --yaml GRAPH --converged-timeout 0 FLAGS...}: a run that ends once converged. */
    public static MgmtProcess runOnce(Path graph, String... flags) throws IOException {
        List<String> args = new ArrayList<>(List.of("run", "--yaml", graph.toString(), "--converged-timeout", "0"));
        args.addAll(List.of(flags));
        return start(List.of(), args);
    }

    /**
     * Starts mgmt behind a launcher that execs its arguments, such as {@code ip netns exec NS}
     * (then the child's PID is still java's).
     */
    public static MgmtProcess start(List<String> launcher, List<String> args) throws IOException {
        return start(launcher, List.of(), args);
    }

    /** As {@link #start(List, List)}, with extra JVM options. */
    public static MgmtProcess start(List<String> launcher, List<String> jvmOptions, List<String> args) throws IOException {
        return new MgmtProcess(new ProcessBuilder(command(launcher, jvmOptions, args)).start());
    }

    /**
     * As {@link #start(String...)}, with stdin read from {@code in} and stdout sent to {@code out}
     * byte for byte (a file, to see exactly what was printed; then {@link #stdout()} is empty).
     */
    public static MgmtProcess start(ProcessBuilder.Redirect in, ProcessBuilder.Redirect out, String... args)
            throws IOException {
        return new MgmtProcess(new ProcessBuilder(command(List.of(), List.of(), List.of(args)))
                .redirectInput(in).redirectOutput(out).start());
    }

    private static List<String> command(List<String> launcher, List<String> jvmOptions, List<String> args) {
        String jar = System.getProperty("mgmt.jar", "target/mgmt.jar");
        List<String> cmd = new ArrayList<>(launcher);
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(MgmtJvm.options());
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("--add-opens", "java.base/java.util.concurrent.atomic=ALL-UNNAMED", "-jar", jar));
        int command = cmd.size();
        cmd.addAll(args);
        if (!args.isEmpty() && args.get(0).equals("run")
                && args.stream().noneMatch(a -> a.equals("--state-dir") || a.startsWith("--state-dir="))) {
            // Not the machine's own (/var/lib/mgmt for root): the build's, shared by the ITs as that one would be.
            cmd.addAll(command + 1, List.of("--state-dir", MgmtJvm.stateDir().toString()));
        }
        return cmd;
    }

    /** The child's process handle (its PID is java's, also behind an exec-ing launcher). */
    public ProcessHandle handle() {
        return process.toHandle();
    }

    /** SIGKILL, as a crash or a power cut would: no shutdown hook runs. Waits until it is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        waitFor();
    }

    /** Waits for exit; fails the test on a hang. */
    public int waitFor() throws InterruptedException {
        if (!process.waitFor(HANG.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("mgmt did not exit within " + HANG + "\nstdout:\n" + stdout() + "\nstderr:\n" + stderr());
        }
        // The process is gone, but its last lines may still sit in the pipes.
        outPump.join(10_000);
        errPump.join(10_000);
        return process.exitValue();
    }

    /** SIGTERM, as Ctrl-C or a service manager would. */
    public int terminate() throws InterruptedException {
        // Process.destroy() would also close our end of its pipes and lose its last lines.
        process.toHandle().destroy();
        return waitFor();
    }

    public String stdout() {
        return String.join("\n", out);
    }

    public String stderr() {
        return String.join("\n", err);
    }

    /** Polls until the condition holds; fails the test on a hang. */
    public void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + HANG.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + "\nstdout:\n" + stdout() + "\nstderr:\n" + stderr());
            }
            if (!process.isAlive()) {
                throw new AssertionError("mgmt exited (" + process.exitValue() + ") while waiting for " + what
                        + "\nstdout:\n" + stdout() + "\nstderr:\n" + stderr());
            }
            Thread.sleep(20);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }

    private static Thread pump(java.io.InputStream in, List<String> sink) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    sink.add(line);
                }
            } catch (IOException ignored) {
                // process gone
            }
        }, "mgmt-process-pump");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
