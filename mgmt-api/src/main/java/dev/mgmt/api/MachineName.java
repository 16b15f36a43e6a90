package dev.mgmt.api;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * This machine's name as its kernel has it, read one way wherever mgmt needs it (a host's
 * default name in a cluster, the {@code hostname} fact).
 *
 * <p>On Linux it is {@code /proc/sys/kernel/hostname} (what {@code hostname} prints, per UTS
 * namespace), never looked up: a name that no DNS server or {@code /etc/hosts} knows is still
 * this machine's name, and reading it never waits on the network. Only where that file does not
 * exist (not Linux, or no {@code /proc}) is the JDK's local host name taken, which is looked up. A name that cannot be
 * read is an error that says why, never a stand-in such as {@code localhost}: two hosts would
 * then share one name in a cluster. What the name may contain is the caller's to check.
 */
public final class MachineName {

    private static final Path KERNEL_HOSTNAME = Path.of("/proc/sys/kernel/hostname");

    private MachineName() {
    }

    /**
     * This machine's name.
     *
     * @throws IOException when it cannot be read: the kernel's name is empty or unreadable, or
     *                     (without the kernel's file) the JDK's lookup failed; the message says which
     */
    public static String read() throws IOException {
        return read(KERNEL_HOSTNAME, () -> InetAddress.getLocalHost().getHostName());
    }

    /** {@link #read()} with the kernel's file and the JDK's answer given, for tests. */
    static String read(Path kernelHostname, Callable<String> elsewhere) throws IOException {
        String name;
        try {
            name = Files.readString(kernelHostname, StandardCharsets.UTF_8).strip();
        } catch (NoSuchFileException notLinux) {
            return elsewhere(elsewhere);
        } catch (IOException e) {
            throw new IOException("cannot read this machine's name from " + kernelHostname + ": " + e, e);
        }
        if (name.isEmpty()) {
            throw new IOException("this machine has no name: " + kernelHostname + " is empty");
        }
        return name;
    }

    private static String elsewhere(Callable<String> jdk) throws IOException {
        String name;
        try {
            name = jdk.call();
        } catch (Exception e) {
            throw new IOException("cannot look up this machine's name: " + e, e);
        }
        if (name == null || name.isBlank()) {
            throw new IOException("this machine has no name: the JDK's local host name is empty");
        }
        return name.strip();
    }
}
