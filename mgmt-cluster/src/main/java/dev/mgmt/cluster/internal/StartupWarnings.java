package dev.mgmt.cluster.internal;

import dev.mgmt.cluster.ClusterNode;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a host says at start-up about how exposed it is: an unsecured cluster (no TLS) and a
 * wildcard listen address. Observers ({@code mgmt cluster status}) say nothing: the hosts
 * they ask have said it already.
 */
public final class StartupWarnings {

    private static final Logger log = LoggerFactory.getLogger(StartupWarnings.class);

    private StartupWarnings() {
    }

    /** The warnings for this host, each one line; empty when there is nothing to say. */
    public static List<String> of(ClusterNode config) {
        List<String> out = new ArrayList<>();
        if (config.observer()) {
            return out;
        }
        if (config.tls().isEmpty()) {
            out.add("this cluster is NOT SECURED: anyone who can reach " + config.listen() + " can join it, read and "
                    + "change every key, export resources that this host collects, change the ideal cluster size and "
                    + "the volunteers (and so lose the store); secure it with --tls-keystore and --tls-truststore on "
                    + "every host (mgmt-examples/make-certs.sh makes a CA and a certificate per host)");
        }
        if (config.listen().isWildcard()) {
            out.add("listening on " + config.listen() + " binds every address of this host (TCP"
                    + (config.tls().isEmpty() ? " and UDP" : "") + ", IPv4 and IPv6); other hosts are told "
                    + config.advertise() + "; give --listen a single address unless that is what you want");
        }
        return out;
    }

    /** Logs {@link #of} at WARN. */
    public static void log(ClusterNode config) {
        for (String w : of(config)) {
            log.warn("{}: {}", config.hostname(), w);
        }
    }
}
