package dev.mgmt.values.internal;

import dev.mgmt.api.MachineName;
import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Facts of the machine this JVM runs on. Every method may block: call them off Reactor's threads. */
public final class LocalHost implements HostProbe {

    private static final List<Path> OS_RELEASE = List.of(Path.of("/etc/os-release"), Path.of("/usr/lib/os-release"));

    // IPv4 before IPv6, then by the bytes: the order must not change between polls, or an
    // unchanged set of addresses would look like a change.
    private static final Comparator<InetAddress> ORDER = Comparator
            .<InetAddress>comparingInt(a -> a.getAddress().length)
            .thenComparing(InetAddress::getAddress, java.util.Arrays::compareUnsigned);

    @Override
    public String hostname() throws IOException {
        return MachineName.read();
    }

    @Override
    public int cpus() {
        return Runtime.getRuntime().availableProcessors();
    }

    @Override
    public List<InetAddress> addresses() throws IOException {
        List<InetAddress> out = new ArrayList<>();
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp() || nic.isLoopback()) {
                continue;
            }
            for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                if (!a.isLoopbackAddress() && !a.isLinkLocalAddress() && !out.contains(a)) {
                    out.add(a);
                }
            }
        }
        out.sort(ORDER);
        return List.copyOf(out);
    }

    @Override
    public Optional<String> osRelease() throws IOException {
        for (Path p : OS_RELEASE) {
            try {
                return Optional.of(Files.readString(p, StandardCharsets.UTF_8));
            } catch (NoSuchFileException e) {
                // try the next place the standard allows
            }
        }
        return Optional.empty();
    }

    @Override
    public Optional<String> env(String name) {
        return Optional.ofNullable(System.getenv(name));
    }
}
