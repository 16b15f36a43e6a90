package dev.mgmt.test.engine;

import static dev.mgmt.test.EngineAssertions.assertSucceededWithin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mgmt.api.EngineEvent;
import dev.mgmt.api.Graph;
import dev.mgmt.api.Receiver;
import dev.mgmt.api.RecvParam;
import dev.mgmt.api.Resource;
import dev.mgmt.api.ResourceId;
import dev.mgmt.api.SendRecv;
import dev.mgmt.engine.Engine;
import dev.mgmt.engine.GraphCompileException;
import dev.mgmt.engine.resources.NoopResource;
import dev.mgmt.test.FakeGate;
import dev.mgmt.test.FakeReceiver;
import dev.mgmt.test.FakeSender;
import dev.mgmt.test.MgmtEngineExtension;
import dev.mgmt.test.Waits;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Send/recv: a sender's value becomes a receiver's parameter; a changed value is an event there. */
@Timeout(60)
class SendRecvTest {

    @RegisterExtension
    static MgmtEngineExtension mgmt = MgmtEngineExtension.create();

    private static Graph graph(FakeSender s, FakeReceiver r) {
        return Graph.builder("sr").add(s, r).send(s, FakeSender.TEXT).to(r, FakeReceiver.TEXT).build();
    }

    @Test
    void aChangedValueIsAnEventAndTheSameValueIsNot() {
        FakeSender s = FakeSender.of("s", "hello");
        FakeReceiver r = FakeReceiver.of("r");
        List<EngineEvent.Received> received = new CopyOnWriteArrayList<>();
        Engine engine = mgmt.engine();
        engine.events().ofType(EngineEvent.Received.class).subscribe(received::add);
        engine.start(graph(s, r));
        assertSucceededWithin(engine, Waits.HANG);
        assertThat(r.applied()).isEqualTo("hello");
        assertThat(r.runs()).containsExactly("check:hello", "apply:hello");

        s.set("world");
        Waits.until(() -> "world".equals(r.applied()), () -> "the new value applied");
        assertSucceededWithin(engine, Waits.HANG);
        assertThat(r.runs()).containsExactly("check:hello", "apply:hello", "check:world", "apply:world");

        int checks = s.checks();
        s.set("world");
        Waits.until(() -> s.checks() > checks, () -> "the sender ran again");
        assertSucceededWithin(engine, Waits.HANG);
        assertThat(r.runs()).as("the same value again is no event").hasSize(4);
        assertThat(engine.toDot()).contains("\"fakesend[s]\" -> \"fakerecv[r]\" [ label=\"text -> text\" ]");
        assertThat(received).extracting(e -> e.id() + " " + e.param() + " " + e.from() + "." + e.key())
                .containsExactly("fakerecv[r] text fakesend[s].text", "fakerecv[r] text fakesend[s].text");
    }

    @Test
    void aSwapToTheSameGraphKeepsTheReceiverAndDoesNotRunIt() {
        FakeSender s = FakeSender.of("s", "hello");
        FakeReceiver r = FakeReceiver.of("r");
        Engine engine = mgmt.start(graph(s, r));
        assertSucceededWithin(engine, Waits.HANG);
        List<EngineEvent.GraphSwapped> swaps = new CopyOnWriteArrayList<>();
        engine.events().ofType(EngineEvent.GraphSwapped.class).subscribe(swaps::add);
        engine.swap(graph(s.same(), r));
        assertSucceededWithin(engine, Waits.HANG);
        Waits.until(() -> swaps.size() == 1, () -> "the swap reported");
        assertThat(swaps.get(0).kept()).containsExactlyInAnyOrder(s.id(), r.id());
        assertThat(r.runs()).containsExactly("check:hello", "apply:hello");
    }

    @Test
    void aReceiverAddedBySwapRunsAKeptSenderThatNeverSent() {
        FakeSender s = FakeSender.of("s", "hello");
        FakeReceiver r = FakeReceiver.of("r");
        Engine engine = mgmt.start(Graph.builder().add(s).build());
        assertSucceededWithin(engine, Waits.HANG);
        int checks = s.checks();
        engine.swap(graph(s.same(), r));
        Waits.until(() -> "hello".equals(r.applied()), () -> "the receiver applied the kept sender's value");
        assertSucceededWithin(engine, Waits.HANG);
        assertThat(s.checks()).as("the sender had no edge out, so no value: it ran again").isEqualTo(checks + 1);
    }

