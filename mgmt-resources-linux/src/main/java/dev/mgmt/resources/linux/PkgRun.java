package dev.mgmt.resources.linux;

import dev.mgmt.api.Report;
import dev.mgmt.resources.linux.internal.PkgBackends;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The run state of a {@code pkg} resource or group: the backend it holds, and what the last
 * check found, so the apply that follows touches only those packages.
 */
final class PkgRun {

    private static final Logger log = LoggerFactory.getLogger("dev.mgmt.pkg");

    private final PkgResource.Backend choice;
    private final PkgBackend using;
    private PkgBackends.Lease lease; // guarded by this
    private volatile Map<String, String> lastPending;

    PkgRun(PkgResource.Backend choice, PkgBackend using) {
        this.choice = choice;
        this.using = using;
    }

    PkgBackend using() {
        return using;
    }

    /** The backend: the one handed in, or a lease on the shared one (deciding {@code auto} now). */
    synchronized PkgBackend backend() {
        if (using != null) {
            return using;
        }
        if (lease == null) {
            lease = PkgBackends.lease(choice);
        }
        return lease.backend();
    }

    Mono<Boolean> check(List<PkgResource> members) {
        return Mono.fromCallable(this::backend).flatMap(b -> b.pending(members)).flatMap(p -> {
            lastPending = p;
            if (p.isEmpty()) {
                return Mono.just(Boolean.TRUE);
            }
            return Report.say(describe(p)).thenReturn(Boolean.FALSE);
        });
    }

    Mono<Void> apply(List<PkgResource> members) {
        return Mono.fromCallable(this::backend).flatMap(b -> {
            Map<String, String> known = lastPending;
            lastPending = null;
            Mono<Map<String, String>> pending = known != null ? Mono.just(known) : b.pending(members);
            return pending.flatMap(p -> {
                List<PkgResource> todo = members.stream().filter(m -> p.containsKey(m.name())).toList();
                return todo.isEmpty() ? Mono.<String>empty() : b.apply(todo);
            });
        }).flatMap(Report::say);
    }

    Flux<?> watch() {
        // Finding the backend blocks; the engine subscribes on its own work pool.
        return Mono.fromCallable(this::backend).flatMapMany(PkgBackend::watch);
    }

    /** The files package {@code name} ships; {@code lookup}: ask PackageKit when it is not installed. */
    List<String> files(String name, boolean lookup) {
        try {
            if (using != null) {
                return using.files(name);
            }
            return PkgBackends.files(choice, name, lookup);
        } catch (RuntimeException e) {
            log.debug("pkg[{}]: no file list: {}", name, e.toString());
            return List.of();
        }
    }

    synchronized void close() {
        if (lease != null) {
            lease.release();
            lease = null;
        }
    }

    static String describe(Map<String, String> pending) {
        return pending.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                .collect(Collectors.joining("; "));
    }
}
