package dev.mgmt.test.engine;

import static dev.mgmt.test.EngineAssertions.assertFailedWithin;
import static dev.mgmt.test.EngineAssertions.assertSucceededWithin;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.api.Graph;
import dev.mgmt.api.Resource;
import dev.mgmt.api.ResourceId;
import dev.mgmt.engine.Engine;
import dev.mgmt.test.FakeResource;
import dev.mgmt.test.Fakes;
import dev.mgmt.test.MgmtEngineExtension;
import dev.mgmt.test.Waits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** An exception thrown by a resource, rather than signalled, never kills the engine. */
@Timeout(60)
class ResourceErrorsTest {

    @RegisterExtension
    static MgmtEngineExtension mgmt = MgmtEngineExtension.create();

    /** A resource whose behaviours throw instead of returning a publisher. */
    private record Throwing(String name, boolean throwInWatch) implements Resource {
        @Override
        public String kind() {
            return "throwing";
        }

        @Override
        public Flux<?> watch() {
            if (throwInWatch) {
                throw new IllegalStateException("watch() threw");
            }
            return Flux.just("armed").concatWith(Flux.never());
        }

        @Override
        public Mono<Boolean> check() {
            throw new IllegalStateException("check() threw");
        }

        @Override
        public Mono<Void> apply() {
            throw new IllegalStateException("apply() threw");
        }

        @Override
        public void close() {
            throw new IllegalStateException("close() threw");
        }
    }

    @Test
    void thrownExceptionsAreFailuresOfTheirVertexOnly() {
        Fakes fakes = Fakes.create();
        FakeResource fine = fakes.resource("fine").build();
        Resource checkThrows = new Throwing("check", false);
        Resource watchThrows = new Throwing("watch", true);
        Engine engine = mgmt.start(Graph.builder().add(fine, checkThrows, watchThrows).build());
        assertFailedWithin(engine, Waits.HANG, ResourceId.of("throwing", "check"), ResourceId.of("throwing", "watch"));
        assertThat(fakes.isInSync("fine")).isTrue();
        // The engine still works: a swap closes the throwing resources (close() throws too) and runs on.
        engine.swap(Graph.builder().add(fine).build());
        fakes.drift("fine");
        Waits.until(() -> fakes.counts("fine").applies() == 2, () -> "fine repaired");
        assertSucceededWithin(engine, Waits.HANG);
    }
}