    @Test
    void aReceiverAddedBySwapTakesWhatAKeptSenderSentAlready() {
        FakeSender s = FakeSender.of("s", "hello");
        FakeReceiver r1 = FakeReceiver.of("r1");
        FakeReceiver r2 = FakeReceiver.of("r2");
        Engine engine = mgmt.start(graph(s, r1));
        assertSucceededWithin(engine, Waits.HANG);
        int checks = s.checks();
        engine.swap(Graph.builder("sr").add(s.same(), r1, r2).send(s, FakeSender.TEXT).to(r1, FakeReceiver.TEXT)
                .send(s, FakeSender.TEXT).to(r2, FakeReceiver.TEXT).build());
        Waits.until(() -> "hello".equals(r2.applied()), () -> "the new receiver applied the kept value");
        assertSucceededWithin(engine, Waits.HANG);
        assertThat(s.checks()).as("the kept sender is not run again").isEqualTo(checks);
        assertThat(r1.runs()).containsExactly("check:hello", "apply:hello");
    }

    @Test
    void anEdgeRemovedAndAddedBackTakesTheValueSentSinceNotAStaleOne() {
        FakeSender s = FakeSender.of("s", "hello");
        FakeReceiver r = FakeReceiver.of("r").withText("declared");
        Engine engine = mgmt.start(graph(s, r));
        assertSucceededWithin(engine, Waits.HANG);
        engine.swap(Graph.builder("sr").add(s.same(), r).edge(s, r).build());
        Waits.until(() -> "declared".equals(r.applied()), () -> "the declared text applied");
        assertSucceededWithin(engine, Waits.HANG);
        int checks = s.checks();
        s.set("new");
        Waits.until(() -> s.checks() > checks, () -> "the sender ran with no edge out");
        assertSucceededWithin(engine, Waits.HANG);
        engine.swap(graph(s.same(), r));
        Waits.until(() -> "new".equals(r.applied()), () -> "the receiver applied the value sent since");
        assertSucceededWithin(engine, Waits.HANG);
        assertThat(r.runs()).as("never the stale value").containsExactly("check:hello", "apply:hello",
                "check:declared", "apply:declared", "check:new", "apply:new");
    }

    @Test
    void aSwapThatAddsAnEdgeWhileTheSenderRunsRunsItAgainToSend() {
        FakeGate gate = FakeGate.closed();
        FakeSender s = FakeSender.of("s", "hello").holdChecks(gate);
        FakeReceiver r = FakeReceiver.of("r");
        Engine engine = mgmt.start(Graph.builder("sr").add(s).build());
        Waits.until(() -> gate.blockedThreads() == 1, () -> "the sender is running");
        engine.swap(graph(s.same(), r));
        gate.open();
        Waits.until(() -> "hello".equals(r.applied()), () -> "the receiver applied the value of the run after");
        assertSucceededWithin(engine, Waits.HANG);
        assertThat(s.checks()).as("the run in flight had no sink; one more sends").isEqualTo(2);
    }

    @Test
    void aSenderThatFailsAfterSendingLeavesItsReceiverWithItsValueUntilItRecovers() {
        FakeSender s = FakeSender.of("s", "hello");
        FakeReceiver r = FakeReceiver.of("r");
        Engine engine = mgmt.start(graph(s, r));
        assertSucceededWithin(engine, Waits.HANG);
        s.failNext();
        s.set("world");
        var c = engine.awaitConverged(Waits.HANG);
        assertThat(c.failed()).containsExactly(s.id());
        assertThat(c.blocked()).as("it owes no run: it stays clean with the value it had").isEmpty();
        assertThat(r.runs()).as("it keeps the value it had").containsExactly("check:hello", "apply:hello");
        s.set("mended");
        Waits.until(() -> "mended".equals(r.applied()), () -> "the recovered sender's value applied");
        assertSucceededWithin(engine, Waits.HANG);
    }

    @Test
    void aWithheldValueFailsTheReceiverWithTheReasonAndIsNotAnnouncedAsReceived() {
        FakeSender s = FakeSender.of("s", "hello");
        FakeReceiver r = FakeReceiver.of("r");
        List<EngineEvent> events = new CopyOnWriteArrayList<>();
        Engine engine = mgmt.engine();
        engine.events().subscribe(events::add);
        engine.start(graph(s, r));
        assertSucceededWithin(engine, Waits.HANG);
        events.clear();
        s.withhold("the text is over 1 MiB");
        var c = engine.awaitConverged(Waits.HANG);
        assertThat(c.failed()).containsExactly(r.id());
        assertThat(events).filteredOn(e -> e instanceof EngineEvent.Received).as("nothing was received").isEmpty();
        assertThat(events).filteredOn(e -> e instanceof EngineEvent.Failed).extracting(e -> (EngineEvent.Failed) e)
                .extracting(f -> f.id() + ": " + f.message()).containsExactly("fakerecv[r]: fakesend[s].text ->"
                        + " fakerecv[r].text: fakesend[s] sent no text: the text is over 1 MiB");
        assertThat(r.runs()).containsExactly("check:hello", "apply:hello");
        s.set("back");
        Waits.until(() -> "back".equals(r.applied()), () -> "a value again re-arms the receiver");
        assertSucceededWithin(engine, Waits.HANG);
    }

