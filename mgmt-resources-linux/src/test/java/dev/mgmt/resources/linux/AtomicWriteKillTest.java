package dev.mgmt.resources.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills (SIGKILL) a real child process while its engine rewrites a 10 MB file, 20 times at
 * random moments. The target must always be absent (before the first write) or exactly one of
 * the two full contents, never partial. A killed write leaves at most a temp file
 * {@code .big.mgmt-*}; the first write into the directory by a later process removes it.
 */
class AtomicWriteKillTest {

    private static final int KILLS = 20;

    @TempDir
    Path tmp;

    @Test
    void aKilledWriterNeverLeavesPartialContent() throws Exception {
        Path target = tmp.resolve("big");
        byte[] a = KillChild.content('a').getBytes(StandardCharsets.UTF_8);
        byte[] b = KillChild.content('b').getBytes(StandardCharsets.UTF_8);
        assertThat(a.length).isGreaterThanOrEqualTo(10 * 1024 * 1024);
        Random random = new Random();
        long seed = random.nextLong();
        random.setSeed(seed);
        int absent = 0;
        int sawA = 0;
        int sawB = 0;
        int maxTemps = 0;
        int midWrite = 0;
        for (int i = 0; i < KILLS; i++) {
            Process child = startChild(target, i);
            try {
                awaitStarted(child);
                // The first kill comes at once, most likely before the first write is renamed in place;
                // one 10 MB write with its fsyncs takes tens of ms here.
                int delay = i == 0 ? 0 : random.nextInt(700);
                Thread.sleep(delay);
                child.destroyForcibly(); // SIGKILL on Linux
                assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("child %d died", i).isTrue();
            } finally {
                child.destroyForcibly();
            }
            if (!Files.exists(target)) {
                absent++;
            } else {
                byte[] now = Files.readAllBytes(target);
                boolean isA = Arrays.equals(now, a);
                boolean isB = Arrays.equals(now, b);
                assertThat(isA || isB).as("kill %d (seed %d): %d bytes, neither whole content", i, seed, now.length)
                        .isTrue();
                sawA += isA ? 1 : 0;
                sawB += isB ? 1 : 0;
            }
            int left = temps(target).size();
            midWrite += left > 0 ? 1 : 0;
            maxTemps = Math.max(maxTemps, left);
        }
        System.out.printf("SIGKILL x%d (seed %d): absent %d, content a %d, content b %d; %d kills landed "
                + "mid-write (a temp file was left)%n", KILLS, seed, absent, sawA, sawB, midWrite);
        assertThat(maxTemps).as("stale temps are swept by the next process, so they never pile up")
                .isLessThanOrEqualTo(1);

        // A later writer sweeps what the last kill left.
        FileResource after = FileResource.file(target.toString(), "settled\n");
        after.apply().block();
        assertThat(Files.readString(target)).isEqualTo("settled\n");
        assertThat(temps(target)).isEmpty();
    }

    private Process startChild(Path target, int i) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), KillChild.class.getName(), target.toString());
        pb.redirectError(tmp.resolve("child-" + i + ".err").toFile());
        return pb.start();
    }

    private static void awaitStarted(Process child) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assertThat(line).as("child says it started").isEqualTo("started");
    }

    private static List<Path> temps(Path target) throws IOException {
        String prefix = "." + target.getFileName() + ".mgmt-";
        try (Stream<Path> s = Files.list(target.getParent())) {
            return s.filter(p -> p.getFileName().toString().startsWith(prefix)).toList();
        }
    }
}
