package dev.mgmt.engine.resources;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The body search of http:ready's {@code contains}. */
class HttpProbeTest {

    private static int find(String hay, String needle) {
        return HttpProbe.indexOf(hay.getBytes(StandardCharsets.UTF_8), needle.getBytes(StandardCharsets.UTF_8));
    }

    private static int naive(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void findsTheFirstOccurrence() {
        assertThat(find("{\"status\":\"UP\"}", "\"UP\"")).isEqualTo(10);
        assertThat(find("aaab", "aab")).isEqualTo(1);
        assertThat(find("abababc", "ababc")).isEqualTo(2);
        assertThat(find("abcabd abcabc", "abcabc")).isEqualTo(7);
        assertThat(find("xx", "x")).isEqualTo(0);
        assertThat(find("ab", "abc")).isEqualTo(-1);
        assertThat(find("", "a")).isEqualTo(-1);
        assertThat(find("a", "")).isEqualTo(0);
        assertThat(find("DOWN", "UP")).isEqualTo(-1);
    }

    @Test
    void agreesWithTheNaiveSearchOnRandomBytes() {
        Random random = new Random(17);
        for (int n = 0; n < 20_000; n++) {
            byte[] hay = new byte[random.nextInt(40)];
            byte[] needle = new byte[1 + random.nextInt(6)];
            int letters = 1 + random.nextInt(3); // few letters, so partial matches abound
            for (int i = 0; i < hay.length; i++) {
                hay[i] = (byte) ('a' + random.nextInt(letters));
            }
            for (int i = 0; i < needle.length; i++) {
                needle[i] = (byte) ('a' + random.nextInt(letters));
            }
            assertThat(HttpProbe.indexOf(hay, needle)).as("%s in %s", new String(needle), new String(hay))
                    .isEqualTo(naive(hay, needle));
        }
    }

    @Test
    void aCraftedBodyIsSearchedInLinearTime() {
        // 1 MiB of 'a' against a long needle that almost matches everywhere: a naive search makes
        // about 2^20 × 2^16 comparisons (minutes); this one at most twice the body.
        byte[] hay = new byte[HttpProbe.BODY_LIMIT];
        java.util.Arrays.fill(hay, (byte) 'a');
        byte[] needle = ("a".repeat(1 << 16) + "b").getBytes(StandardCharsets.UTF_8);
        long start = System.nanoTime();
        assertThat(HttpProbe.indexOf(hay, needle)).isEqualTo(-1);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("only catches a quadratic search")
                .isLessThan(Duration.ofSeconds(20));
    }
}
