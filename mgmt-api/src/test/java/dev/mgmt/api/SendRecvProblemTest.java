package dev.mgmt.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@link SendRecv#problem}: the types of both ends, and a kind that lists a key or parameter made
 * for another class (it compiled, then would fail every run).
 */
class SendRecvProblemTest {

    /** A resource of kind {@code kind} that sends {@code sends} and receives {@code receives}. */
    record Both(String kind, String name, List<SendKey<?, ?>> sends, List<RecvParam<?, ?>> receives)
            implements Resource, Sender, Receiver {
        @Override
        public Flux<?> watch() {
            return Flux.never();
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

    /** Another resource class, to own keys and parameters {@link Both} is not. */
    record Other(String name) implements Resource {
        @Override
        public String kind() {
            return "other";
        }

        @Override
        public Flux<?> watch() {
            return Flux.never();
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

    static final class A {
        record Digest(String hex) {
        }
    }

    static final class B {
        record Digest(String hex) {
        }
    }

    private static Both sender(SendKey<?, ?> key) {
        return new Both("s", "a", List.of(key), List.of());
    }

    private static Both receiver(RecvParam<?, ?> param) {
        return new Both("r", "b", List.of(), List.of(param));
    }

    private static <T> RecvParam<Both, T> param(String name, Class<T> type) {
        return RecvParam.of(Both.class, name, type, (r, v) -> r);
    }

    /** The problem of {@code s[a].key -> r[b].param}; empty when there is none. */
    private static String problem(SendKey<?, ?> key, RecvParam<?, ?> param) {
        return new SendRecv(ResourceId.of("s", "a"), key.name(), ResourceId.of("r", "b"), param.name())
                .problem(sender(key), receiver(param)).orElse("");
    }

    @Test
    void keysAndParametersOfTheirOwnKindsAndOneTypeAreFine() {
        assertThat(problem(SendKey.of(Both.class, "n", Integer.class), param("n", Number.class))).isEmpty();
        assertThat(problem(SendKey.of(Resource.class, "n", Integer.class), param("n", Integer.class)))
                .as("a key of a type every resource is").isEmpty();
    }

    @Test
    void aLongIntoAnIntegerSaysLong() {
        assertThat(problem(SendKey.of(Both.class, "n", Long.class), param("n", Integer.class)))
                .isEqualTo("s[a].n (long) -> r[b].n (integer): the types differ");
    }

    @Test
    void typesWithOneSimpleNameAreShownInFull() {
        assertThat(problem(SendKey.of(Both.class, "d", A.Digest.class), param("d", B.Digest.class)))
                .isEqualTo("s[a].d (" + A.Digest.class.getName() + ") -> r[b].d (" + B.Digest.class.getName()
                        + "): the types differ");
    }

    @Test
    void aKeyOfAnotherClassIsABugOfTheKind() {
        assertThat(problem(SendKey.of(Other.class, "n", String.class), param("n", String.class)))
                .isEqualTo("s[a].n -> r[b].n: s[a] lists the key 'n' of Other, and Both is no Other"
                        + " (a bug in the kind 's')");
    }

    @Test
    void aParameterOfAnotherClassIsABugOfTheKind() {
        RecvParam<Other, String> p = RecvParam.of(Other.class, "n", String.class, (r, v) -> r);
        assertThat(problem(SendKey.of(Both.class, "n", String.class), p))
                .isEqualTo("s[a].n -> r[b].n: r[b] lists the parameter 'n' of Other, and Both is no Other"
                        + " (a bug in the kind 'r')");
    }
}
