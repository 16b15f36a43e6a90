package dev.mgmt.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link WorkPool} with real threads: its hand-offs between producers, spinning and parked
 * workers, the monitor that adds a thread for blocked work, and shutdown. The timeouts only
 * catch hangs; every wait is on a condition.
 */
@Timeout(60)
class WorkPoolTest {

    private WorkPool pool;

    @AfterEach
    void shutDown() throws InterruptedException {
        if (pool != null) {
            pool.shutdown();
            assertThat(pool.awaitTermination(System.nanoTime() + TimeUnit.SECONDS.toNanos(10))).isTrue();
        }
    }

    @Test
    void runsEveryTaskFromManyProducersAndBalancesItsWakeUps() throws InterruptedException {
        pool = new WorkPool("test-pool", 2, 8);
        int producers = 3;
        int perProducer = 50_000;
        AtomicInteger ran = new AtomicInteger();
        Thread[] threads = new Thread[producers];
        for (int p = 0; p < producers; p++) {
            threads[p] = new Thread(() -> {
                for (int i = 0; i < perProducer; i++) {
                    pool.execute(ran::incrementAndGet);
                    if (i % 1_000 == 0) {
                        // Let the workers go idle now and then, so hand-offs to parked ones happen too.
                        waitFor(() -> pool.parked() > 0);
                    }
                }
            });
            threads[p].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        waitFor(() -> ran.get() == producers * perProducer);
        // Idle again: every worker parked and listed for the next task.
        waitFor(() -> pool.parked() == pool.threads());
    }

    @Test
    void addsAThreadWhenEveryWorkerIsBlocked() throws InterruptedException {
        pool = new WorkPool("test-pool", 1, 4);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch blocked = new CountDownLatch(1);
        pool.execute(() -> {
            blocked.countDown();
            await(release);
        });
        assertThat(blocked.await(30, TimeUnit.SECONDS)).isTrue();
        CountDownLatch second = new CountDownLatch(1);
        pool.execute(second::countDown);
        // Runs on a thread the monitor adds, though the only core thread is stuck.
        assertThat(second.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(pool.threads()).isGreaterThanOrEqualTo(2);
        release.countDown();
    }

    /** The monitor's decision, as a table: queued work, whether any task started in the window, and the workers. */
    @org.junit.jupiter.params.ParameterizedTest(name = "queued={0} started={1} parked={2} spinning={3} -> {4}")
    @org.junit.jupiter.params.provider.CsvSource({
            // nothing queued: nothing to unblock
            "0, false, 0, 0, false",
            // work waits, nothing started, no worker idle or on its way: blocked
            "3, false, 0, 0, true",
            // a task started in the window: workers are moving
            "3, true,  0, 0, false",
            // a parked worker will take it (its producer wakes it)
            "3, false, 1, 0, false",
            // a spinning worker will take it
            "3, false, 0, 1, false",
    })
    void theMonitorAddsAThreadOnlyForBlockedWork(int queued, boolean started, int parked, int spinning, boolean stuck) {
        assertThat(WorkPool.stuck(queued, started, parked, spinning)).isEqualTo(stuck);
    }

    @Test
    void shutdownEndsEveryThreadAndStillRunsALateTask() throws InterruptedException {
        pool = new WorkPool("test-pool", 2, 8);
        CountDownLatch first = new CountDownLatch(4);
        for (int i = 0; i < 4; i++) {
            pool.execute(first::countDown);
        }
        assertThat(first.await(30, TimeUnit.SECONDS)).isTrue();
        pool.shutdown();
        assertThat(pool.awaitTermination(System.nanoTime() + TimeUnit.SECONDS.toNanos(30))).isTrue();
        CountDownLatch late = new CountDownLatch(1);
        pool.execute(late::countDown);
        assertThat(late.await(30, TimeUnit.SECONDS)).isTrue();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void waitFor(BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met in 30 s");
            }
            Thread.onSpinWait();
        }
    }
}