    @Test
    void closeWhileTheReceiverRunsWaitsForItAndSendsNothingMore() throws InterruptedException {
        FakeGate gate = FakeGate.closed();
        FakeSender s = FakeSender.of("s", "hello");
        FakeReceiver r = FakeReceiver.of("r").holdChecks(gate);
        Engine engine = mgmt.start(graph(s, r));
        Waits.until(() -> gate.blockedThreads() == 1, () -> "the receiver is running");
        Thread closer = new Thread(engine::close, "closer");
        closer.start();
        Waits.until(() -> closer.getState() == Thread.State.WAITING || closer.getState() == Thread.State.TIMED_WAITING
                || !closer.isAlive(), () -> "close() is under way");
        gate.open();
        closer.join(Waits.HANG.toMillis());
        assertThat(closer.isAlive()).as("close() returned").isFalse();
        assertThat(r.runs()).as("the run in flight finished").containsExactly("check:hello", "apply:hello");
        int checks = s.checks();
        s.set("after");
        assertThat(s.checks()).as("a closed engine runs nothing").isEqualTo(checks);
        assertThat(r.applied()).isEqualTo("hello");
    }

    @Test
    void aSwapThatDropsTheEdgeRunsTheReceiverAsDeclared() {
        FakeSender s = FakeSender.of("s", "hello");
        FakeReceiver r = FakeReceiver.of("r").withText("declared");
        Engine engine = mgmt.start(graph(s, r));
        assertSucceededWithin(engine, Waits.HANG);
        assertThat(r.applied()).isEqualTo("hello");
        engine.swap(Graph.builder("sr").add(s.same(), r).edge(s, r).build());
        Waits.until(() -> "declared".equals(r.applied()), () -> "the declared text applied again");
        assertSucceededWithin(engine, Waits.HANG);
        assertThat(r.runs()).containsExactly("check:hello", "apply:hello", "check:declared", "apply:declared");
    }

    @Test
    void noopSaysWhatWouldChangeWithTheValueReceived() {
        FakeSender s = FakeSender.of("s", "hello");
        FakeReceiver r = FakeReceiver.of("r");
        Engine engine = mgmt.engine(b -> b.noop(true));
        engine.start(graph(s, r));
        assertSucceededWithin(engine, Waits.HANG);
        assertThat(engine.noopReport()).containsExactly(r.id());
        assertThat(r.runs()).containsExactly("check:hello");
        assertThat(r.applied()).isNull();
    }

    @Test
    void aValueThatMakesTheReceiverInvalidFailsItsRunNamingTheEdge() {
        FakeSender s = FakeSender.of("s", "");
        FakeReceiver r = FakeReceiver.of("r");
        List<EngineEvent> events = new CopyOnWriteArrayList<>();
        Engine engine = mgmt.engine();
        engine.events().subscribe(events::add);
        engine.start(graph(s, r));
        var c = engine.awaitConverged(Waits.HANG);
        assertThat(c.failed()).containsExactly(r.id());
        assertThat(r.runs()).isEmpty();
        assertThat(events).filteredOn(e -> e instanceof EngineEvent.Failed).extracting(e -> (EngineEvent.Failed) e)
                .extracting(f -> f.id() + ": " + f.message() + " retry " + f.willRetry())
                .as("failed once, without a call and without retries").containsExactly(
                        "fakerecv[r]: text: must not be empty (received over fakesend[s].text -> fakerecv[r].text)"
                                + " retry false");
        assertThat(events).filteredOn(e -> e instanceof EngineEvent.RunStarted rs && rs.id().equals(r.id()))
                .as("no call").isEmpty();
        s.set("mended");
        Waits.until(() -> "mended".equals(r.applied()), () -> "a new value re-arms the failed receiver");
    }

    /** A receiver whose user code misbehaves on the value received: its validate() throws, or its with renames it. */
    record Odd(String name, String text) implements Resource, Receiver {
        static final RecvParam<Odd, String> TEXT = RecvParam.of(Odd.class, "text", String.class,
                (o, t) -> new Odd(t.equals("rename") ? "other" : o.name(), t));

