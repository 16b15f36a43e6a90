package dev.mgmt.cluster.internal.atomix;

import io.atomix.cluster.AtomixCluster;
import io.atomix.cluster.AtomixClusterBuilder;
import io.atomix.cluster.ClusterConfig;
import io.atomix.cluster.messaging.ManagedMessagingService;
import io.atomix.cluster.messaging.ManagedUnicastService;
import io.atomix.cluster.messaging.UnicastService;
import io.atomix.utils.config.ConfigMapper;
import io.atomix.utils.net.Address;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds an {@link AtomixCluster} that opens no UDP port. Atomix's unicast service listens on
 * UDP beside the messaging port with neither TLS nor the cluster-id check, and hands what it
 * receives to the same subscribers as messaging (the store client's event stream among them).
 * A secured host instead sends the rare unreliable unicast over messaging, where TLS and the
 * secret apply, and listens on nothing else.
 */
final class TcpOnlyClusterBuilder extends AtomixClusterBuilder {

    private static final Logger log = LoggerFactory.getLogger(TcpOnlyClusterBuilder.class);

    private TcpOnlyClusterBuilder(ClusterConfig config) {
        super(config);
    }

    /** Starts from the same configuration as {@link AtomixCluster#builder()}. */
    static TcpOnlyClusterBuilder create() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return new TcpOnlyClusterBuilder(new ConfigMapper(loader).loadResources(ClusterConfig.class, "cluster"));
    }

    @Override
    public AtomixCluster build() {
        return new TcpOnlyCluster(config);
    }

    private static final class TcpOnlyCluster extends AtomixCluster {

        TcpOnlyCluster(ClusterConfig config) {
            this(config, buildMessagingService(config));
        }

        private TcpOnlyCluster(ClusterConfig config, ManagedMessagingService messaging) {
            super(config, null, messaging, new UnicastOverMessaging(messaging), null);
        }
    }

    /**
     * Unicast sent as one-way messages, and listeners registered as messaging handlers. The
     * cluster's communication service subscribes its subjects on messaging as well (with an
     * equal handler, so registering again changes nothing); SWIM membership's gossip listens
     * only here.
     */
    private static final class UnicastOverMessaging implements ManagedUnicastService {

        private final ManagedMessagingService messaging;
        private volatile boolean running;

        UnicastOverMessaging(ManagedMessagingService messaging) {
            this.messaging = messaging;
        }

        @Override
        public void unicast(Address address, String subject, byte[] message) {
            messaging.sendAsync(address, subject, message).whenComplete((v, e) -> {
                if (e != null) {
                    log.debug("unicast {} to {} failed: {}", subject, address, e.toString());
                }
            });
        }

        @Override
        public void addListener(String subject, BiConsumer<Address, byte[]> listener, Executor executor) {
            messaging.registerHandler(subject, listener, executor);
        }

        @Override
        public void removeListener(String subject, BiConsumer<Address, byte[]> listener) {
            messaging.unregisterHandler(subject);
        }

        @Override
        public CompletableFuture<UnicastService> start() {
            running = true;
            return CompletableFuture.completedFuture(this);
        }

        @Override
        public boolean isRunning() {
            return running;
        }

        @Override
        public CompletableFuture<Void> stop() {
            running = false;
            return CompletableFuture.completedFuture(null);
        }
    }
}
