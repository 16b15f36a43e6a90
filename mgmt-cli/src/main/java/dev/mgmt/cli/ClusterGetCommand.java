package dev.mgmt.cli;

import dev.mgmt.api.Quoted;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code mgmt cluster get KEY}: prints a key of the cluster's store, read linearizably
 * ({@code World.get}). The value goes out as UTF-8 bytes whatever the locale, since that is
 * how it was written. A missing key is exit 1 with one line on stderr, as {@code git config}
 * does, so that a script can tell "absent" from "empty".
 */
@Command(name = "get", mixinStandardHelpOptions = true,
        description = "Print the value of a key of the cluster's store, followed by a newline; "
                + "exit 1 when the key is missing.")
final class ClusterGetCommand extends ClusterRequestCommand {

    @Parameters(index = "0", paramLabel = "KEY", description = "The key.")
    String key;

    @Option(names = "--raw", description = "Print the value exactly as stored, without the newline after it.")
    boolean raw;

    /** The key is not in the store: one line for the operator, exit 1. */
    static final class MissingKey extends RuntimeException {
        MissingKey(String key) {
            super("no key " + Quoted.of(key) + " in the cluster's store", null, false, false);
        }
    }

    @Override
    void check() {
        try {
            KeyValueInput.checkKey(key);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    @Override
    void ask(ClusterClient client) {
        Optional<String> value = client.await(client.world().get(key));
        String text = value.orElseThrow(() -> new MissingKey(key));
        out().flush();
        // Bytes, not the PrintWriter: its charset is the locale's, which may not be UTF-8.
        PrintStream stdout = System.out;
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        stdout.write(bytes, 0, bytes.length);
        if (!raw) {
            stdout.write('\n');
        }
        stdout.flush();
    }
}
