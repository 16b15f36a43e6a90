package dev.mgmt.metrics.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.engine.CheckTotals;
import dev.mgmt.metrics.CheckTiming;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Check durations appended by the threads that ran them and recorded in batches: none lost, none twice. */
class CheckRecorderTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final KindMeters file = new KindMeters(registry, "file", CheckTiming.HISTOGRAM, () -> CheckTotals.NONE, m -> { });
    private final KindMeters exec = new KindMeters(registry, "exec", CheckTiming.HISTOGRAM, () -> CheckTotals.NONE, m -> { });
    private final CheckRecorder recorder = new CheckRecorder(Map.of("file", file, "exec", exec)::get);

    @Test
    void checksFromTwoThreadsWhileAThirdDrainsAreEachRecordedOnce() throws Exception {
        int perThread = 100_000;
        CountDownLatch go = new CountDownLatch(1);
        Thread[] workers = new Thread[2];
        for (int w = 0; w < workers.length; w++) {
            String kind = w == 0 ? "file" : "exec";
            workers[w] = new Thread(() -> {
                await(go);
                for (int i = 0; i < perThread; i++) {
                    recorder.add(kind, i, i + 1_000);
                }
            });
            workers[w].start();
        }
        AtomicBoolean done = new AtomicBoolean();
        Thread drainer = new Thread(() -> {
            while (!done.get()) {
                recorder.drain();
            }
        });
        drainer.start();
        go.countDown();
        for (Thread w : workers) {
            w.join();
        }
        done.set(true);
        drainer.join();
        recorder.drain();

        for (KindMeters k : new KindMeters[] {file, exec}) {
            assertThat(k.checkCount()).isEqualTo(perThread);
            assertThat(k.checkNanos()).isEqualTo(perThread * 1_000.0);
        }
    }

    @Test
    void aFullBatchIsRecordedByItsOwnThread() {
        for (int i = 0; i <= CheckRecorder.CAPACITY; i++) {
            recorder.add("file", 0, 10);
        }
        assertThat(file.checkCount()).isEqualTo(CheckRecorder.CAPACITY);
        recorder.drain();
        assertThat(file.checkCount()).isEqualTo(CheckRecorder.CAPACITY + 1);
    }

    @Test
    void aCheckWaitsNoLongerThanMaxAgeInABusyThread() {
        recorder.add("file", 0, 10);
        recorder.add("file", 10, CheckRecorder.MAX_AGE_NANOS - 1);
        assertThat(file.checkCount()).isZero();
        // The next check ends a second after the oldest waiting one: those waiting are recorded.
        recorder.add("file", 20, CheckRecorder.MAX_AGE_NANOS + 10);
        assertThat(file.checkCount()).isEqualTo(2);
    }

    @Test
    void theBatchOfAThreadThatEndedIsRecordedThenLetGo() throws Exception {
        Thread t = new Thread(() -> recorder.add("exec", 0, 5));
        t.start();
        t.join();
        assertThat(recorder.batches()).isEqualTo(1);
        recorder.drain();
        assertThat(exec.checkCount()).isEqualTo(1);
        assertThat(recorder.batches()).isZero();
    }

    @Test
    void totalsAreAFunctionTimerOfTheEnginesCountAndAHistogramATimerWithBuckets() {
        KindMeters line = new KindMeters(registry, "line", CheckTiming.TOTALS,
                () -> new CheckTotals(2, 1, 4_000), m -> { });
        recorder.add("exec", 0, 3_000);
        recorder.drain();
        var totals = registry.get("mgmt.check.duration").tags("kind", "line").functionTimer();
        assertThat(totals.count()).isEqualTo(3);
        assertThat(totals.totalTime(TimeUnit.NANOSECONDS)).isEqualTo(4_000);
        assertThat(registry.get("mgmt.checks").tags("kind", "line", "result", "dirty").functionCounter().count())
                .isEqualTo(1);
        assertThat(line.checkCount()).isEqualTo(3);
        var histogram = registry.get("mgmt.check.duration").tags("kind", "exec").timer();
        assertThat(histogram.count()).isEqualTo(1);
        assertThat(histogram.totalTime(TimeUnit.NANOSECONDS)).isEqualTo(3_000);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
