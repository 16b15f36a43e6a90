package dev.mgmt.api;

import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A send/recv edge: the value {@code from} sends for {@code key} becomes {@code to}'s parameter
 * {@code param} ({@code exec[gen].stdout -> file[out].content}). It orders {@code from} before
 * {@code to} as an edge does. Build one with {@link GraphBuilder#send}, which checks the types
 * when the Java code compiles; compile checks names and types again for graphs from YAML.
 *
 * @param from  the sender
 * @param key   the name of one of its {@link SendKey}s
 * @param to    the receiver
 * @param param the name of one of its {@link RecvParam}s
 */
public record SendRecv(ResourceId from, String key, ResourceId to, String param) {

    public SendRecv {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(param, "param");
    }

    /**
     * What is wrong with this edge between these two resources, naming both ends: a sender that
     * sends nothing or not this key, a receiver without this parameter, types that differ, or a
     * kind that lists a key or parameter of another class (a bug in that kind, which would fail
     * every run). Empty when it is fine.
     */
    public Optional<String> problem(Resource sender, Resource receiver) {
        if (!(sender instanceof Sender s)) {
            return Optional.of(this + ": a " + from.kind() + " sends no values");
        }
        Optional<SendKey<?, ?>> k = Sender.key(sender, key);
        if (k.isEmpty()) {
            return Optional.of(this + ": " + from + " sends no " + Quoted.of(key) + " (it sends "
                    + s.sends().stream().map(SendKey::name).collect(Collectors.joining(", ")) + ")");
        }
        if (!k.get().owner().isInstance(sender)) {
            return Optional.of(notOwned(from, "key", key, k.get().owner(), sender));
        }
        if (!(receiver instanceof Receiver r)) {
            return Optional.of(this + ": a " + to.kind() + " receives no values");
        }
        Optional<RecvParam<?, ?>> p = Receiver.param(receiver, param);
        if (p.isEmpty()) {
            return Optional.of(this + ": " + to + " cannot receive " + Quoted.of(param) + " (it receives "
                    + r.receives().stream().map(RecvParam::name).collect(Collectors.joining(", ")) + ")");
        }
        if (!p.get().owner().isInstance(receiver)) {
            return Optional.of(notOwned(to, "parameter", param, p.get().owner(), receiver));
        }
        if (!p.get().accepts(k.get())) {
            Class<?> sent = k.get().type();
            Class<?> taken = p.get().type();
            return Optional.of(from + "." + key + " (" + SendKey.typeName(sent, taken) + ") -> " + to + "." + param
                    + " (" + SendKey.typeName(taken, sent) + "): the types differ");
        }
        Optional<String> ignored = r.ignores(p.get());
        if (ignored.isPresent()) {
            return Optional.of(this + ": " + to + " ignores " + Quoted.of(param) + " (" + ignored.get()
                    + "), so every value sent would be dropped");
        }
        return Optional.empty();
    }

    private String notOwned(ResourceId id, String what, String name, Class<?> owner, Resource resource) {
        String of = SendKey.typeName(owner, resource.getClass());
        return this + ": " + id + " lists the " + what + " " + Quoted.of(name) + " of " + of + ", and "
                + SendKey.typeName(resource.getClass(), owner) + " is no " + of + " (a bug in the kind "
                + Quoted.of(id.kind()) + ")";
    }

    /**
     * The problem of a parameter that two edges feed, {@code first} and {@code second}, into
     * the same receiver's parameter: {@code fakerecv[r].text receives from both
     * fakesend[a].text and fakesend[b].text; a parameter receives from one sender}.
     */
    public static String conflict(SendRecv first, SendRecv second) {
        return second.to + "." + second.param + " receives from both " + first.from + "." + first.key + " and "
                + second.from + "." + second.key + "; a parameter receives from one sender";
    }

    /** {@code exec[gen].stdout -> file[out].content}. */
    @Override
    public String toString() {
        return from + "." + key + " -> " + to + "." + param;
    }
}
