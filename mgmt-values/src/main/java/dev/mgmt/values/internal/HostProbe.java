package dev.mgmt.values.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/** Where facts come from: the real machine ({@link LocalHost}), or a fake in tests. */
public interface HostProbe {

    /** This host's name. */
    String hostname() throws IOException;

    /** Processors available to the JVM. */
    int cpus();

    /** Addresses of interfaces that are up, without loopback and link-local ones, in a stable order. */
    List<InetAddress> addresses() throws IOException;

    /** The text of the os-release file; empty when there is none. */
    Optional<String> osRelease() throws IOException;

    /** The environment variable {@code name}. */
    Optional<String> env(String name);
}