        @Override
        public String kind() {
            return "oddrecv";
        }

        @Override
        public List<RecvParam<?, ?>> receives() {
            return List.of(TEXT);
        }

        @Override
        public List<String> validate() {
            if ("throw".equals(text)) {
                throw new IllegalStateException("validate blew up");
            }
            return List.of();
        }

        @Override
        public Flux<?> watch() {
            return Flux.never().startWith("armed");
        }

        @Override
        public Mono<Boolean> check() {
            return Mono.just(true);
        }

        @Override
        public Mono<Void> apply() {
            return Mono.empty();
        }
    }

    @Test
    void userCodeThatMisbehavesOnAValueReceivedFailsItsReceiverNotTheEngine() {
        FakeSender s = FakeSender.of("s", "throw");
        Odd r = new Odd("r", null);
        List<EngineEvent.Failed> failed = new CopyOnWriteArrayList<>();
        Engine engine = mgmt.engine();
        engine.events().ofType(EngineEvent.Failed.class).subscribe(failed::add);
        engine.start(Graph.builder("odd").add(s, r).send(s, FakeSender.TEXT).to(r, Odd.TEXT).build());
        assertThat(engine.awaitConverged(Waits.HANG).failed()).containsExactly(r.id());
        s.set("rename");
        Waits.until(() -> failed.size() == 2, () -> "the second value failed the receiver too");
        assertThat(engine.awaitConverged(Waits.HANG).failed()).containsExactly(r.id());
        assertThat(failed).extracting(EngineEvent.Failed::message).containsExactly(
                "validate failed: validate blew up (received over fakesend[s].text -> oddrecv[r].text)",
                "fakesend[s].text -> oddrecv[r].text: receiving made oddrecv[other], not oddrecv[r]");
        s.set("fine");
        Waits.until(() -> engine.awaitConverged(Waits.HANG).isSuccess(), () -> "a good value mends it");
    }

    @Test
    void compileNamesBothEndsOfABadSendRecvEdge() {
        FakeSender s = FakeSender.of("s", "x");
        FakeReceiver r = FakeReceiver.of("r");
        FakeReceiver r2 = FakeReceiver.of("r2");
        NoopResource n = NoopResource.of("n");
        Graph g = Graph.builder().add(s, r, r2, n)
                .sendRecv(new SendRecv(s.id(), "txt", r.id(), "text"))
                .sendRecv(new SendRecv(s.id(), "length", r2.id(), "text"))
                .sendRecv(new SendRecv(n.id(), "text", r2.id(), "text"))
                .sendRecv(new SendRecv(s.id(), "text", n.id(), "text"))
                .sendRecv(new SendRecv(s.id(), "text", r.id(), "txt"))
                .sendRecv(new SendRecv(s.id(), "text", ResourceId.of("fakerecv", "gone"), "text"))
                .build();
        assertThatThrownBy(() -> mgmt.engine().start(g)).isInstanceOf(GraphCompileException.class)
                .satisfies(e -> assertThat(((GraphCompileException) e).problems()).containsExactlyInAnyOrder(
                        "fakesend[s].txt -> fakerecv[r].text: fakesend[s] sends no 'txt' (it sends text, length)",
                        "fakesend[s].length (integer) -> fakerecv[r2].text (string): the types differ",
                        "noop[n].text -> fakerecv[r2].text: a noop sends no values",
                        "fakesend[s].text -> noop[n].text: a noop receives no values",
                        "fakesend[s].text -> fakerecv[r].txt: fakerecv[r] cannot receive 'txt' (it receives text)",
                        "fakesend[s].text -> fakerecv[gone].text: no resource fakerecv[gone] in the graph"));
    }

    @Test
    void aParameterReceivesFromOneSender() {
        FakeSender a = FakeSender.of("a", "x");
        FakeSender b = FakeSender.of("b", "y");
        FakeReceiver r = FakeReceiver.of("r");
        Graph g = Graph.builder().add(a, b, r).send(a, FakeSender.TEXT).to(r, FakeReceiver.TEXT)
                .send(b, FakeSender.TEXT).to(r, FakeReceiver.TEXT).build();
        assertThatThrownBy(() -> mgmt.engine().start(g)).isInstanceOf(GraphCompileException.class)
                .satisfies(e -> assertThat(((GraphCompileException) e).problems()).containsExactly(
                        "fakerecv[r].text receives from both fakesend[a].text and fakesend[b].text;"
                                + " a parameter receives from one sender"));
    }
}
