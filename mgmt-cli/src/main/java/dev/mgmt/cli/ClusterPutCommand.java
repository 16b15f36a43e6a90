package dev.mgmt.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code mgmt cluster put KEY VALUE} (or {@code --value-file FILE}): writes a key of the
 * cluster's store, as {@code World.put} does and mgmt's {@code etcdctl put} did. Key and value
 * are checked before joining ({@link KeyValueInput}), so bad input writes nothing.
 */
@Command(name = "put", mixinStandardHelpOptions = true,
        description = "Write a key of the cluster's store, for every host to read: VALUE, or the "
                + "bytes of --value-file as UTF-8 text.")
final class ClusterPutCommand extends ClusterRequestCommand {

    @Parameters(index = "0", paramLabel = "KEY", description = "The key: printable text, at most 1021 bytes of UTF-8.")
    String key;

    @Parameters(index = "1", arity = "0..1", paramLabel = "VALUE",
            description = "The value, at most 64 KiB (UTF-8); or give --value-file.")
    String value;

    @Option(names = "--value-file", paramLabel = "FILE",
            description = "Read the value from FILE (- for stdin), exactly as its bytes; it must be UTF-8 text.")
    String valueFile;

    /** The value as it will be written, once {@link #check} has read and checked it. */
    private String checked;

    @Override
    void check() {
        if ((value == null) == (valueFile == null)) {
            throw new ParameterException(spec.commandLine(), value == null
                    ? "missing VALUE: give it, or --value-file FILE"
                    : "give either VALUE or --value-file, not both");
        }
        try {
            KeyValueInput.checkKey(key);
            checked = value != null ? KeyValueInput.argument(key, value)
                    : KeyValueInput.file(key, valueFile, System.in);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    @Override
    void ask(ClusterClient client) {
        client.await(client.world().put(key, checked));
        out().println(key + ": written");
        out().flush();
    }
}
