package dev.mgmt.cluster.internal;

import dev.mgmt.cluster.ClusterException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/** A host's first contact with the store's map at start-up: listening, then one full read, within the join timeout. */
final class Joining {

    private static final Logger log = LoggerFactory.getLogger(Joining.class);

    private final String host;
    private final Store store;
    private final Timing timing;
    private final Duration joinTimeout;

    Joining(String host, Store store, Timing timing, Duration joinTimeout) {
        this.host = host;
        this.store = store;
        this.timing = timing;
        this.joinTimeout = joinTimeout;
    }

    /**
     * Waits for the map listener. A voter picked to connect to may stop serving right now (its
     * host is being unnominated): then the client is reopened on today's voters, which
     * attaches the listener again.
     */
    void attach(CompletableFuture<Void> listening) {
        try {
            Mono.fromFuture(listening, true)
                    .timeout(Duration.ofSeconds(3), timing.loop())
                    .onErrorResume(e -> {
                        log.debug("{}: cannot listen to the store ({}); reopening the client", host,
                                StoreOps.rootMessage(e));
                        // Reopening blocks: not on the loop, which delivers the store's events.
                        return Mono.fromCallable(store::repairClient).subscribeOn(timing.delivery())
                                .flatMap(repaired -> repaired ? Mono.<Void>empty() : Mono.error(e));
                    })
                    .retryWhen(Retry.fixedDelay(Long.MAX_VALUE, Duration.ofMillis(200)).scheduler(timing.loop()))
                    .timeout(joinTimeout, timing.loop())
                    .block();
        } catch (RuntimeException e) {
            Throwable t = StoreOps.unwrap(Exceptions.unwrap(e));
            throw new ClusterException("cannot listen to the store within " + StoreOps.secs(joinTimeout)
                    + (t instanceof TimeoutException ? "" : ": " + StoreOps.rootMessage(t)), t);
        }
    }

    /**
     * The whole map, read once at start. The voters this host connected to may be changing
     * right now (one being unnominated stops answering): when the read fails, reopen the
     * client on the voters membership shows now and read again, until the join timeout.
     */
    List<Store.Change> firstRead() {
        Duration attempt = Duration.ofSeconds(3);
        long deadline = timing.nanos() + joinTimeout.toNanos();
        // Each attempt waits up to its timeout; counted too, for a store that fails at once.
        long attemptsLeft = joinTimeout.toMillis() / attempt.toMillis() + 1;
        while (true) {
            try {
                return store.entries(attempt);
            } catch (StoreUnavailableException e) {
                if (timing.nanos() > deadline || --attemptsLeft <= 0) {
                    throw new ClusterException("cannot read the store within " + StoreOps.secs(joinTimeout)
                            + ": " + e.getMessage(), e);
                }
                log.debug("{}: first read of the store failed ({}); reopening the client", host, e.getMessage());
                store.repairClient();
            }
        }
    }
}
