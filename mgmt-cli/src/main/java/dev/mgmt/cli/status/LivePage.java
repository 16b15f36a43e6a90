package dev.mgmt.cli.status;

import com.sun.net.httpserver.HttpServer;
import dev.mgmt.cluster.World;
import dev.mgmt.engine.Engine;

/**
 * The live page of {@code mgmt run --prometheus}: the running graph drawn with its states'
 * colours at {@code /}, updated by server-sent events. (A stub until the page lands.)
 */
public final class LivePage {

    private LivePage() {
    }

    /**
     * Adds the page's contexts to {@code server}.
     *
     * @param world the cluster, or null without one
     */
    public static void register(HttpServer server, Engine engine, World world) {
        // the page lands with issue 15
    }
}
