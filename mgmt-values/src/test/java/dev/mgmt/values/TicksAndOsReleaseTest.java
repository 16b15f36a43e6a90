package dev.mgmt.values;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.values.internal.OsReleaseFile;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/** Ticks in virtual time, and os-release(5) parsing. */
class TicksAndOsReleaseTest {

    @Test
    void ticksComeAtOnceThenEveryInterval() {
        StepVerifier.withVirtualTime(() -> Values.ticks(Duration.ofMinutes(1), VirtualTimeScheduler.get()))
                .expectNext(0L)
                .expectNoEvent(Duration.ofSeconds(59))
                .thenAwait(Duration.ofSeconds(1))
                .expectNext(1L)
                .thenAwait(Duration.ofMinutes(1))
                .expectNext(2L)
                .thenCancel()
                .verify(Eventually.HANG);
    }

    @Test
    void aBusySubscriberMissesTicksInsteadOfFailing() {
        StepVerifier.withVirtualTime(() -> Values.ticks(Duration.ofSeconds(1), VirtualTimeScheduler.get()), 1)
                .expectNext(0L)
                .thenAwait(Duration.ofSeconds(10))
                .thenRequest(1)
                .expectNoEvent(Duration.ofMillis(500))
                .thenAwait(Duration.ofMillis(500))
                .expectNext(11L)
                .thenCancel()
                .verify(Eventually.HANG);
    }

    @Test
    void osReleaseFieldsAreUnquotedAsInAShell() {
        OsRelease os = OsReleaseFile.parse(Optional.of("""
                # comment
                PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
                NAME='Debian GNU/Linux'
                VERSION_ID="12"
                ID=debian
                HOME_URL="https://www.debian.org/\\"quoted\\""

                """));
        assertThat(os.id()).isEqualTo("debian");
        assertThat(os.name()).isEqualTo("Debian GNU/Linux");
        assertThat(os.version()).isEqualTo("12");
        assertThat(os.fields()).containsEntry("PRETTY_NAME", "Debian GNU/Linux 12 (bookworm)")
                .containsEntry("HOME_URL", "https://www.debian.org/\"quoted\"");
    }

    @Test
    void withoutOsReleaseTheJvmsOsNameAndVersion() {
        OsRelease os = OsReleaseFile.parse(Optional.empty());
        assertThat(os.name()).isEqualTo(System.getProperty("os.name"));
        assertThat(os.version()).isEqualTo(System.getProperty("os.version"));
        assertThat(os.id()).isEmpty();
    }
}
