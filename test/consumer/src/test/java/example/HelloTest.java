package example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mgmt.api.Graph;
import dev.mgmt.engine.Engine;
import dev.mgmt.test.EngineAssertions;
import dev.mgmt.test.FakeResource;
import dev.mgmt.test.Fakes;
import dev.mgmt.test.MgmtEngineExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A user's tests: the README's example runs, and mgmt-test's extension works with this JUnit. */
class HelloTest {

    @RegisterExtension
    static MgmtEngineExtension mgmt = MgmtEngineExtension.create();

    @Test
    void runsOnTheJUnitThisProjectChose() {
        String expected = System.getProperty("expected.junit.version");
        String actual = Test.class.getPackage().getImplementationVersion();
        System.out.println("JUnit Jupiter " + actual);
        assertEquals(expected, actual, "JUnit Jupiter on the test class path");
    }

    @Test
    void theReadmeExampleConvergesAndSaysSo() {
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            Hello.main(new String[0]);
        } finally {
            System.setOut(out);
        }
        String printed = captured.toString(StandardCharsets.UTF_8);
        out.print(printed);
        assertTrue(printed.contains("msg[hello]: applied"), printed);
        assertTrue(printed.contains("msg[ticked]: applied"), printed);
        assertTrue(printed.endsWith("hello: converged" + System.lineSeparator()), printed);
    }

    @Test
    void theExtensionHandsOutEnginesAndFakes(Engine engine, Fakes fakes) {
        FakeResource db = fakes.resource("db").build();
        FakeResource app = fakes.resource("app").refreshable(true).build();
        engine.start(Graph.builder().add(db, app).edge(db, app).notifying().build());
        EngineAssertions.assertSucceededWithin(engine, Duration.ofSeconds(30));
        assertEquals(1, fakes.counts("db").applies());
    }

    @Test
    void theExtensionStartsGraphs() {
        Fakes fakes = Fakes.create();
        FakeResource broken = fakes.resource("broken").failApplies(Integer.MAX_VALUE).build();
        FakeResource after = fakes.resource("after").build();
        Engine engine = mgmt.start(Graph.builder().add(broken, after).edge(broken, after).build());
        var c = EngineAssertions.assertFailedWithin(engine, Duration.ofSeconds(30), Fakes.id("broken"));
        assertEquals(java.util.List.of(Fakes.id("after")), c.blocked());
    }
}
