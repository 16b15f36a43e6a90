package dev.mgmt.test;

import dev.mgmt.api.Resource;
import dev.mgmt.api.SendKey;
import dev.mgmt.api.Sender;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * A resource of kind {@code fakesend} that sends a text the test sets, for tests of send/recv:
 * every run sends {@link #TEXT} (the text) and {@link #LENGTH} (its length), and its check
 * always says the state matches. {@link #set} changes the text and fires its watch, so the
 * engine runs it again and hands the new text on. {@link #withhold} makes its runs withhold
 * both keys instead, and {@link #failNext} makes its next check fail before it sends.
 *
 * <p>A value: two built by one {@link #of} (or {@link #same}) are equal, so a swap keeps it.
 */
public final class FakeSender implements Resource, Sender {

    /** The kind, {@code fakesend}. */
    public static final String KIND = "fakesend";
    /** Sent: the text set last. */
    public static final SendKey<FakeSender, String> TEXT = SendKey.of(FakeSender.class, "text", String.class);
    /** Sent: the length of the text. */
    public static final SendKey<FakeSender, Integer> LENGTH = SendKey.of(FakeSender.class, "length", Integer.class);
    private static final List<SendKey<?, ?>> SENDS = List.of(TEXT, LENGTH);

    private final String name;
    private final Source source;

    private FakeSender(String name, Source source) {
        this.name = Objects.requireNonNull(name, "name");
        this.source = source;
    }

    /** A sender named {@code name} that sends {@code text} until {@link #set} changes it. */
    public static FakeSender of(String name, String text) {
        Source s = new Source();
        s.text.set(Objects.requireNonNull(text, "text"));
        return new FakeSender(name, s);
    }

    /** The same sender again (equal to this one), as a graph swap would hold it. */
    public FakeSender same() {
        return new FakeSender(name, source);
    }

    /** Sets the text the next run sends (it sends again after {@link #withhold}), and fires the watch. */
    public void set(String text) {
        source.withheld.set(null);
        source.text.set(Objects.requireNonNull(text, "text"));
        source.changes.tryEmitNext(text);
    }

    /**
     * Its runs from now on withhold both keys ({@link SendKey#withhold}) for {@code why}, until
     * {@link #set}; fires the watch.
     */
    public void withhold(String why) {
        source.withheld.set(Objects.requireNonNull(why, "why"));
        source.changes.tryEmitNext(why);
    }

    /** The next check fails with a {@link FakeFailureException}, before it sends anything; the watch is not fired. */
    public void failNext() {
        source.failNext.set(true);
    }

    /** Its checks from now on wait for {@code gate} to open before they do anything (they block their thread). */
    public FakeSender holdChecks(FakeGate gate) {
        source.gate = Objects.requireNonNull(gate, "gate");
        return this;
    }

    /** How many checks ran. */
    public int checks() {
        return source.checks.get();
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
    public List<SendKey<?, ?>> sends() {
        return SENDS;
    }

    @Override
    public Flux<?> watch() {
        return source.changes.asFlux().startWith("armed");
    }

    @Override
    public Mono<Boolean> check() {
        return Mono.defer(() -> {
            FakeGate gate = source.gate;
            if (gate != null) {
                gate.awaitOpenUninterruptibly();
            }
            int n = source.checks.incrementAndGet();
            if (source.failNext.getAndSet(false)) {
                return Mono.error(new FakeFailureException(this + ": check " + n + " failed, as asked"));
            }
            String why = source.withheld.get();
            if (why != null) {
                return TEXT.withhold(why).then(LENGTH.withhold(why)).thenReturn(true);
            }
            String t = source.text.get();
            return TEXT.send(t).then(LENGTH.send(t.length())).thenReturn(true);
        });
    }

    @Override
    public Mono<Void> apply() {
        return Mono.empty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FakeSender f && f.name.equals(name) && f.source == source;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + System.identityHashCode(source);
    }

    @Override
    public String toString() {
        return id().toString();
    }

    private static final class Source {
        final AtomicReference<String> text = new AtomicReference<>();
        final AtomicReference<String> withheld = new AtomicReference<>();
        final AtomicBoolean failNext = new AtomicBoolean();
        volatile FakeGate gate;
        final AtomicInteger checks = new AtomicInteger();
        final Sinks.Many<String> changes = Sinks.many().multicast().directBestEffort();
    }
}
