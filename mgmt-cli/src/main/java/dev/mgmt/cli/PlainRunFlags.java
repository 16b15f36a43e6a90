package dev.mgmt.cli;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code mgmt run}'s command line read without picocli, when it is plain: each argument a flag
 * of a single host's run, in a form picocli reads the same way ({@code --noop},
 * {@code --yaml FILE}, {@code --yaml=FILE}, {@code -v}), each flag once, each value one that
 * converts. picocli's model of the command cost a short run some 90 ms of its start
 * (docs/benchmarks.md, "Start-up"), which a cron job running a small graph pays every time.
 *
 * <p>Anything else is left to picocli, which then reads the whole line and says what is wrong
 * in its own words: help and version, the cluster and TLS flags, a flag it does not know or
 * given twice, a value that is empty, begins with {@code -} or does not convert, {@code --}, an
 * argument file ({@code @FILE}), a missing {@code --yaml}, a {@code picocli.*} system
 * property. {@code PlainRunFlagsIT} checks that wherever this reads a line, picocli reads it
 * the same.
 */
final class PlainRunFlags {

    /** The flags that take no value, by each of their names. */
    private static final Map<String, Flag> SWITCHES = byName(
            new Flag(List.of("--noop"), (r, v) -> r.noop = true),
            new Flag(List.of("--no-autoedges"), (r, v) -> r.noAutoEdges = true),
            new Flag(List.of("--no-autogroup"), (r, v) -> r.noAutoGroup = true),
            new Flag(List.of("-v", "--verbose"), (r, v) -> r.verbose = true),
            new Flag(List.of("--prometheus"), (r, v) -> r.prometheus = true),
            new Flag(List.of("--prometheus-check-histogram"), (r, v) -> r.prometheusCheckHistogram = true));

    /** The flags that take one value, by each of their names. */
    private static final Map<String, Flag> VALUED = byName(
            new Flag(List.of("--yaml", "--file"), (r, v) -> r.yaml = Path.of(v)),
            new Flag(List.of("--hostname"), (r, v) -> r.hostname = v),
            new Flag(List.of("--converged-timeout"), (r, v) -> r.convergedTimeout = new DurationConverter().convert(v)),
            new Flag(List.of("--graphviz"), (r, v) -> r.graphviz = Path.of(v)),
            new Flag(List.of("--color"), (r, v) -> r.color = Terminal.ColorMode.valueOf(v)),
            new Flag(List.of("--sema"), (r, v) -> r.sema = plainInt(v)),
            new Flag(List.of("--max-runtime"), (r, v) -> r.maxRuntime = new DurationConverter().convert(v)),
            new Flag(List.of("--state-dir"), (r, v) -> r.stateDir = Path.of(v)),
            new Flag(List.of("--prometheus-listen"), (r, v) -> r.prometheusListen = v));

    /** Digits that read as the same int whatever the reader (no sign, no leading zero, no base prefix). */
    private static final Pattern PLAIN_INT = Pattern.compile("0|[1-9][0-9]{0,8}");

    private PlainRunFlags() {
    }

    /** Every flag name this reads; picocli reads the rest. */
    static Set<String> names() {
        Set<String> out = new HashSet<>(SWITCHES.keySet());
        out.addAll(VALUED.keySet());
        return out;
    }

    /**
     * {@code args} ({@code run} and its flags) as a command ready to call, or empty when picocli
     * must read them.
     */
    static Optional<RunCommand> read(String[] args) {
        if (args.length == 0 || !args[0].equals("run") || picocliConfigured()) {
            return Optional.empty();
        }
        RunCommand run = new RunCommand();
        Set<String> given = new HashSet<>();
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            if (arg.startsWith("@")) {
                return Optional.empty();
            }
            int eq = arg.startsWith("--") ? arg.indexOf('=') : -1;
            String name = eq > 0 ? arg.substring(0, eq) : arg;
            Flag flag = eq > 0 ? VALUED.get(name) : SWITCHES.getOrDefault(name, VALUED.get(name));
            if (flag == null || !given.addAll(flag.names())) {
                return Optional.empty();
            }
            String value = null;
            if (eq > 0) {
                value = arg.substring(eq + 1);
            } else if (VALUED.containsKey(name)) {
                if (i + 1 == args.length) {
                    return Optional.empty();
                }
                value = args[++i];
                if (value.startsWith("@")) {
                    return Optional.empty();
                }
            }
            if (value != null && (value.isEmpty() || value.startsWith("-"))) {
                // picocli takes "--yaml --noop" and "--yaml=--noop" for a missing value, "-1" for a value.
                return Optional.empty();
            }
            try {
                flag.set().accept(run, value);
            } catch (IllegalArgumentException | TypeConversionException e) {
                // Enum.valueOf, Path.of (InvalidPathException) and plainInt throw the first.
                return Optional.empty();
            }
        }
        if (!given.contains("--yaml")) {
            return Optional.empty();
        }
        run.plainFlags = Set.copyOf(given);
        run.security.commandLine = run::commandLine;
        return Optional.of(run);
    }

    /** picocli's system properties (picocli.trimQuotes, say) change how it reads a line: then it reads it. */
    private static boolean picocliConfigured() {
        for (String p : System.getProperties().stringPropertyNames()) {
            if (p.startsWith("picocli.")) {
                return true;
            }
        }
        return false;
    }

    private static int plainInt(String v) {
        if (!PLAIN_INT.matcher(v).matches()) {
            throw new IllegalArgumentException(v);
        }
        return Integer.parseInt(v);
    }

    private static Map<String, Flag> byName(Flag... flags) {
        Map<String, Flag> out = new HashMap<>();
        for (Flag f : flags) {
            f.names().forEach(n -> out.put(n, f));
        }
        return Map.copyOf(out);
    }

    /** A flag: all its names, and what it sets (the value is null for a switch). */
    private record Flag(List<String> names, BiConsumer<RunCommand, String> set) {
    }
}
