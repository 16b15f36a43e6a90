package dev.mgmt.api;

import java.util.List;
import java.util.Optional;

/**
 * A resource with parameters that a {@link Sender} before it can set over an edge (mgmt's
 * send/recv): a {@code file}'s {@code content} from an {@code exec}'s {@code stdout}. A value
 * received that differs from the last one makes the receiver run (it is an event); the same
 * value again does not. See {@link RecvParam} for what the engine runs.
 */
public interface Receiver {

    /**
     * Every parameter this resource can receive, by name; the same for every resource of the
     * kind, and each {@linkplain RecvParam#owner owned} by a type the resource is.
     */
    List<RecvParam<?, ?>> receives();

    /**
     * Why this resource, as declared, would drop every value received for {@code param} (a
     * directory's {@code content}, anything of a file with {@code state: absent}); empty when
     * the parameter applies to it. An edge into an ignored parameter is a compile error naming
     * both ends, not values silently dropped at every run.
     */
    default Optional<String> ignores(RecvParam<?, ?> param) {
        return Optional.empty();
    }

    /** The parameter of {@code receiver} named {@code name}, if it is a receiver and has one. */
    static Optional<RecvParam<?, ?>> param(Resource receiver, String name) {
        if (!(receiver instanceof Receiver r)) {
            return Optional.empty();
        }
        return r.receives().stream().filter(p -> p.name().equals(name)).findFirst();
    }
}
