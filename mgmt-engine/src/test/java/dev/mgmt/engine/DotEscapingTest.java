package dev.mgmt.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.api.Graph;
import dev.mgmt.engine.resources.NoopResource;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Names in {@link Engine#toDot()} as Graphviz reads them. A node id is a quoted string where only
 * {@code \"} is an escape and a {@code \\} pair is kept as it is; a label also reads {@code \n},
 * {@code \N}, {@code \l} and the like, so a backslash there must be doubled to show as one.
 * (The live page's browser test draws such names with Graphviz itself.)
 */
class DotEscapingTest {

    private static final Duration HANG = Duration.ofSeconds(30);

    @Test
    void quotesAndBackslashesInNamesStayInsideTheirStrings() {
        NoopResource trailing = NoopResource.of("ends in \\");
        NoopResource escapes = NoopResource.of("C:\\new\\Node \"q\" <b>");
        try (Engine e = Engine.builder().build()) {
            e.start(Graph.builder().add(trailing, escapes).edge(trailing, escapes).build());
            e.awaitConverged(HANG).orThrow();
            String dot = e.toDot();
            // ids: quotes escaped, backslashes doubled, so the closing quote is never swallowed
            assertThat(dot).contains("\"noop[ends in \\\\]\" -> \"noop[C:\\\\new\\\\Node \\\"q\\\" <b>]\"");
            // labels: each backslash doubled (one on screen), then the state on its own line
            assertThat(dot).contains("label=\"noop[ends in \\\\]\\nclean\"")
                    .contains("label=\"noop[C:\\\\new\\\\Node \\\"q\\\" <b>]\\nclean\"");
        }
    }
}
