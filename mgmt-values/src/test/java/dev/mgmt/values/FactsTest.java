package dev.mgmt.values;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.values.internal.HostProbe;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/** Facts of the real machine, and the polling of changing facts in virtual time. */
class FactsTest {

    private static final Duration HANG = Eventually.HANG;

    @Test
    void hostnameIsTheKernelsName() throws Exception {
        Path kernel = Path.of("/proc/sys/kernel/hostname");
        String expected = Files.exists(kernel) ? Files.readString(kernel).strip() : InetAddress.getLocalHost().getHostName();
        assertThat(Facts.local().hostname().blockFirst(HANG)).isEqualTo(expected);
    }

    @Test
    void cpusAreWhatTheJvmSees() {
        assertThat(Facts.local().cpus().blockFirst(HANG)).isEqualTo(Runtime.getRuntime().availableProcessors());
    }

    @Test
    void addressesAreThoseOfTheMachineWithoutLoopback() throws Exception {
        List<InetAddress> addresses = Facts.local().addresses().blockFirst(HANG);
        assertThat(addresses).isNotNull().noneMatch(InetAddress::isLoopbackAddress).doesNotHaveDuplicates();
        List<InetAddress> all = new java.util.ArrayList<>();
        for (var nic : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
            if (nic.isUp()) {
                all.addAll(java.util.Collections.list(nic.getInetAddresses()));
            }
        }
        assertThat(all).containsAll(addresses);
    }

    @Test
    void osComesFromOsRelease() throws Exception {
        OsRelease os = Facts.local().os().block(HANG);
        assertThat(os).isNotNull();
        Path file = Path.of("/etc/os-release");
        if (Files.exists(file)) {
            String text = Files.readString(file);
            assertThat(text).contains("ID=" + os.id());
            assertThat(os.name()).isNotEmpty();
            assertThat(text).contains(os.version());
            assertThat(os.fields()).containsEntry("ID", os.id());
        }
    }

    @Test
    void envIsTheProcesssEnvironment() {
        Facts facts = Facts.local();
        assertThat(facts.env("PATH").block(HANG)).isEqualTo(Optional.ofNullable(System.getenv("PATH")));
        assertThat(facts.env("MGMT_SURELY_NOT_SET_42").block(HANG)).isEmpty();
    }

    @Test
    void aChangingFactIsPolledAndOnlyChangesAreEmitted() {
        AtomicReference<String> name = new AtomicReference<>("a");
        AtomicInteger reads = new AtomicInteger();
        StepVerifier.withVirtualTime(() -> facts(name, reads).hostname())
                .expectNext("a")
                .expectNoEvent(Duration.ofSeconds(25))
                .then(() -> name.set("b"))
                .thenAwait(Duration.ofSeconds(5))
                .expectNext("b")
                .thenAwait(Duration.ofSeconds(10))
                .thenCancel()
                .verify(HANG);
        // At 0, 10, 20, 30 and 40 virtual seconds: polled, not once per emission.
        assertThat(reads.get()).isEqualTo(5);
    }

    private static Facts facts(AtomicReference<String> name, AtomicInteger reads) {
        HostProbe probe = new HostProbe() {
            @Override
            public String hostname() {
                reads.incrementAndGet();
                return name.get();
            }

            @Override
            public int cpus() {
                return 1;
            }

            @Override
            public List<InetAddress> addresses() {
                return List.of();
            }

            @Override
            public Optional<String> osRelease() {
                return Optional.empty();
            }

            @Override
            public Optional<String> env(String variable) {
                return Optional.empty();
            }
        };
        return new Facts(Duration.ofSeconds(10), VirtualTimeScheduler.get(), Schedulers.immediate(), probe);
    }

    @Test
    void aPollIntervalMustBePositive() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Facts.polling(Duration.ZERO))
                .hasMessage("the poll interval must be more than 0s, not 0s");
    }
}
