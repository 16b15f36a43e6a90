package dev.mgmt.cli;

import dev.mgmt.cluster.ClusterNode;
import dev.mgmt.cluster.World;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;

/**
 * Runs one {@code mgmt cluster} request: joins as an observer, asks, leaves. Every failure is
 * one line on stderr, never a stack trace: exit 2 when the cluster cannot be joined (as
 * {@code mgmt run} reports it), 1 when the request itself fails.
 */
final class ClusterClient {

    /** What a command asks of the cluster, through {@link ClusterClient#await}. */
    @FunctionalInterface
    interface Request {
        void ask(ClusterClient client);
    }

    private final World world;
    private final Duration timeout;

    private ClusterClient(World world, Duration timeout) {
        this.world = world;
        this.timeout = timeout;
    }

    /** The observer's view of the cluster. */
    World world() {
        return world;
    }

    /** Blocks for the answer, at most {@code --timeout}. */
    <T> T await(Mono<T> answer) {
        return answer.timeout(timeout).block();
    }

    static int run(CommandSpec spec, ClusterClientOptions options,
                   java.util.function.UnaryOperator<ClusterNode.Builder> security, Request request) {
        Logging.forClient(options.verbose);
        String name = spec.qualifiedName();
        ClusterNode node;
        try {
            node = options.node(security);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), Messages.of(e));
        } catch (UncheckedIOException e) {
            spec.commandLine().getErr().println(name + ": " + e.getMessage());
            return Mgmt.EXIT_INVALID;
        }
        World world;
        try {
            world = node.start();
        } catch (RuntimeException e) {
            // An unexpected failure has no operator-facing message: name it, and keep its trace at -v.
            spec.commandLine().getErr().println(name + ": cannot join the cluster: "
                    + Messages.of(e));
            org.slf4j.LoggerFactory.getLogger(ClusterClient.class).info("join failed", e);
            return Mgmt.EXIT_INVALID;
        }
        try {
            request.ask(new ClusterClient(world, options.timeout));
            return 0;
        } catch (RuntimeException e) {
            spec.commandLine().getErr().println(name + ": " + describe(Exceptions.unwrap(e), options.timeout));
            return Mgmt.EXIT_FAILED;
        } finally {
            try {
                world.close();
            } catch (RuntimeException e) {
                // Leaving failed: the cluster drops the observer once membership times it out.
            }
        }
    }

    private static String describe(Throwable e, Duration timeout) {
        if (e instanceof TimeoutException) {
            return "no answer from the cluster within " + dev.mgmt.api.Durations.format(timeout);
        }
        return Messages.of(e);
    }
}
