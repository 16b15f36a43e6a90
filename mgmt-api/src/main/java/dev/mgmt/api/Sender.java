package dev.mgmt.api;

import java.util.List;
import java.util.Optional;

/**
 * A resource that sends values after it ran (mgmt's send/recv): an {@code exec} its output, a
 * {@code file} its content's hash. It lists its {@link SendKey}s here, and sends in its runs
 * with {@link SendKey#send}. A value goes over an edge to a {@link Receiver} after the sender
 * (see {@link GraphBuilder#send}); compile checks the names and types of both ends.
 */
public interface Sender {

    /**
     * Every key this resource sends, by name; the same for every resource of the kind, and each
     * {@linkplain SendKey#owner owned} by a type the resource is.
     */
    List<SendKey<?, ?>> sends();

    /** The key of {@code sender} named {@code name}, if it is a sender and has one. */
    static Optional<SendKey<?, ?>> key(Resource sender, String name) {
        if (!(sender instanceof Sender s)) {
            return Optional.empty();
        }
        return s.sends().stream().filter(k -> k.name().equals(name)).findFirst();
    }
}
