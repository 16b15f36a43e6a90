package dev.mgmt.test;

import dev.mgmt.api.Receiver;
import dev.mgmt.api.RecvParam;
import dev.mgmt.api.Resource;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A resource of kind {@code fakerecv} whose {@link #TEXT} can be received, for tests of
 * send/recv: its real state is the text last applied (shared by every copy made from one
 * {@link #of}, and by what receiving makes), its check compares with it, and every check and
 * apply is recorded with the text it ran with ({@link #runs()}: {@code check:hello},
 * {@code apply:hello}).
 */
public final class FakeReceiver implements Resource, Receiver {

    /** The kind, {@code fakerecv}. */
    public static final String KIND = "fakerecv";
    /** Received: the text it makes real. */
    public static final RecvParam<FakeReceiver, String> TEXT =
            RecvParam.of(FakeReceiver.class, "text", String.class, FakeReceiver::withText);
    private static final List<RecvParam<?, ?>> RECEIVES = List.of(TEXT);

    private final String name;
    private final String text;
    private final State state;

    private FakeReceiver(String name, String text, State state) {
        this.name = Objects.requireNonNull(name, "name");
        this.text = text;
        this.state = state;
    }

    /** A receiver named {@code name}, with no text until it receives one. */
    public static FakeReceiver of(String name) {
        return new FakeReceiver(name, null, new State());
    }

    /** This receiver with {@code text}: what receiving makes. */
    public FakeReceiver withText(String text) {
        return new FakeReceiver(name, text, state);
    }

    /** The text it makes real; null when none. */
    public String text() {
        return text;
    }

    /** The text last applied (the real state); null before any apply. */
    public String applied() {
        return state.applied;
    }

    /** Its checks from now on wait for {@code gate} to open before they do anything (they block their thread). */
    public FakeReceiver holdChecks(FakeGate gate) {
        state.gate = Objects.requireNonNull(gate, "gate");
        return this;
    }

    /** Every check and apply so far, with the text it ran with. */
    public List<String> runs() {
        return List.copyOf(state.runs);
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<RecvParam<?, ?>> receives() {
        return RECEIVES;
    }

    /** A text, when set, must not be empty. */
    @Override
    public List<String> validate() {
        return text != null && text.isEmpty() ? List.of("text: must not be empty") : List.of();
    }

    @Override
    public Flux<?> watch() {
        return Flux.never().startWith("armed");
    }

    @Override
    public Mono<Boolean> check() {
        return Mono.fromCallable(() -> {
            FakeGate gate = state.gate;
            if (gate != null) {
                gate.awaitOpenUninterruptibly();
            }
            state.runs.add("check:" + text);
            return Objects.equals(text, state.applied);
        });
    }

    @Override
    public Mono<Void> apply() {
        return Mono.fromRunnable(() -> {
            state.runs.add("apply:" + text);
            state.applied = text;
        });
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FakeReceiver f && f.name.equals(name) && Objects.equals(f.text, text) && f.state == state;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, text, System.identityHashCode(state));
    }

    @Override
    public String toString() {
        return id().toString();
    }

    private static final class State {
        final List<String> runs = new CopyOnWriteArrayList<>();
        volatile String applied;
        volatile FakeGate gate;
    }
}
