package dev.mgmt.cli;

import dev.mgmt.api.Resource;
import dev.mgmt.cli.status.JvmMeters;
import dev.mgmt.cli.status.StatusServer;
import dev.mgmt.cli.status.VertexLog;
import dev.mgmt.cluster.World;
import dev.mgmt.engine.Compilation;
import dev.mgmt.engine.Engine;
import dev.mgmt.metrics.CheckTiming;
import dev.mgmt.metrics.ClusterMetrics;
import dev.mgmt.metrics.EngineMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.function.Supplier;

/**
 * {@code mgmt run --prometheus} in the order a run needs it: bound with the flags (before anything
 * is read or applied), following the engine from before its start, serving once the cluster, if
 * any, is up. Closed by the run loop before the engine, or by the run when it ends early.
 */
final class Prometheus implements AutoCloseable {

    private final StatusServer server;
    private final VertexLog log = new VertexLog();
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    private final CheckTiming checkTiming;

    private Prometheus(StatusServer server, CheckTiming checkTiming) {
        this.server = server;
        this.checkTiming = checkTiming;
    }

    /**
     * Listens where the flags say ({@code listen} null: mgmt's default).
     *
     * @param checkTiming whether {@code mgmt_check_duration_seconds} has buckets
     *
     * @throws IllegalArgumentException a bad flag's message: the flag, the address, what is wrong
     */
    static Prometheus bind(String listen, CheckTiming checkTiming) {
        String flag = listen == null ? "--prometheus" : "--prometheus-listen";
        String address = listen == null ? StatusServer.DEFAULT_LISTEN : listen;
        InetSocketAddress at;
        try {
            at = StatusServer.address(address);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--prometheus-listen " + address + ": " + e.getMessage());
        }
        try {
            return new Prometheus(StatusServer.bind(at, StatusServer.hostName(address)), checkTiming);
        } catch (IOException e) {
            throw new IllegalArgumentException(Addresses.cannotListen(flag, address, at.getAddress(), e)
                    + (listen == null ? " (give --prometheus-listen HOST:PORT for another)" : ""));
        }
    }

    /** Follows the engine: its events for /health and /vertices, its meters. Before it starts. */
    void follow(Engine engine) {
        engine.events().subscribe(log::on);
        server.closing(EngineMetrics.bind(engine, registry, checkTiming));
        JvmMeters.bind(registry).forEach(server::closing);
    }

    /** Starts serving and says where. */
    void start(Engine engine, World world, Supplier<String> graphName, Console console) {
        if (world != null) {
            server.closing(ClusterMetrics.bind(world, registry));
        }
        server.start(engine, world, log, registry::scrape, graphName);
        console.line("mgmt: metrics, health and the live page on " + server.url()
                + (server.everyAddress() ? " (listening on every address)" : ""));
    }

    /** The vertices the engine started with (it names only those a swap adds). */
    void started(Compilation compiled) {
        if (compiled != null) {
            log.seed(compiled.resources().stream().map(Resource::id).toList());
        }
    }

    StatusServer server() {
        return server;
    }

    @Override
    public void close() {
        server.close();
    }
}
