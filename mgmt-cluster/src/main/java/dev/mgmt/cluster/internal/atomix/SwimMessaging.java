package dev.mgmt.cluster.internal.atomix;

import io.atomix.cluster.BootstrapService;
import io.atomix.cluster.Member;
import io.atomix.cluster.MemberId;
import io.atomix.cluster.messaging.BroadcastService;
import io.atomix.cluster.messaging.MessagingService;
import io.atomix.cluster.messaging.UnicastService;
import io.atomix.utils.net.Address;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The messaging SWIM is given. It answers no probe meant for another mgmt member, and it tells
 * {@link SeedView} whom the seeds listed in their answer to this member's first sync.
 *
 * <p>Atomix 3.1's SWIM answers a probe whatever member id it names. A host restarted on the
 * same address is a new member (a new id) and would answer the probes meant for its previous
 * incarnation, which then stays alive in everyone's view for ever. This member stays silent
 * to a probe for another member's id, as the stopped process would, so the old incarnation is
 * suspected after the probe timeout and removed after the failure timeout.
 */
final class SwimMessaging implements BootstrapService {

    private static final Logger log = LoggerFactory.getLogger(SwimMessaging.class);

    private final BootstrapService bootstrap;
    private final MessagingService messaging;

    SwimMessaging(BootstrapService bootstrap, MemberId self, SeedView seeds) {
        this.bootstrap = bootstrap;
        this.messaging = new Filtered(bootstrap.getMessagingService(), self, seeds);
    }

    @Override
    public MessagingService getMessagingService() {
        return messaging;
    }

    @Override
    public UnicastService getUnicastService() {
        return bootstrap.getUnicastService();
    }

    @Override
    public BroadcastService getBroadcastService() {
        return bootstrap.getBroadcastService();
    }

    /**
     * Whether to answer a probe: one for this member, or one that names no mgmt member. SWIM
     * probes a seed it has only discovered (not yet heard from) under the seed's node id, with
     * no properties; that probe is how a host that started before its seed finds it.
     */
    static boolean isFor(byte[] payload, MemberId self) {
        // A commons-lang Pair, which is a Map.Entry: the value is the member probed.
        Map.Entry<?, ?> probe = AtomixInternals.swimSerializer().decode(payload);
        if (!(probe.getValue() instanceof Member target)) {
            return true;
        }
        return self.equals(target.id()) || target.properties().getProperty(Membership.PROP_HOST) == null;
    }

    /**
     * The member ids in an answer to a sync (a collection of SWIM's members), observers left
     * out: an observer is never a namesake (its name is no host's), and a {@code mgmt cluster}
     * command that ended a moment ago is still in the seed's answer until the seed finds it gone,
     * while the joining member, which cannot reach it, never knows it: every command (or host)
     * that joined right after such a command waited the whole fallback of
     * {@link Membership#awaitSeedView}.
     */
    static Set<String> listed(byte[] reply) {
        Collection<?> members = AtomixInternals.swimSerializer().decode(reply);
        Set<String> ids = new HashSet<>();
        for (Object o : members) {
            Member m = (Member) o;
            if (!Membership.observer(m)) {
                ids.add(m.id().id());
            }
        }
        return ids;
    }

    private static final class Filtered implements MessagingService {

        private final MessagingService messaging;
        private final MemberId self;
        private final SeedView seeds;

        Filtered(MessagingService messaging, MemberId self, SeedView seeds) {
            this.messaging = messaging;
            this.self = self;
            this.seeds = seeds;
        }

        @Override
        public void registerHandler(String type, BiFunction<Address, byte[], byte[]> handler, Executor executor) {
            if (!AtomixInternals.SWIM_PROBE.equals(type)) {
                messaging.registerHandler(type, handler, executor);
                return;
            }
            // Never completed for a foreign id: no answer at all, which is what the prober times out on.
            messaging.registerHandler(type, (BiFunction<Address, byte[], CompletableFuture<byte[]>>) (from, payload) ->
                    CompletableFuture.supplyAsync(() -> isFor(payload, self), executor)
                            .thenCompose(mine -> mine
                                    ? CompletableFuture.completedFuture(handler.apply(from, payload))
                                    : new CompletableFuture<>()));
        }

        @Override
        public void registerHandler(String type, BiConsumer<Address, byte[]> handler, Executor executor) {
            messaging.registerHandler(type, handler, executor);
        }

        @Override
        public void registerHandler(String type, BiFunction<Address, byte[], CompletableFuture<byte[]>> handler) {
            messaging.registerHandler(type, handler);
        }

        @Override
        public void unregisterHandler(String type) {
            messaging.unregisterHandler(type);
        }

        @Override
        public Address address() {
            return messaging.address();
        }

        @Override
        public CompletableFuture<Void> sendAsync(Address address, String type, byte[] payload, boolean keepAlive) {
            return messaging.sendAsync(address, type, payload, keepAlive);
        }

        @Override
        public CompletableFuture<byte[]> sendAndReceive(Address address, String type, byte[] payload, boolean keepAlive) {
            return messaging.sendAndReceive(address, type, payload, keepAlive);
        }

        @Override
        public CompletableFuture<byte[]> sendAndReceive(Address address, String type, byte[] payload, boolean keepAlive,
                                                        Executor executor) {
            return messaging.sendAndReceive(address, type, payload, keepAlive, executor);
        }

        @Override
        public CompletableFuture<byte[]> sendAndReceive(Address address, String type, byte[] payload, boolean keepAlive,
                                                        Duration timeout) {
            CompletableFuture<byte[]> reply = messaging.sendAndReceive(address, type, payload, keepAlive, timeout);
            if (AtomixInternals.SWIM_SYNC.equals(type)) {
                reply.thenAccept(this::synced);
            }
            return reply;
        }

        private void synced(byte[] reply) {
            try {
                seeds.replied(listed(reply));
            } catch (RuntimeException e) {
                log.debug("{}: unreadable membership sync answer: {}", self, e.toString());
            }
        }

        @Override
        public CompletableFuture<byte[]> sendAndReceive(Address address, String type, byte[] payload, boolean keepAlive,
                                                        Duration timeout, Executor executor) {
            return messaging.sendAndReceive(address, type, payload, keepAlive, timeout, executor);
        }
    }
}
