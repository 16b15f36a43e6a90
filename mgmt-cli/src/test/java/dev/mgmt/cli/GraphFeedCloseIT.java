package dev.mgmt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.api.codec.ResourceCodec;
import dev.mgmt.cli.TemplateInputs.Needs;
import dev.mgmt.cli.TemplateInputs.Snapshot;
import dev.mgmt.engine.Engine;
import dev.mgmt.test.Waits;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * {@link GraphFeed#close()} on the feed's own reload thread, as {@code mgmt run} has it: with a
 * reload under way it waits for the reload's swap to return, so that the engine is never closed
 * under it; with none it disposes the thread at once. (In-process, yet named *IT: the CLI runs
 * only those.)
 */
@Timeout(30)
class GraphFeedCloseIT {

    @TempDir
    Path dir;

    private final Scheduler serial = Schedulers.newSingle("feed-close-it", true);
    private final CountDownLatch inSwap = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicBoolean swapReturned = new AtomicBoolean();
    private final AtomicInteger swaps = new AtomicInteger();
    private GraphFeed feed;

    @BeforeEach
    void start() throws Exception {
        Path yaml = dir.resolve("g.yaml");
        Files.writeString(yaml, """
                graph: close
                resources:
                  noop:
                  - name: a
                """);
        GraphLoader loader = new GraphLoader(yaml, ResourceCodec.standard(), g -> Engine.builder().compile(g),
                new PrintStream(OutputStream.nullOutputStream()));
        feed = new GraphFeed(loader, null, g -> {
            swaps.incrementAndGet();
            inSwap.countDown();
            // As an engine's swap does, it finishes whatever the caller's thread is told.
            boolean interrupted = false;
            while (release.getCount() > 0) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            swapReturned.set(true);
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            return true;
        }, Needs.NONE, Snapshot.local("h"), serial, Schedulers.immediate());
        feed.start();
    }

    @Test
    void closeWaitsForTheSwapOfAReloadUnderWay() throws Exception {
        feed.edited();
        assertThat(inSwap.await(Waits.HANG.toMillis(), TimeUnit.MILLISECONDS))
                .as("the reload's swap began").isTrue();
        AtomicBoolean swapReturnedBeforeClose = new AtomicBoolean();
        Thread closer = new Thread(() -> {
            feed.close();
            swapReturnedBeforeClose.set(swapReturned.get());
        }, "closer");
        closer.start();
        Waits.until(() -> closer.getState() == Thread.State.WAITING || closer.getState() == Thread.State.TIMED_WAITING
                || closer.getState() == Thread.State.TERMINATED, () -> "close to wait or return");
        release.countDown();
        closer.join(Waits.HANG.toMillis());
        assertThat(closer.isAlive()).as("close returned").isFalse();
        assertThat(swapReturnedBeforeClose).as("the swap had returned when close did").isTrue();
        assertThat(serial.isDisposed()).isTrue();
    }

    @Test
    void withNoReloadCloseDisposesTheThreadAndLaterEditsDoNothing() {
        release.countDown();
        feed.close();
        assertThat(serial.isDisposed()).isTrue();
        feed.edited();
        assertThat(swaps).hasValue(0);
        assertThat(feed.state()).isEqualTo(FeedState.IDLE);
    }
}
