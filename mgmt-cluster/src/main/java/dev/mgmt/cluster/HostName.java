package dev.mgmt.cluster;

import dev.mgmt.api.Quoted;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

/**
 * What a host's name may be: a plain host name of letters, digits, {@code -}, {@code .} and
 * {@code _}, at most 253 characters. A host's name reaches file names, log lines and every
 * peer's messages, so a newline, a right-to-left override or a NUL is refused at start instead
 * of being escaped everywhere it goes.
 */
public final class HostName {

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9._-]{1,253}");
    private static final Path KERNEL_HOSTNAME = Path.of("/proc/sys/kernel/hostname");

    private HostName() {
    }

    /** Whether {@code name} is a plain host name. */
    public static boolean isPlain(String name) {
        return name != null && PLAIN.matcher(name).matches();
    }

    /**
     * Returns {@code name} when it is a plain host name.
     *
     * @param what how the caller calls it, such as {@code --hostname}; starts the message
     * @throws IllegalArgumentException naming the name (escaped) and what is allowed
     */
    public static String check(String what, String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException(what + ": must not be empty");
        }
        if (!isPlain(name)) {
            throw new IllegalArgumentException(what + ": " + Quoted.of(name) + " is not a plain host name "
                    + "(letters, digits, '-', '.' and '_', at most 253)");
        }
        return name;
    }

    /**
     * This machine's name as its kernel has it: on Linux {@code /proc/sys/kernel/hostname} (what
     * {@code hostname} prints, per UTS namespace), never looked up, so a name that no DNS server
     * or {@code /etc/hosts} knows is still this machine's name and asking never waits on the
     * network. Elsewhere the JDK's local host name (which is looked up); {@code localhost} when
     * neither answers. Not checked: see {@link #isPlain}.
     */
    public static String local() {
        return local(KERNEL_HOSTNAME, () -> InetAddress.getLocalHost().getHostName());
    }

    /** {@link #local()} with the kernel's file and the JDK's answer given, for tests. */
    static String local(Path kernelHostname, Callable<String> elsewhere) {
        try {
            String name = Files.readString(kernelHostname, StandardCharsets.UTF_8).strip();
            if (!name.isEmpty()) {
                return name;
            }
        } catch (IOException e) {
            // Not Linux: the JDK's way below.
        }
        try {
            return elsewhere.call();
        } catch (Exception e) {
            return "localhost";
        }
    }
}
