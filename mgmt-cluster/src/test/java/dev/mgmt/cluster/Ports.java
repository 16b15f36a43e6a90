package dev.mgmt.cluster;

import dev.mgmt.test.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Free loopback ports for in-JVM hosts: {@link FreePorts}, below the ephemeral range. */
public final class Ports {

    private Ports() {
    }

    public static int free() {
        try {
            return FreePorts.loopback();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String loopback() {
        return "127.0.0.1:" + free();
    }
}
