package dev.mgmt.cli;

import dev.mgmt.cluster.ClusterNode;
import dev.mgmt.cluster.ClusterNode.HostPort;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * How a {@code mgmt cluster} command reaches the cluster: it joins through the seeds as an
 * observer (never a host, never a voter), asks, and leaves.
 */
final class ClusterClientOptions {

    @Option(names = "--seeds", split = ",", required = true, paramLabel = "HOST:PORT",
            description = "Any running hosts of the cluster (comma separated).")
    List<String> seeds;

    @Option(names = "--listen", paramLabel = "HOST[:PORT]", defaultValue = "127.0.0.1",
            description = "Address this command listens on while it asks (default 127.0.0.1 on a free port); "
                    + "the hosts must be able to reach it.")
    String listen;

    @Option(names = "--join-timeout", paramLabel = "DURATION", defaultValue = "10s", converter = DurationConverter.class,
            description = "How long to wait for a seed to answer (default 10s). In " + DurationConverter.SYNTAX + ".")
    Duration joinTimeout;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30s", converter = DurationConverter.class,
            description = "How long to wait for the answer once joined (default 30s). In " + DurationConverter.SYNTAX + ".")
    Duration timeout;

    @Option(names = {"-v", "--verbose"}, description = "Log at INFO (default ERROR) to stderr.")
    boolean verbose;

    /**
     * The observer this command joins as. The one place its node is built, so that options
     * every cluster member needs (transport security, the cluster secret) are added here.
     *
     * @throws IllegalArgumentException when an option is malformed
     */
    ClusterNode node(java.util.function.UnaryOperator<ClusterNode.Builder> security) {
        if (!positive(joinTimeout) || !positive(timeout)) {
            throw new IllegalArgumentException("--join-timeout and --timeout must be positive");
        }
        Addresses.problem("--listen", listen, false).ifPresent(p -> {
            throw new IllegalArgumentException(p);
        });
        return security.apply(ClusterNode.builder()
                .hostname("mgmt-cli-" + ProcessHandle.current().pid())
                .observer(true)
                .server(false)
                .listen(listenAddress().toString())
                .seeds(seeds)
                .joinTimeout(joinTimeout))
                .build();
    }

    /** {@code --listen} as given, or on a free port when it names none. */
    private HostPort listenAddress() {
        HostPort hp = HostPort.parse(listen);
        if (listen.trim().endsWith(":" + hp.port())) {
            return hp;
        }
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(hp.host()))) {
            return new HostPort(hp.host(), s.getLocalPort());
        } catch (IOException e) {
            throw new UncheckedIOException("--listen " + listen + ": cannot bind: " + Messages.of(e), e);
        }
    }

    static boolean positive(Duration d) {
        return !d.isNegative() && !d.isZero();
    }
}
