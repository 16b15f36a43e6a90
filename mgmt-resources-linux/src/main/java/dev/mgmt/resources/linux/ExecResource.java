package dev.mgmt.resources.linux;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import dev.mgmt.api.Collectable;
import dev.mgmt.api.Meta;
import dev.mgmt.api.Refreshable;
import dev.mgmt.api.Report;
import dev.mgmt.api.Resource;
import dev.mgmt.api.Reversible;
import dev.mgmt.api.SendKey;
import dev.mgmt.api.Sender;
import dev.mgmt.api.Uid;
import dev.mgmt.api.codec.DurationParams;
import dev.mgmt.resources.linux.internal.CommandFailedException;
import dev.mgmt.resources.linux.internal.CommandResult;
import dev.mgmt.resources.linux.internal.CommandSpec;
import dev.mgmt.resources.linux.internal.Irreversible;
import dev.mgmt.resources.linux.internal.LegacyKeys;
import dev.mgmt.resources.linux.internal.Commands;
import dev.mgmt.resources.linux.internal.LineWatch;
import dev.mgmt.resources.linux.internal.SentOutput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Kind {@code exec}: runs a command, with mgmt's semantics.
 *
 * <p><b>The command line.</b> With a {@code shell}, {@code cmd} runs as {@code <shell> -c cmd}.
 * With {@code args}, {@code cmd} is the program and {@code args} its arguments, with no shell.
 * Otherwise {@code cmd} is split at whitespace, as mgmt does, with no quoting rules: use a
 * shell for quotes, pipes or variables. The same rules hold for {@code ifcmd}/{@code ifshell},
 * {@code nifcmd}/{@code nifshell} and {@code watchcmd}/{@code watchshell}, and for
 * {@code reversecmd}, which runs with {@code shell} (but not {@code args}). Every command runs
 * in {@code cwd} (the JVM's own when empty), with standard input from {@code /dev/null}, and
 * with {@code env} added to the inherited environment.
 *
 * <p><b>When it runs.</b> {@link #check()} says there is nothing to do when a guard says so
 * ({@code creates} exists, {@code ifcmd} exits non-zero, {@code nifcmd} exits zero), or when the
 * command already ran successfully in this incarnation and nothing has asked for another run
 * since. A line from {@code watchcmd} asks for another run; so does a refresh over a
 * {@code notify} edge, which runs the command despite the guards (once: not again right after
 * an apply in the same run). {@link #apply()} runs the command; a non-zero exit is a failure
 * whose message has the status and the last lines of output. With a {@code timeout} (in YAML
 * seconds, or a duration such as {@code 90s} or {@code 1m30s}; {@code 0} means none), each command this resource runs is killed, with all
 * its child processes, when it runs longer. Cancelling a check, apply or refresh kills the
 * running command the same way. Exit status and output are reported through {@link Report};
 * when an edge takes the command's output (see Send/recv below), reports and failures show only
 * how many lines it printed, never what, since what is sent may be a secret.
 *
 * <p><b>Watch.</b> Without {@code watchcmd}, the watch arms at once and stays silent. With one,
 * the watch starts it, and each non-empty line it prints is an event; when the watch is
 * cancelled the command is killed with its child processes, and if it ends by itself the watch
 * fails (retried per {@link Meta#retry()}).
 *
 * <p><b>Reversal.</b> {@code reversecmd} is the command that undoes what {@code cmd} did. When
 * the exec leaves the graph with {@code meta.reverse} set, its {@linkplain #reversed() reversal}
 * runs it once; an exec without one cannot carry {@code meta.reverse}.
 *
 * <p><b>mgmt's YAML.</b> Keys: {@code name}, {@code cmd}, {@code args}, {@code shell},
 * {@code cwd}, {@code env}, {@code timeout}, {@code ifcmd}, {@code ifshell}, {@code nifcmd},
 * {@code nifshell}, {@code creates}, {@code watchcmd}, {@code watchshell}, {@code reversecmd}
 * (ours, not mgmt's), {@code meta}. mgmt's
 * own examples also wrote {@code pollint: 0} and {@code state: present}; both are accepted (use
 * {@code meta.poll} for polling), and any other value for them is an error.
 *
 * <p><b>Send/recv</b> (see {@link Sender}): after every run that ends clean an exec sends what
 * its {@code cmd} printed when it last ran, as mgmt does: {@link #STDOUT}, {@link #STDERR} and
 * {@link #OUTPUT} (both, in the order read), each exactly as printed (trailing newline
 * included; nothing is trimmed), and {@link #EXIT_STATUS}. A run that did not run the command
 * (it already ran, or a guard said there was nothing to do) sends the last run's values again.
 * When the command has not run since mgmt started, nothing is sent and a receiver fails saying
 * so, as in mgmt. Output over {@link SentOutput#LIMIT} bytes, output that is not UTF-8 text,
 * and output a background process still held open after the command exited are not sent
 * either; the receiver's failure says which. Only the output of {@code cmd} is sent, never a
 * guard's. The output is kept only while an edge takes one of the three output keys
 * ({@link SendKey#wanted}): a run of the command with no such edge keeps none, and any run
 * with none drops what was kept. So when a swap adds such an edge to an exec whose command ran
 * while nothing received its output, the receiver fails saying that the output was not kept
 * because nothing received it then, until the command runs again (a {@code watchcmd} line, a
 * refresh); the exit status is always kept.
 *
 * <p>Equality covers the parameters and meta; whether the command has run, its last output,
 * and the watch process, are run state outside equality.
 *
 * <pre>{@code
 * ExecResource make = ExecResource.builder("build")
 *         .cmd("make -j2").cwd("/srv/app").creates("/srv/app/out/app.bin")
 *         .reverseCmd("make clean")
 *         .timeout(Duration.ofMinutes(5))
 *         .build();
 * }</pre>
 */
public final class ExecResource implements Resource, Refreshable, Reversible, Collectable, Sender {

    /** The kind name, {@code exec}. */
    public static final String KIND = "exec";
    /** Sent: standard output and error of {@code cmd}, in the order read ({@code output} in YAML, as mgmt). */
    public static final SendKey<ExecResource, String> OUTPUT = SendKey.of(ExecResource.class, "output", String.class);
    /** Sent: standard output of {@code cmd}, exactly as printed ({@code stdout} in YAML, as mgmt). */
    public static final SendKey<ExecResource, String> STDOUT = SendKey.of(ExecResource.class, "stdout", String.class);
    /** Sent: standard error of {@code cmd} ({@code stderr} in YAML, as mgmt). */
    public static final SendKey<ExecResource, String> STDERR = SendKey.of(ExecResource.class, "stderr", String.class);
    /**
     * Sent: the exit status of {@code cmd} ({@code exitstatus} in YAML; ours, not mgmt's). A run
     * whose command exits non-zero fails and sends nothing, so it is 0 today.
     */
    public static final SendKey<ExecResource, Integer> EXIT_STATUS =
            SendKey.of(ExecResource.class, "exitstatus", Integer.class);
    private static final List<SendKey<?, ?>> SENDS = List.of(OUTPUT, STDOUT, STDERR, EXIT_STATUS);

    private static final Logger log = LoggerFactory.getLogger("dev.mgmt.exec");
    private static final Object ARMED = "armed";

    private final String name;
    private final String cmd;
    private final List<String> args;
    private final String shell;
    private final String cwd;
    private final Map<String, String> env;
    private final Duration timeout;
    private final String ifCmd;
    private final String ifShell;
    private final String nifCmd;
    private final String nifShell;
    private final String creates;
    private final String watchCmd;
    private final String watchShell;
    private final String reverseCmd;
    private final Meta meta;

    // Run state, outside equality. Each watch line or refresh bumps `requests`; a successful
    // run records the value it started from, so a request that arrives during a run is not lost.
    private final AtomicLong requests = new AtomicLong();
    private volatile long ranFor = -1;
    private volatile boolean appliedThisRun;
    /** What the command printed when it last ran successfully; null until it has. */
    private volatile Sent last;

    /** What a successful run of {@code cmd} sends. */
    private record Sent(SentOutput.Text output, SentOutput.Text stdout, SentOutput.Text stderr, int status) {
        static final SentOutput.Text NOT_KEPT = new SentOutput.Text(null,
                "cmd has not run since a run whose output was not kept, because nothing received it then");

        /** What a run sends whose output was not kept. */
        static Sent notKept(int status) {
            return new Sent(NOT_KEPT, NOT_KEPT, NOT_KEPT, status);
        }

        boolean kept() {
            return output != NOT_KEPT;
        }
    }

    private ExecResource(Builder b) {
        this.name = Objects.requireNonNull(b.name, "name");
        this.cmd = nz(b.cmd);
        this.args = List.copyOf(b.args);
        this.shell = nz(b.shell);
        this.cwd = nz(b.cwd);
        this.env = Collections.unmodifiableMap(new TreeMap<>(b.env));
        this.timeout = Objects.requireNonNull(b.timeout, "timeout");
        this.ifCmd = nz(b.ifCmd);
        this.ifShell = nz(b.ifShell);
        this.nifCmd = nz(b.nifCmd);
        this.nifShell = nz(b.nifShell);
        this.creates = nz(b.creates);
        this.watchCmd = nz(b.watchCmd);
        this.watchShell = nz(b.watchShell);
        this.reverseCmd = nz(b.reverseCmd);
        this.meta = b.meta == null ? Meta.DEFAULTS : b.meta;
    }

    /** A builder for an exec named {@code name}; set at least {@link Builder#cmd}. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** An exec that runs {@code cmd} with {@code /bin/sh -c}. */
    public static ExecResource shell(String name, String cmd) {
        return builder(name).cmd(cmd).shell("/bin/sh").build();
    }

    /** A builder that starts from this resource's parameters. */
    public Builder toBuilder() {
        Builder b = new Builder(name);
        b.cmd = cmd;
        b.args = args;
        b.shell = shell;
        b.cwd = cwd;
        b.env = env;
        b.timeout = timeout;
        b.ifCmd = ifCmd;
        b.ifShell = ifShell;
        b.nifCmd = nifCmd;
        b.nifShell = nifShell;
        b.creates = creates;
        b.watchCmd = watchCmd;
        b.watchShell = watchShell;
        b.reverseCmd = reverseCmd;
        b.meta = meta;
        return b;
    }

    /** This exec with other meta parameters. */
    public ExecResource withMeta(Meta meta) {
        return toBuilder().meta(meta).build();
    }

    /** Decodes mgmt's YAML form; {@code state} and {@code pollint} are checked, then dropped. */
    @JsonCreator
    static ExecResource decode(@JsonProperty(value = "name", required = true) String name,
                               @JsonProperty("cmd") String cmd,
                               @JsonProperty("args") List<String> args,
                               @JsonProperty("shell") String shell,
                               @JsonProperty("cwd") String cwd,
                               @JsonProperty("env") Map<String, String> env,
                               @JsonProperty("timeout") @JsonDeserialize(using = DurationParams.Seconds.class)
                               Duration timeout,
                               @JsonProperty("ifcmd") String ifCmd,
                               @JsonProperty("ifshell") String ifShell,
                               @JsonProperty("nifcmd") String nifCmd,
                               @JsonProperty("nifshell") String nifShell,
                               @JsonProperty("creates") String creates,
                               @JsonProperty("watchcmd") String watchCmd,
                               @JsonProperty("watchshell") String watchShell,
                               @JsonProperty("reversecmd") String reverseCmd,
                               @JsonProperty("meta") Meta meta,
                               @JsonProperty("state") @JsonDeserialize(using = LegacyKeys.State.class) String state,
                               @JsonProperty("pollint") @JsonDeserialize(using = LegacyKeys.Pollint.class) Long pollint) {
        return builder(name).cmd(cmd).args(args == null ? List.of() : args).shell(shell).cwd(cwd)
                .env(env == null ? Map.of() : env)
                .timeout(timeout == null ? Duration.ZERO : timeout)
                .ifCmd(ifCmd).ifShell(ifShell).nifCmd(nifCmd).nifShell(nifShell).creates(creates)
                .watchCmd(watchCmd).watchShell(watchShell).reverseCmd(reverseCmd).meta(meta).build();
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    @JsonProperty("name")
    public String name() {
        return name;
    }

    /** The command; see the class description for how it is run. */
    @JsonProperty("cmd")
    public String cmd() {
        return cmd;
    }

    /** Arguments for {@link #cmd()} as a program; empty when not used. */
    @JsonProperty("args")
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public List<String> args() {
        return args;
    }

    /** The shell that runs {@code cmd} with {@code -c}; empty for none. */
    @JsonProperty("shell")
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public String shell() {
        return shell;
    }

    /** The working directory of every command; empty for the JVM's own. */
    @JsonProperty("cwd")
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public String cwd() {
        return cwd;
    }

    /** Variables added to the inherited environment of every command, sorted by name. */
    @JsonProperty("env")
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public Map<String, String> env() {
        return env;
    }

    /** The deadline of each command this resource runs; {@link Duration#ZERO} for none. */
    @JsonIgnore
    public Duration timeout() {
        return timeout;
    }

    /** The timeout as mgmt's YAML spells it: seconds, whole when possible. */
    @JsonProperty("timeout")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    Number timeoutSeconds() {
        if (timeout.isZero()) {
            return null;
        }
        long ms = timeout.toMillis();
        return ms % 1000 == 0 ? (Number) (ms / 1000) : (Number) (ms / 1000.0);
    }

    /** Guard: the command runs only when this exits zero; empty for none. */
    @JsonProperty("ifcmd")
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public String ifCmd() {
        return ifCmd;
    }

    @JsonProperty("ifshell")
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public String ifShell() {
        return ifShell;
    }

    /** Guard: the command runs only when this exits non-zero; empty for none. */
    @JsonProperty("nifcmd")
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public String nifCmd() {
        return nifCmd;
    }

    @JsonProperty("nifshell")
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public String nifShell() {
        return nifShell;
    }

    /** Guard: an absolute path; when it exists, the command does not run. Empty for none. */
    @JsonProperty("creates")
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public String creates() {
        return creates;
    }

    /** A long-running command whose every output line asks for another run; empty for none. */
    @JsonProperty("watchcmd")
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public String watchCmd() {
        return watchCmd;
    }

    @JsonProperty("watchshell")
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public String watchShell() {
        return watchShell;
    }

    /**
     * The command that undoes {@link #cmd()}, run by the {@linkplain #reversed() reversal}
     * with this exec's {@code shell}, {@code cwd}, {@code env} and {@code timeout}; empty for
     * none.
     */
    @JsonProperty("reversecmd")
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public String reverseCmd() {
        return reverseCmd;
    }

    @Override
    @JsonProperty("meta")
    public Meta meta() {
        return meta;
    }

    @Override
    public List<String> validate() {
        List<String> out = new ArrayList<>();
        if (cmd.isBlank()) {
            out.add("cmd: must not be empty");
        }
        if (!args.isEmpty() && !shell.isEmpty()) {
            out.add("args: cannot be used with shell; put the arguments in cmd");
        }
        if (!args.isEmpty() && shell.isEmpty() && CommandSpec.split(cmd).size() > 1) {
            out.add("args: cmd must be the program alone when args are given, was '" + cmd + "'");
        }
        if (timeout.isNegative()) {
            out.add("timeout: must not be negative, was " + timeout.toMillis() / 1000.0 + " s");
        }
        absolute(out, "cwd", cwd);
        absolute(out, "creates", creates);
        for (String key : env.keySet()) {
            if (key.isEmpty() || key.indexOf('=') >= 0 || key.indexOf('\0') >= 0) {
                out.add("env: '" + key + "' is not a valid variable name");
            }
        }
        for (String[] c : new String[][] {{"ifcmd", ifCmd, "ifshell", ifShell}, {"nifcmd", nifCmd, "nifshell", nifShell},
                {"watchcmd", watchCmd, "watchshell", watchShell}}) {
            if (c[1].isBlank() && !c[3].isEmpty()) {
                out.add(c[2] + ": set without " + c[0]);
            }
        }
        Irreversible.validate(this, irreversible(), out);
        return out;
    }

    /**
     * The exec that undoes this one: same name, its {@code cmd} is this one's
     * {@code reversecmd}, run with the same {@code shell}, {@code cwd}, {@code env} and
     * {@code timeout} (a {@code reversecmd} is split at whitespace unless there is a
     * {@code shell}; {@code args} belong to {@code cmd} and are not carried over). It has none
     * of this exec's guards ({@code creates}, {@code ifcmd}, {@code nifcmd}), no
     * {@code watchcmd}, no {@code reversecmd} and default meta, so it runs its command once
     * and is then done; a non-zero exit is a failure, as for any exec.
     *
     * @throws IllegalStateException when there is no {@code reversecmd}: what a command did is
     *         not known, so it cannot be undone without being told how. {@link #validate()}
     *         reports {@code meta.reverse} on such an exec.
     */
    @Override
    public ExecResource reversed() {
        Irreversible.require(this, irreversible());
        return builder(name).cmd(reverseCmd).shell(shell).cwd(cwd).env(env).timeout(timeout).build();
    }

    /** Why there is no reversal; {@code null} when there is one. */
    private Irreversible irreversible() {
        return reverseCmd.isBlank() ? new Irreversible("reversecmd", "a reverse command", "") : null;
    }

    private static void absolute(List<String> out, String key, String path) {
        if (!path.isEmpty() && !path.startsWith("/")) {
            out.add(key + ": must be an absolute path, was '" + path + "'");
        }
    }

    /** Its {@code cwd} (as a directory) and its program, when they are absolute paths. */
    @Override
    public List<List<Uid>> seeks() {
        List<List<Uid>> out = new ArrayList<>();
        if (cwd.startsWith("/")) {
            String dir = cwd.endsWith("/") ? cwd : cwd + "/";
            out.add(dir.length() > 1
                    ? List.of(Uid.of("file", dir), Uid.of("file", dir.substring(0, dir.length() - 1)))
                    : List.of(Uid.of("file", dir)));
        }
        List<String> words = CommandSpec.split(shell.isEmpty() ? cmd : shell);
        if (!words.isEmpty() && words.get(0).startsWith("/")) {
            out.add(binary(words.get(0)));
        }
        if (!shell.isEmpty()) {
            List<String> inner = CommandSpec.split(cmd);
            if (!inner.isEmpty() && inner.get(0).startsWith("/")) {
                out.add(binary(inner.get(0)));
            }
        }
        return out;
    }

    /** A binary is managed by a file resource or shipped by a package. */
    private static List<Uid> binary(String path) {
        return List.of(Uid.of("file", path), Uid.of(FileResource.SHIPPED, path));
    }
    @Override
    public Flux<?> watch() {
        if (watchCmd.isBlank()) {
            return Flux.never().startWith(ARMED);
        }
        return LineWatch.start(spec("watchcmd", watchCmd, watchShell, List.of()), line -> {
            log.debug("{}: watchcmd: {}", this, line);
            requests.incrementAndGet();
        });
    }

    /**
     * Whether there is nothing to do: the command already ran successfully and nothing asked
     * for another run, or a guard says so. Runs {@code ifcmd} and {@code nifcmd}, blocking the
     * subscribing thread.
     */
    @Override
    public Mono<Boolean> check() {
        return Mono.defer(() -> {
            appliedThisRun = false;
            if (ranFor == requests.get()) {
                return sendLast("").thenReturn(Boolean.TRUE);
            }
            return guardsSayDone().flatMap(done -> done
                    ? sendLast("a guard said there was nothing to do").thenReturn(Boolean.TRUE)
                    : Mono.just(Boolean.FALSE));
        });
    }

    /** The keys this exec sends; see the class description. */
    @Override
    public List<SendKey<?, ?>> sends() {
        return SENDS;
    }

    /**
     * Sends the last run's values again, or, when the command has not run yet, why there are none.
     * With no edge taking its output any more, the output kept is dropped first.
     */
    private Mono<Void> sendLast(String why) {
        return outputWanted().flatMap(wanted -> {
            Sent s = last;
            if (s != null && !wanted && s.kept()) {
                s = Sent.notKept(s.status());
                last = s;
            }
            if (s != null) {
                return send(s);
            }
            String none = "cmd has not run since mgmt started" + (why.isEmpty() ? "" : " (" + why + ")");
            return Mono.when(OUTPUT.withhold(none), STDOUT.withhold(none), STDERR.withhold(none),
                    EXIT_STATUS.withhold(none));
        });
    }

    /** Whether an edge of the running graph takes one of the output keys (the exit status needs no buffer). */
    private static Mono<Boolean> outputWanted() {
        return OUTPUT.wanted().zipWith(STDOUT.wanted(), Boolean::logicalOr).zipWith(STDERR.wanted(), Boolean::logicalOr);
    }

    /** Whether the output of the command's last successful run is kept, for tests. */
    boolean keptOutput() {
        Sent s = last;
        return s != null && s.kept();
    }

    private static Mono<Void> send(Sent s) {
        return Mono.when(text(OUTPUT, s.output()), text(STDOUT, s.stdout()), text(STDERR, s.stderr()),
                EXIT_STATUS.send(s.status()));
    }

    /** A text goes to the run's sink only when an edge takes it, so the engine keeps no other. */
    private static Mono<Void> text(SendKey<?, String> key, SentOutput.Text t) {
        return t.value() != null ? key.sendLazily(t::value) : key.withhold(t.why());
    }

    private Mono<Boolean> guardsSayDone() {
        Mono<Boolean> createsGuard = creates.isEmpty() ? Mono.just(Boolean.FALSE)
                : Mono.fromCallable(() -> Files.exists(Path.of(creates))).flatMap(exists -> exists
                        ? Report.say("creates: " + creates + " exists; nothing to do").thenReturn(Boolean.TRUE)
                        : Mono.just(Boolean.FALSE));
        return createsGuard.flatMap(done -> {
            if (done || ifCmd.isBlank()) {
                return Mono.just(done);
            }
            return guard(spec("ifcmd", ifCmd, ifShell, List.of()), false);
        }).flatMap(done -> {
            if (done || nifCmd.isBlank()) {
                return Mono.just(done);
            }
            return guard(spec("nifcmd", nifCmd, nifShell, List.of()), true);
        });
    }

    /** Runs a guard; it says "done" when its exit status is zero ({@code doneOnZero}) or not. */
    private Mono<Boolean> guard(CommandSpec guard, boolean doneOnZero) {
        return Commands.run(guard, timeout).flatMap(r -> {
            if (r.cancelled()) {
                return Mono.empty(); // nobody is listening any more
            }
            if (!r.exited()) {
                return Report.say(guard.what() + " " + r.summary())
                        .then(Mono.error(new CommandFailedException(this + ": " + r.failure())));
            }
            boolean done = (r.status() == 0) == doneOnZero;
            return Report.say(guard.what() + " " + r.summary() + (done ? "; nothing to do" : ""))
                    .thenReturn(done);
        });
    }

    /** Runs the command, blocking the subscribing thread; fails unless it exits zero. */
    @Override
    public Mono<Void> apply() {
        return runCommand().doOnSuccess(x -> appliedThisRun = true);
    }

    /**
     * Runs the command again despite the guards, because a parent over a {@code notify} edge
     * changed something; not when {@link #apply()} has just run it in the same engine run.
     */
    @Override
    public Mono<Void> refresh() {
        return Mono.defer(() -> {
            if (appliedThisRun) {
                appliedThisRun = false;
                log.debug("{}: refresh: the command just ran; not running it again", this);
                return Mono.empty();
            }
            return runCommand();
        });
    }

    private Mono<Void> runCommand() {
        return outputWanted().flatMap(keep -> {
            long request = requests.get();
            CommandSpec spec = spec("cmd", cmd, shell, args);
            return Commands.run(keep ? spec.keepingOutput() : spec, timeout).flatMap(r -> {
                Mono<Void> said = report(r);
                if (r.cancelled()) {
                    return said; // nobody is listening any more; this only reaches the log
                }
                if (!r.ok()) {
                    return said.then(failed(r));
                }
                ranFor = request;
                Sent s = r.sent().map(o -> new Sent(o.output(), o.stdout(), o.stderr(), r.status()))
                        .orElseGet(() -> Sent.notKept(r.status()));
                last = s;
                return said.then(send(s));
            });
        });
    }

    private CommandSpec spec(String what, String command, String sh, List<String> arguments) {
        return CommandSpec.of(what, command, sh, arguments, cwd, env);
    }

    /**
     * Reports a run of {@code cmd}: its output, or only how many lines it printed when an edge
     * takes the output, which may be a secret (a generated password) that no log, event or
     * console line may show.
     */
    private Mono<Void> report(CommandResult r) {
        return outputWanted().flatMap(sent -> Report.say(sent ? r.summaryWithoutOutput() : r.summary()));
    }

    /** The failure of a run of {@code cmd}, without its output when an edge takes it (see {@link #report}). */
    private <T> Mono<T> failed(CommandResult r) {
        return outputWanted().flatMap(sent -> Mono.error(new CommandFailedException(this + ": "
                + (sent ? r.failureWithoutOutput() : r.failure()))));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExecResource e && e.name.equals(name) && e.cmd.equals(cmd) && e.args.equals(args)
                && e.shell.equals(shell) && e.cwd.equals(cwd) && e.env.equals(env) && e.timeout.equals(timeout)
                && e.ifCmd.equals(ifCmd) && e.ifShell.equals(ifShell) && e.nifCmd.equals(nifCmd)
                && e.nifShell.equals(nifShell) && e.creates.equals(creates) && e.watchCmd.equals(watchCmd)
                && e.watchShell.equals(watchShell) && e.reverseCmd.equals(reverseCmd) && e.meta.equals(meta);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, cmd, args, shell, cwd, env, timeout, ifCmd, ifShell, nifCmd, nifShell, creates,
                watchCmd, watchShell, reverseCmd, meta);
    }

    @Override
    public String toString() {
        return KIND + "[" + name + "]";
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    /** Once peers are trusted with exec, every parameter: none is more than the command itself. */
    @Override
    public Set<String> safeFromPeers() {
        return Set.of("cmd", "args", "shell", "cwd", "env", "timeout", "ifcmd", "ifshell", "nifcmd", "nifshell",
                "creates", "watchcmd", "watchshell", "reversecmd");
    }

    /** Taking one from a peer at all runs a command the peer chose: only a collect that trusts its peers does. */
    @Override
    public Optional<String> trustNeeded() {
        return Optional.of("it runs a command a peer chooses on this host");
    }

    /** Fluent, mutable builder for {@link ExecResource}. A {@code null} string means empty. */
    public static final class Builder {
        private final String name;
        private String cmd;
        private List<String> args = List.of();
        private String shell;
        private String cwd;
        private Map<String, String> env = Map.of();
        private Duration timeout = Duration.ZERO;
        private String ifCmd;
        private String ifShell;
        private String nifCmd;
        private String nifShell;
        private String creates;
        private String watchCmd;
        private String watchShell;
        private String reverseCmd;
        private Meta meta = Meta.DEFAULTS;

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
        }

        public Builder cmd(String v) { cmd = v; return this; }
        public Builder args(List<String> v) { args = List.copyOf(v); return this; }
        public Builder args(String... v) { args = List.of(v); return this; }
        public Builder shell(String v) { shell = v; return this; }
        public Builder cwd(String v) { cwd = v; return this; }
        public Builder env(Map<String, String> v) { env = Map.copyOf(v); return this; }

        /** Adds one variable to {@link #env(Map)}. */
        public Builder env(String key, String value) {
            Map<String, String> m = new TreeMap<>(env);
            m.put(key, value);
            env = m;
            return this;
        }

        /** Deadline for each command; {@link Duration#ZERO} (the default) for none. */
        public Builder timeout(Duration v) { timeout = Objects.requireNonNull(v); return this; }
        public Builder ifCmd(String v) { ifCmd = v; return this; }
        public Builder ifShell(String v) { ifShell = v; return this; }
        public Builder nifCmd(String v) { nifCmd = v; return this; }
        public Builder nifShell(String v) { nifShell = v; return this; }
        public Builder creates(String v) { creates = v; return this; }
        public Builder watchCmd(String v) { watchCmd = v; return this; }
        public Builder watchShell(String v) { watchShell = v; return this; }
        /** The command that undoes {@code cmd}, for the reversal; same rules as {@code cmd}, with {@code shell}. */
        public Builder reverseCmd(String v) { reverseCmd = v; return this; }
        public Builder meta(Meta v) { meta = v == null ? Meta.DEFAULTS : v; return this; }

        public ExecResource build() {
            return new ExecResource(this);
        }
    }
}
