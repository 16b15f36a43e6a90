package dev.mgmt.resources.linux.internal.systemd;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;
import org.freedesktop.dbus.connections.IDisconnectCallback;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;

/**
 * Opening a private D-Bus connection, shared by the systemd and hostnamed clients: each
 * address of a {@code ;}-separated list is tried in turn, a unix socket that is missing or
 * refuses is given up at once, and failures become one {@link SystemdException} that names
 * the address.
 */
public final class BusConnections {

    private BusConnections() {
    }

    /**
     * A new, unshared connection to the first address of {@code address} that answers, with
     * one signal thread (so signals are handled in the order they arrived).
     *
     * @param disconnected told when the connection is lost; may be {@code null}
     * @throws SystemdException naming {@code address} and the reason when none answers
     */
    public static DBusConnection open(String address, IDisconnectCallback disconnected) {
        Throwable last = null;
        for (String one : address.split(";")) {
            if (one.isBlank()) {
                continue;
            }
            try {
                probe(one.trim());
                DBusConnectionBuilder b = DBusConnectionBuilder.forAddress(one.trim()).withShared(false)
                        .receivingThreadConfig().withSignalThreadCount(1).connectionConfig();
                if (disconnected != null) {
                    b.withDisconnectCallback(disconnected);
                }
                return b.build();
            } catch (DBusException | IOException | RuntimeException e) {
                last = e;
            }
        }
        throw new SystemdException("cannot connect to D-Bus at " + address + ": " + reason(last), last);
    }

    /**
     * Fails fast on a unix socket that is missing or refuses connections: dbus-java takes
     * about ten seconds to give up on one. Other transports go straight to dbus-java.
     */
    private static void probe(String address) throws IOException {
        if (!address.startsWith("unix:")) {
            return;
        }
        for (String kv : address.substring("unix:".length()).split(",")) {
            if (kv.startsWith("path=")) {
                Path socket = Path.of(unescape(kv.substring("path=".length())));
                try {
                    SocketChannel.open(UnixDomainSocketAddress.of(socket)).close();
                    return;
                } catch (IOException e) {
                    String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                    throw new IOException(why, e);
                }
            }
        }
    }

    /** D-Bus address values escape bytes as {@code %xx}. */
    private static String unescape(String v) {
        if (v.indexOf('%') < 0) {
            return v;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '%' && i + 2 < v.length()) {
                out.write(Integer.parseInt(v.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.write((byte) c);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The most telling message of a failure and its cause, for a user. */
    public static String reason(Throwable e) {
        if (e == null) {
            return "no address given";
        }
        Throwable t = e;
        String msg = t.getMessage();
        while ((msg == null || msg.isBlank()) && t.getCause() != null) {
            t = t.getCause();
            msg = t.getMessage();
        }
        if (t.getCause() != null && t.getCause().getMessage() != null && !Objects.equals(msg, t.getCause().getMessage())
                && !msg.contains(t.getCause().getMessage())) {
            msg = msg + ": " + t.getCause().getMessage();
        }
        return msg == null || msg.isBlank() ? t.getClass().getSimpleName() : msg;
    }

    /**
     * Tells a client that its connection to {@code address} was lost. The callback is given to
     * the connection before the client that owns the connection exists, hence {@link #to}.
     */
    public static final class LossForwarder implements IDisconnectCallback {
        private final String address;
        private volatile Consumer<SystemdException> client;

        public LossForwarder(String address) {
            this.address = address;
        }

        /** From now on, a loss is told to {@code client}. */
        public void to(Consumer<SystemdException> client) {
            this.client = client;
        }

        @Override
        public void disconnectOnError(IOException e) {
            Consumer<SystemdException> c = client;
            if (c != null) {
                String why = e instanceof EOFException ? "the bus closed it" : e.getMessage();
                c.accept(new SystemdException("lost the D-Bus connection to " + address + ": " + why, e));
            }
        }
    }
}
