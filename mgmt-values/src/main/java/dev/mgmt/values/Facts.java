package dev.mgmt.values;

import dev.mgmt.values.internal.HostProbe;
import dev.mgmt.values.internal.LocalHost;
import dev.mgmt.values.internal.OsReleaseFile;
import dev.mgmt.values.internal.Polled;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Facts of this host as live values. Facts that can change while the process runs (hostname, CPUs,
 * addresses) are polled: each is a {@code Flux} that emits the current value at once, then each
 * change. Facts that cannot (the OS release, the environment) are a {@code Mono}. Reads run on
 * {@link Schedulers#boundedElastic()}, never on the caller's or a parallel thread.
 *
 * <pre>{@code
 * Facts facts = Facts.polling(Duration.ofSeconds(5));
 * facts.hostname().subscribe(name -> log.info("I am {}", name));
 * }</pre>
 */
public final class Facts {

    /** How often {@link #local()} polls. */
    public static final Duration DEFAULT_POLL = Duration.ofSeconds(10);

    private final Duration every;
    private final Scheduler clock;
    private final Scheduler io;
    private final HostProbe host;

    Facts(Duration every, Scheduler clock, Scheduler io, HostProbe host) {
        this.every = Polled.positive(every, "poll interval");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.io = Objects.requireNonNull(io, "io");
        this.host = Objects.requireNonNull(host, "host");
    }

    /** This host's facts, polled every {@link #DEFAULT_POLL}. */
    public static Facts local() {
        return polling(DEFAULT_POLL);
    }

    /** This host's facts, polled every {@code every} on {@link Schedulers#parallel()}. */
    public static Facts polling(Duration every) {
        return polling(every, Schedulers.parallel());
    }

    /**
     * This host's facts, polled every {@code every} on {@code clock}; give a
     * {@code VirtualTimeScheduler} to test in virtual time.
     */
    public static Facts polling(Duration every, Scheduler clock) {
        return new Facts(every, clock, Schedulers.boundedElastic(), new LocalHost());
    }

    /**
     * The hostname, as the kernel has it ({@code /proc/sys/kernel/hostname}; see
     * {@link dev.mgmt.api.MachineName}). A name that cannot be read is an error, not a stand-in.
     */
    public Flux<String> hostname() {
        return Polled.every(every, clock, io, host::hostname);
    }

    /** The number of processors available to this process. */
    public Flux<Integer> cpus() {
        return Polled.every(every, clock, io, host::cpus);
    }

    /**
     * The addresses of this host's interfaces that are up, without loopback and link-local ones:
     * IPv4 first, then IPv6, each in numeric order.
     */
    public Flux<List<InetAddress>> addresses() {
        return Polled.every(every, clock, io, host::addresses);
    }

    /** The operating system, from {@code /etc/os-release}; read once per subscription. */
    public Mono<OsRelease> os() {
        return Mono.fromCallable(() -> OsReleaseFile.parse(host.osRelease())).subscribeOn(io);
    }

    /** The environment variable {@code name}; empty when it is not set. A process's environment does not change. */
    public Mono<Optional<String>> env(String name) {
        Objects.requireNonNull(name, "variable name");
        return Mono.fromCallable(() -> host.env(name));
    }
}
