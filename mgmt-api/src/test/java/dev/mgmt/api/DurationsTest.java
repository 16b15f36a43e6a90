package dev.mgmt.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DurationsTest {

    @ParameterizedTest
    @CsvSource({
            "500, MILLIS, 500",
            "5, SECONDS, 5000",
            "-1, SECONDS, -1000",
            "1.5, SECONDS, 1500",
            "0, MILLIS, 0",
            "500ms, SECONDS, 500",
            "10s, MILLIS, 10000",
            "1.5s, MILLIS, 1500",
            "2m, MILLIS, 120000",
            "1h30m, MILLIS, 5400000",
            "-1ms, SECONDS, -1",
            "1000us, SECONDS, 1",
            "' 10s ', SECONDS, 10000",
    })
    void reads_a_bare_number_in_the_settings_unit_or_a_go_duration(String text, ChronoUnit unit, long millis) {
        assertThat(Durations.parse(text, unit)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @CsvSource({"5 s", "s", "10x", "1h-30m", "''", "ten", "--1s", "1e3"})
    void refuses_what_is_not_a_duration(String text) {
        assertThatThrownBy(() -> Durations.parse(text, ChronoUnit.SECONDS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a duration")
                .hasMessageContaining("number of seconds");
    }

    @ParameterizedTest
    @CsvSource({"1ns, SECONDS", "0.5ns, SECONDS", "300000000h, SECONDS"})
    void refuses_what_no_duration_holds_exactly(String text, ChronoUnit unit) {
        if (text.equals("1ns")) {
            assertThat(Durations.parse(text, unit)).isEqualTo(Duration.ofNanos(1));
            return;
        }
        assertThatThrownBy(() -> Durations.parse(text, unit)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource({"0, 0s", "1, 1ms", "-1, -1ms", "1500, 1.5s", "10000, 10s", "120000, 2m", "5400000, 1h30m",
            "5401500, 1h30m1.5s", "250, 250ms"})
    void formats_what_it_reads(long millis, String text) {
        assertThat(Durations.format(Duration.ofMillis(millis))).isEqualTo(text);
        assertThat(Durations.parse(text, ChronoUnit.SECONDS)).isEqualTo(Duration.ofMillis(millis));
    }
}
