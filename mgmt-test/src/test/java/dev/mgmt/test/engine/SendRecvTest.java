package dev.mgmt.test.engine;

import static dev.mgmt.test.EngineAssertions.assertSucceededWithin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mgmt.api.EngineEvent;
import dev.mgmt.api.Graph;
import dev.mgmt.api.ResourceId;
import dev.mgmt.api.SendRecv;
import dev.mgmt.engine.Engine;
import dev.mgmt.engine.GraphCompileException;
import dev.mgmt.engine.resources.NoopResource;
import dev.mgmt.test.FakeReceiver;
import dev.mgmt.test.FakeSender;
import dev.mgmt.test.MgmtEngineExtension;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

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
    void aReceiverAddedBySwapTakesWhatAKeptSenderSentAlready() {
        FakeSender s = FakeSender.of("s", "hello");
        FakeReceiver r = FakeReceiver.of("r");
        Engine engine = mgmt.start(Graph.builder().add(s).build());
        assertSucceededWithin(engine, Waits.HANG);
        engine.swap(graph(s.same(), r));
        assertSucceededWithin(engine, Waits.HANG);
        Waits.until(() -> "hello".equals(r.applied()), () -> "the receiver applied the kept sender's value");
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
        Engine engine = mgmt.start(graph(s, r));
        var c = engine.awaitConverged(Waits.HANG);
        assertThat(c.failed()).containsExactly(r.id());
        assertThat(r.runs()).isEmpty();
        s.set("mended");
        Waits.until(() -> "mended".equals(r.applied()), () -> "a new value re-arms the failed receiver");
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
