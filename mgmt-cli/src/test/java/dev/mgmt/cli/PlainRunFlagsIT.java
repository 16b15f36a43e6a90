package dev.mgmt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;

/**
 * Issue 18: {@code mgmt run} reads a plain command line without picocli, and reads it exactly as
 * picocli does; everything else is picocli's.
 */
class PlainRunFlagsIT {

    /** The flags of {@code run} that only picocli reads: a cluster host's, and help and version. */
    private static final Set<String> LEFT_TO_PICOCLI = Set.of("-h", "--help", "-V", "--version",
            "--seeds", "--listen", "--advertise", "--no-server", "--cluster-server", "--ideal-cluster-size",
            "--elastic-strategy", "--grace-period", "--join-timeout", "--tls-keystore", "--tls-truststore",
            "--tls-keystore-password-file", "--tls-truststore-password-file", "--cluster-secret-file",
            "--cluster-admin");

    @TempDir
    Path dir;

    static Stream<List<String>> plainLines() {
        return Stream.of(
                List.of("--yaml", "g.yaml"),
                List.of("--file", "g.yaml"),
                List.of("--yaml=g.yaml", "--noop"),
                List.of("--yaml=a=b.yaml"),
                List.of("--yaml", " g.yaml"),
                List.of("--yaml", "a b/c d.yaml", "--converged-timeout", "0"),
                List.of("--yaml", "g.yaml", "--converged-timeout", "1h30m", "--max-runtime", "2.5s"),
                List.of("--yaml", "g.yaml", "--max-runtime=10"),
                List.of("-v", "--yaml", "g.yaml", "--no-autoedges", "--no-autogroup"),
                List.of("--verbose", "--yaml", "g.yaml", "--hostname", "web1", "--sema", "3", "--color", "never"),
                List.of("--hostname=web_1", "--yaml", "g.yaml", "--color=always", "--sema=0"),
                List.of("--yaml", "g.yaml", "--sema", "999999999", "--hostname", "\"quoted\""),
                List.of("--yaml", "g.yaml", "--graphviz", "g.dot", "--state-dir", "/tmp/s", "--prometheus",
                        "--prometheus-listen", ":9233", "--prometheus-check-histogram"),
                List.of("--yaml", "g.yaml", "--prometheus-listen=127.0.0.1:0", "--color", "auto"),
                List.of("--yaml", "g.yaml", "--state-dir=@s", "--hostname", "a b"),
                List.of("--yaml", "g.yaml", "--hostname", " ", "--graphviz", "./-x.dot"));
    }

    static Stream<List<String>> otherLines() {
        return Stream.of(
                List.of(),
                List.of("--noop"),
                List.of("--yaml"),
                List.of("--yaml="),
                List.of("--yaml", ""),
                List.of("--yaml", "g.yaml", "--yaml", "h.yaml"),
                List.of("--yaml", "g.yaml", "--file", "h.yaml"),
                List.of("--yaml", "g.yaml", "-v", "--verbose"),
                List.of("--yaml", "g.yaml", "--noop", "--noop"),
                List.of("--yaml", "g.yaml", "--noop=true"),
                List.of("--yaml", "g.yaml", "--help"),
                List.of("--yaml", "g.yaml", "-h"),
                List.of("--yaml", "g.yaml", "-V"),
                List.of("--yaml", "g.yaml", "-vv"),
                List.of("--yaml", "g.yaml", "--seeds", "127.0.0.1:1"),
                List.of("--yaml", "g.yaml", "--listen", "127.0.0.1:1"),
                List.of("--yaml", "g.yaml", "--tls-keystore", "k.p12"),
                List.of("--yaml", "g.yaml", "--converged-timeout", "-1"),
                List.of("--yaml", "g.yaml", "--converged-timeout=-1"),
                List.of("--yaml=--noop"),
                List.of("--yaml", "g.yaml", "--hostname=-x"),
                List.of("--yaml", "g.yaml", "--converged-timeout", "ten"),
                List.of("--yaml", "--noop"),
                List.of("--yaml", "g.yaml", "--color", "Never"),
                List.of("--yaml", "g.yaml", "--sema", "010"),
                List.of("--yaml", "g.yaml", "--sema", "+3"),
                List.of("--yaml", "g.yaml", "--sema", "0x10"),
                List.of("--yaml", "g.yaml", "--sema", "9999999999"),
                List.of("--yaml", "@args.txt"),
                List.of("@args.txt"),
                List.of("--yaml", "g.yaml", "--"),
                List.of("--yaml", "g.yaml", "extra"),
                List.of("--yaml", "g.yaml", "--hostname="),
                List.of("--yaml", "g\0.yaml"),
                List.of("--yam", "g.yaml"),
                List.of("-yaml", "g.yaml"),
                List.of("--yaml", "g.yaml", "--hostname", "@x"),
                List.of("--yaml", "g.yaml", "--hostname", "-"),
                List.of("--yaml=g.yaml", "--file=h.yaml"),
                List.of("--yaml", "g.yaml", "--verbose=true"),
                List.of("--yaml", "g.yaml", "-v=true"),
                List.of("--yaml", "g.yaml", "--color=Never"),
                List.of("--yaml", "g.yaml", "--sema", "2147483647"));
    }

