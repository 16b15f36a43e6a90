package dev.mgmt.cli;

import dev.mgmt.cluster.ClusterNode.HostPort;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Checks a cluster address flag before the cluster starts, so that a name that does not resolve
 * or an address this host cannot bind is one line naming the flag and the address (Atomix would
 * fail on it later with a bare {@code NullPointerException}).
 */
final class Addresses {

    private Addresses() {
    }

    /**
     * What is wrong with {@code flag address}, if anything.
     *
     * @param bind also try to listen on it (for {@code --listen}); port 0 or none only checks the host
     */
    static Optional<String> problem(String flag, String address, boolean bind) {
        HostPort hp;
        try {
            hp = HostPort.parse(address);
        } catch (IllegalArgumentException e) {
            return Optional.of(flag + " " + address + ": " + Messages.of(e));
        }
        InetAddress ip;
        try {
            ip = InetAddress.getByName(hp.host());
        } catch (UnknownHostException e) {
            return Optional.of(flag + " " + address + ": cannot resolve the host name '" + hp.host() + "'");
        }
        if (!bind) {
            return Optional.empty();
        }
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(ip, address.trim().endsWith(":" + hp.port()) ? hp.port() : 0));
        } catch (IOException e) {
            return Optional.of(cannotListen(flag, address, ip, e));
        }
        return Optional.empty();
    }

    /** Why listening on {@code flag address} ({@code ip}) failed with {@code e}, in one line. */
    static String cannotListen(String flag, String address, InetAddress ip, IOException e) {
        String why = String.valueOf(e.getMessage());
        if (why.contains("in use")) {
            return flag + " " + address + ": the port is already in use";
        }
        if (why.contains("assign requested address")) {
            return flag + " " + address + ": " + ip.getHostAddress() + " is not an address of this host";
        }
        if (why.contains("ermission denied")) {
            return flag + " " + address + ": permission denied (ports below 1024 need root)";
        }
        return flag + " " + address + ": cannot listen there: " + Messages.of(e);
    }
}
