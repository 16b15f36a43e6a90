package dev.mgmt.cluster.internal.atomix;

import static org.assertj.core.api.Assertions.assertThat;

import io.atomix.cluster.BootstrapService;
import io.atomix.cluster.MemberId;
import io.atomix.cluster.messaging.BroadcastService;
import io.atomix.cluster.messaging.MessagingService;
import io.atomix.cluster.messaging.UnicastService;
import io.atomix.utils.Version;
import io.atomix.utils.net.Address;
import java.lang.reflect.Constructor;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import org.apache.commons.lang3.tuple.Pair;
import org.junit.jupiter.api.Test;

/** Probes and sync answers as SWIM encodes them, through the messaging {@link SwimMessaging} gives SWIM. */
class SwimMessagingTest {

    private static final MemberId SELF = MemberId.from("b@00000002");
    private static final byte[] ANSWER = {42};

    private final SeedView seeds = new SeedView();
    private final AtomicInteger answered = new AtomicInteger();
    private final AtomicReference<BiFunction<Address, byte[], CompletableFuture<byte[]>>> registered =
            new AtomicReference<>();

    @Test
    void aProbeForThisMemberIsAnswered() {
        CompletableFuture<byte[]> reply = probe("b@00000002");
        assertThat(reply.join()).isEqualTo(ANSWER);
        assertThat(answered).hasValue(1);
    }

    /** The previous incarnation on this address: as silent as the stopped process would be. */
    @Test
    void aProbeForAnotherMemberIdIsNeverAnswered() {
        CompletableFuture<byte[]> reply = probe("b@00000001");
        assertThat(reply).isNotDone();
        assertThat(answered).hasValue(0);
    }

    /** How a host that started before its seed finds it: SWIM probes the seed's node id, bare. */
    @Test
    void aProbeForADiscoveredNodeIsAnswered() {
        CompletableFuture<byte[]> reply = probe(member("127.0.0.1:7946", new Properties()));
        assertThat(reply.join()).isEqualTo(ANSWER);
    }

    @Test
    void otherSubjectsAreRegisteredUnchanged() {
        BiFunction<Address, byte[], byte[]> sync = (from, payload) -> payload;
        AtomicReference<Object> seen = new AtomicReference<>();
        MessagingService messaging = messaging((type, handler) -> seen.set(handler));
        new SwimMessaging(bootstrap(messaging), SELF, seeds).getMessagingService()
                .registerHandler("atomix-membership-sync", sync, Runnable::run);
        assertThat(seen.get()).isSameAs(sync);
    }

    /** SWIM applies a seed's answer to its sync on its own thread; the ids it listed are what to wait for. */
    @Test
    void theFirstAnswerToASyncTellsWhomTheSeedKnew() {
        byte[] reply = AtomixInternals.swimSerializer().encode(new ArrayList<>(List.of(member("a@00000009"), member("b@00000002"))));
        MessagingService messaging = (MessagingService) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {MessagingService.class},
                (proxy, method, args) -> CompletableFuture.completedFuture(reply));
        byte[] seen = new SwimMessaging(bootstrap(messaging), SELF, seeds).getMessagingService()
                .sendAndReceive(Address.from("127.0.0.1:1"), AtomixInternals.SWIM_SYNC, new byte[0], false,
                        Duration.ofSeconds(1)).join();
        assertThat(seen).isSameAs(reply);
        assertThat(seeds.coveredBy(Set.of("b@00000002"))).isFalse();
        assertThat(seeds.coveredBy(Set.of("a@00000009", "b@00000002", "c@00000003"))).isTrue();
    }

    /** A {@code mgmt cluster} command that just ended: still in the seed's view, never a namesake. */
    @Test
    void anObserverInTheAnswerIsNotWaitedFor() {
        Properties observer = new Properties();
        observer.setProperty(Membership.PROP_HOST, "mgmt-cli-4242");
        observer.setProperty(Membership.PROP_OBSERVER, "true");
        byte[] reply = AtomixInternals.swimSerializer().encode(new ArrayList<>(List.of(member("a@00000009"),
                member("mgmt-cli-4242@00000007", observer), member("b@00000002"))));
        assertThat(SwimMessaging.listed(reply)).containsExactlyInAnyOrder("a@00000009", "b@00000002");
    }

    @Test
    void noAnswerYetCoversNothing() {
        assertThat(seeds.coveredBy(Set.of("a@00000009"))).isFalse();
    }

    private CompletableFuture<byte[]> probe(String target) {
        return probe(member(target));
    }

    private CompletableFuture<byte[]> probe(Object target) {
        MessagingService messaging = messaging((type, handler) -> {
            assertThat(type).isEqualTo(AtomixInternals.SWIM_PROBE);
            @SuppressWarnings("unchecked")
            BiFunction<Address, byte[], CompletableFuture<byte[]>> async =
                    (BiFunction<Address, byte[], CompletableFuture<byte[]>>) handler;
            registered.set(async);
        });
        new SwimMessaging(bootstrap(messaging), SELF, seeds).getMessagingService()
                .registerHandler(AtomixInternals.SWIM_PROBE, (BiFunction<Address, byte[], byte[]>) (from, payload) -> {
                    answered.incrementAndGet();
                    return ANSWER;
                }, Runnable::run);
        byte[] payload = AtomixInternals.swimSerializer().encode(Pair.of(member("a@00000009"), target));
        return registered.get().apply(Address.from("127.0.0.1:1"), payload);
    }

    /** SWIM's package-private member value of an mgmt host, as its probes carry it. */
    private static Object member(String id) {
        Properties host = new Properties();
        host.setProperty(Membership.PROP_HOST, id.substring(0, id.indexOf('@')));
        return member(id, host);
    }

    private static Object member(String id, Properties properties) {
        try {
            Class<?> type = Class.forName("io.atomix.cluster.protocol.SwimMembershipProtocol$ImmutableMember");
            Class<?> state = Class.forName("io.atomix.cluster.protocol.SwimMembershipProtocol$State");
            Constructor<?> c = type.getDeclaredConstructor(MemberId.class, Address.class, String.class, String.class,
                    String.class, Properties.class, Version.class, long.class, state, long.class);
            c.setAccessible(true);
            Object alive = state.getEnumConstants()[0];
            return c.newInstance(MemberId.from(id), Address.from("127.0.0.1:2"), null, null, null, properties,
                    Version.from("3.1.12"), 1L, alive, 1L);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private interface Registration {
        void registered(String type, Object handler);
    }

    /** A messaging service that only records handler registrations. */
    private static MessagingService messaging(Registration onRegister) {
        return (MessagingService) Proxy.newProxyInstance(SwimMessagingTest.class.getClassLoader(),
                new Class<?>[] {MessagingService.class}, (proxy, method, args) -> {
                    if (method.getName().equals("registerHandler")) {
                        onRegister.registered((String) args[0], args[1]);
                        return null;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private static BootstrapService bootstrap(MessagingService messaging) {
        return new BootstrapService() {
            @Override
            public MessagingService getMessagingService() {
                return messaging;
            }

            @Override
            public UnicastService getUnicastService() {
                throw new UnsupportedOperationException();
            }

            @Override
            public BroadcastService getBroadcastService() {
                throw new UnsupportedOperationException();
            }
        };
    }
}