    @ParameterizedTest
    @MethodSource("plainLines")
    void readsAPlainLineAsPicocliDoes(List<String> flags) throws Exception {
        String[] args = run(flags);
        RunCommand plain = PlainRunFlags.read(args).orElseThrow(() -> new AssertionError("not read: " + flags));

        CommandLine cl = Mgmt.commandLine(args);
        ParseResult parsed = cl.parseArgs(args).subcommand();
        RunCommand picocli = parsed.commandSpec().commandLine().getCommand();

        assertThat(values(plain)).isEqualTo(values(picocli));
        // A bad flag found later (a TLS file, say) is said against run's command line.
        assertThat(plain.security.commandLine.get().getCommandSpec().qualifiedName()).isEqualTo("mgmt run");
        for (OptionSpec o : parsed.commandSpec().options()) {
            for (String name : o.names()) {
                assertThat(plain.plainFlags.contains(name)).as(name).isEqualTo(parsed.hasMatchedOption(name));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("otherLines")
    void leavesEverythingElseToPicocli(List<String> flags) {
        assertThat(PlainRunFlags.read(run(flags))).as(flags.toString()).isEmpty();
    }

    @Test
    void leavesOtherCommandsAndPicocliSettingsToPicocli() {
        assertThat(PlainRunFlags.read(new String[] {"cluster", "status", "--seeds", "127.0.0.1:1"})).isEmpty();
        assertThat(PlainRunFlags.read(new String[0])).isEmpty();
        String[] line = {"run", "--yaml", "\"g.yaml\""};
        assertThat(PlainRunFlags.read(line)).isPresent();
        // picocli.trimQuotes would make picocli read g.yaml where PlainRunFlags reads "g.yaml".
        System.setProperty("picocli.trimQuotes", "true");
        try {
            assertThat(PlainRunFlags.read(line)).isEmpty();
        } finally {
            System.clearProperty("picocli.trimQuotes");
        }
    }

    /**
     * Lines made at random from every flag of run in every form, with values meant to trip a
     * reader: each that PlainRunFlags reads, picocli reads too, to the same values.
     */
    @Test
    void readsEveryGeneratedLineItTakesAsPicocliDoes() throws Exception {
        List<String> flags = new ArrayList<>(PlainRunFlags.names());
        flags.addAll(LEFT_TO_PICOCLI);
        flags.addAll(List.of("--yam", "-x", "--", "extra"));
        flags.sort(null);
        List<String> values = List.of("g.yaml", "0", "1", "-1", "10s", "1.5s", "1h30m", "5x", "010", "+3", "0x10",
                "999999999", "auto", "never", "Never", "true", "", " ", "-", "--noop", "@x", "a=b", "\"q\"", "a b",
                "127.0.0.1:0", ":9233", "replace");
        java.util.Random random = new java.util.Random(18);
        int read = 0;
        for (int n = 0; n < 3000; n++) {
            List<String> line = new ArrayList<>();
            if (random.nextInt(4) > 0) {
                line.addAll(List.of("--yaml", "g.yaml"));
            }
            for (int k = random.nextInt(5); k > 0; k--) {
                String flag = flags.get(random.nextInt(flags.size()));
                String value = values.get(random.nextInt(values.size()));
                switch (random.nextInt(3)) {
                    case 0 -> line.add(flag);
                    case 1 -> line.addAll(List.of(flag, value));
                    default -> line.add(flag + "=" + value);
                }
            }
            java.util.Collections.shuffle(line, random);
            String[] args = run(line);
            Optional<RunCommand> plain = PlainRunFlags.read(args);
            if (plain.isEmpty()) {
                continue;
            }
            read++;
            ParseResult parsed = Mgmt.commandLine(args).parseArgs(args).subcommand();
            assertThat(values(plain.get())).as(line.toString())
                    .isEqualTo(values(parsed.commandSpec().commandLine().getCommand()));
        }
        assertThat(read).as("lines read without picocli").isGreaterThan(100);
    }

    @Test
    void everyFlagOfRunIsReadHereOrLeftToPicocliByName() {
        Set<String> picocli = new HashSet<>();
        for (OptionSpec o : Mgmt.commandLine(new String[] {"run"}).getSubcommands().get("run").getCommandSpec().options()) {
            picocli.addAll(List.of(o.names()));
        }
        Set<String> here = PlainRunFlags.names();
        assertThat(here).doesNotContainAnyElementsOf(LEFT_TO_PICOCLI);
        Set<String> both = new HashSet<>(here);
        both.addAll(LEFT_TO_PICOCLI);
        // A flag added to run must be read here too, or named above as picocli's alone.
        assertThat(both).isEqualTo(picocli);
    }

    /** A bad flag found after reading says the same line and exit status whichever reader read it. */
    @Test
    void aBadFlagIsSaidTheSameWayOnBothPaths() throws Exception {
        Path graph = dir.resolve("g.yaml");
        Files.writeString(graph, "graph: g\nresources:\n  noop:\n  - name: a\n");
        List<String> plain = List.of("run", "--yaml", graph.toString(), "--hostname", "a b");
        // A value that begins with '-' is picocli's to read.
        List<String> picocli = List.of("run", "--yaml", graph.toString(), "--hostname", "a b", "--converged-timeout", "-1");
        assertThat(PlainRunFlags.read(plain.toArray(String[]::new))).isPresent();
        assertThat(PlainRunFlags.read(picocli.toArray(String[]::new))).isEmpty();
        String said = "mgmt run: --hostname 'a b' is not a plain host name (letters, digits, '-', '.' and '_', at most 253) "
                + "(see 'mgmt run --help')";
        for (List<String> line : List.of(plain, picocli)) {
            try (MgmtProcess mgmt = MgmtProcess.start(line.toArray(String[]::new))) {
                assertThat(mgmt.waitFor()).as(line.toString()).isEqualTo(Mgmt.EXIT_INVALID);
                assertThat(mgmt.stderr().strip()).as(line.toString()).isEqualTo(said);
                assertThat(mgmt.stdout()).isEmpty();
            }
        }
        Path missing = dir.resolve("missing.yaml");
        List<String> outputs = new ArrayList<>();
        for (List<String> line : List.of(List.of("run", "--yaml=" + missing), List.of("run", "--yaml", missing.toString(),
                "--converged-timeout", "-1"))) {
            try (MgmtProcess mgmt = MgmtProcess.start(line.toArray(String[]::new))) {
                assertThat(mgmt.waitFor()).as(line.toString()).isEqualTo(Mgmt.EXIT_INVALID);
                outputs.add(mgmt.stderr().strip());
            }
        }
        assertThat(outputs.get(0)).startsWith("mgmt run: ").contains(missing.toString()).isEqualTo(outputs.get(1));
    }

    private static String[] run(List<String> flags) {
        List<String> args = new ArrayList<>(List.of("run"));
        args.addAll(flags);
        return args.toArray(String[]::new);
    }

    /** Every flag's value on {@code run} and its mixin, by field. */
    private static Map<String, Object> values(RunCommand run) throws IllegalAccessException {
        Map<String, Object> out = new TreeMap<>();
        for (Object o : List.of(run, run.security)) {
            for (Field f : o.getClass().getDeclaredFields()) {
                if (f.isAnnotationPresent(Option.class)) {
                    f.setAccessible(true);
                    out.put(o.getClass().getSimpleName() + "." + f.getName(), Optional.ofNullable(f.get(o)).orElse("null"));
                }
            }
        }
        return out;
    }
}
