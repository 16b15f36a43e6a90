package dev.mgmt.resources.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;

/**
 * The watch runs on the thread that subscribes (the engine's work pool), never on Reactor's
 * shared {@code boundedElastic} threads: those outlive a closed engine by a minute, which kept
 * a program under {@code mvn exec:java} waiting.
 */
@Timeout(30)
class HostnameWatchThreadTest {

    @TempDir
    java.nio.file.Path tmp;

    @Test
    void theWatchSubscribesOnTheCallersThread() {
        HostnameResource h = HostnameResource.builder("h").hostname("a.example.com")
                .bus("unix:path=" + tmp.resolve("no-bus")).build();
        AtomicReference<Thread> failedOn = new AtomicReference<>();
        AtomicReference<Throwable> error = new AtomicReference<>();
        try {
            h.watch().doOnError(e -> {
                failedOn.set(Thread.currentThread());
                error.set(e);
            }).onErrorResume(e -> Mono.empty()).blockLast();
        } finally {
            h.close();
        }
        assertThat(error.get()).hasMessageContaining("hostname[h]").hasMessageContaining("no-bus");
        assertThat(failedOn.get()).isSameAs(Thread.currentThread());
    }
}
