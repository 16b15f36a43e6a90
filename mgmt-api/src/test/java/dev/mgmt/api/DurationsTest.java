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

    @org.junit.jupiter.api.Test
    void formats_durations_beyond_what_nanoseconds_in_a_long_hold() {
        assertThat(Durations.format(Duration.ofDays(-200_000))).isEqualTo("-4800000h");
        assertThat(Durations.format(Duration.ofSeconds(Long.MAX_VALUE / 2, 1)))
                .isEqualTo("1281023894007607h45m3.000000001s");
    }

    /**
     * Whole numbers are read in long arithmetic (no BigDecimal on a short run's path); the
     * result, or the failure, must be the exact reading's: here computed apart, in BigInteger.
     */
    @org.junit.jupiter.api.Test
    void whole_numbers_read_in_long_arithmetic_are_exact_up_to_the_limit() {
        java.util.Random random = new java.util.Random(18);
        String[] units = {"ns", "us", "ms", "s", "m", "h"};
        long[] nanos = {1L, 1_000L, 1_000_000L, 1_000_000_000L, 60_000_000_000L, 3_600_000_000_000L};
        java.math.BigInteger max = java.math.BigInteger.valueOf(Long.MAX_VALUE);
        java.math.BigInteger min = java.math.BigInteger.valueOf(Long.MIN_VALUE);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder text = new StringBuilder(random.nextBoolean() ? "" : random.nextBoolean() ? "-" : "+");
            java.math.BigInteger total = java.math.BigInteger.ZERO;
            boolean bare = random.nextInt(3) == 0;
            ChronoUnit unit = random.nextBoolean() ? ChronoUnit.SECONDS : ChronoUnit.MILLIS;
            for (int parts = bare ? 1 : 1 + random.nextInt(3), p = 0; p < parts; p++) {
                String digits = Long.toString(Math.abs(random.nextLong()) >>> random.nextInt(64));
                int u = random.nextInt(units.length);
                text.append(digits).append(bare ? "" : units[u]);
                total = total.add(new java.math.BigInteger(digits).multiply(java.math.BigInteger.valueOf(
                        bare ? unit.getDuration().toNanos() : nanos[u])));
            }
            if (text.charAt(0) == '-') {
                total = total.negate();
            }
            if (i % 1_000 == 0) {
                // Past a long's 19 digits, and just past its largest value: the exact way decides.
                text.setLength(0);
                text.append(i % 2_000 == 0 ? "9999999999999999999" : "9223372036854775808");
                total = new java.math.BigInteger(text.toString()).multiply(java.math.BigInteger.valueOf(
                        unit.getDuration().toNanos()));
            }
            String t = text.toString();
            if (total.compareTo(max) > 0 || total.compareTo(min) < 0) {
                assertThatThrownBy(() -> Durations.parse(t, unit)).as(t).hasMessageContaining("too long a duration");
            } else {
                assertThat(Durations.parse(t, unit)).as(t).isEqualTo(Duration.ofNanos(total.longValueExact()));
            }
        }
    }
}
