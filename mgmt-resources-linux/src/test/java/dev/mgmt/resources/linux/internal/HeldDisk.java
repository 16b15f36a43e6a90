package dev.mgmt.resources.linux.internal;

import dev.mgmt.resources.linux.internal.FileHandle.Stat;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * A disk for {@link GroupFlush} that records its calls; a flush waits until the test opens the
 * gate. Its {@code syncfs} descriptors are fake numbers; {@link #untrusted} file systems have none.
 */
class HeldDisk implements GroupFlush.Disk {
    final List<String> calls = new CopyOnWriteArrayList<>();
    final CountDownLatch firstCall = new CountDownLatch(1);
    final CountDownLatch gate = new CountDownLatch(1);
    volatile IOException fsyncError;
    volatile IOException syncfsError;
    volatile boolean syncfsRefused;
    volatile boolean untrusted;

    private void hold() {
        firstCall.countDown();
        try {
            gate.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean syncfsTrusted(FileHandle written, long dev) {
        return !untrusted;
    }

    @Override
    public int syncfsDescriptor(Path dir, long dev) {
        calls.add("open " + dev);
        return (int) dev + 100;
    }

    @Override
    public void syncfs(int fd, Path dir) throws IOException {
        calls.add("syncfs " + fd);
        hold();
        if (syncfsRefused) {
            throw new UnsupportedOperationException("refused");
        }
        if (syncfsError != null) {
            throw syncfsError;
        }
    }

    @Override
    public void close(int fd) {
        calls.add("close " + fd);
    }

    @Override
    public void fsync(Path path, FileHandle held, Stat written) throws IOException {
        calls.add("fsync " + path);
        hold();
        if (fsyncError != null) {
            throw fsyncError;
        }
    }
}
