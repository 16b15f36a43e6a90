package dev.mgmt.resources.linux.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/** A disk for {@link GroupFlush} that records its calls; each waits until the test opens the gate. */
final class HeldDisk implements GroupFlush.Disk {
    final List<String> calls = new CopyOnWriteArrayList<>();
    final CountDownLatch firstCall = new CountDownLatch(1);
    final CountDownLatch gate = new CountDownLatch(1);
    volatile IOException fsyncError;
    volatile IOException syncfsError;
    volatile boolean syncfsRefused;

    private void hold() {
        firstCall.countDown();
        try {
            gate.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void fsync(Path path) throws IOException {
        calls.add("fsync " + path);
        hold();
        if (fsyncError != null) {
            throw fsyncError;
        }
    }

    @Override
    public void syncfs(Path dir) throws IOException {
        calls.add("syncfs " + dir);
        hold();
        if (syncfsRefused) {
            throw new UnsupportedOperationException("refused");
        }
        if (syncfsError != null) {
            throw syncfsError;
        }
    }
}
