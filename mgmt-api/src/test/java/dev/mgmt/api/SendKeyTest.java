package dev.mgmt.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** {@link SendKey} and {@link RecvParam}: names an edge in YAML can write, boxed types, type names. */
class SendKeyTest {

    record Kv(String name, Object value) implements Resource {
        @Override
        public String kind() {
            return "kv";
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

        Kv with(Object v) {
            return new Kv(name, v);
        }
    }

    @Test
    void namesAreWhatAYamlEdgeWritesPlainly() {
        for (String ok : List.of("stdout", "sha256", "pretty_hostname", "x")) {
            assertThat(SendKey.of(Kv.class, ok, String.class).name()).isEqualTo(ok);
            assertThat(RecvParam.of(Kv.class, ok, String.class, Kv::with).name()).isEqualTo(ok);
        }
        for (String bad : List.of("", " ", "Stdout", "std-out", "std out", "exec.stdout", "1st", "_x", "wert\n")) {
            assertThatThrownBy(() -> SendKey.of(Kv.class, bad, String.class))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("send key " + Quoted.of(bad) + ": a name must be lower-case letters, digits and '_',"
                            + " starting with a letter (a YAML edge names it plainly)");
            assertThatThrownBy(() -> RecvParam.of(Kv.class, bad, String.class, Kv::with))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("receivable parameter " + Quoted.of(bad) + ": a name must be lower-case");
        }
        assertThatThrownBy(() -> SendKey.of(Kv.class, "null", String.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("send key 'null': a YAML edge cannot name it (YAML reads null as no value)");
    }

    @Test
    void primitiveTypesAreRefusedNamingTheirBox() {
        assertThatThrownBy(() -> SendKey.of(Kv.class, "n", int.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("send key n: int is a primitive type; use Integer.class");
        assertThatThrownBy(() -> RecvParam.of(Kv.class, "on", boolean.class, (Kv k, Boolean v) -> k.with(v)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("receivable parameter on: boolean is a primitive type; use Boolean.class");
    }

    @Test
    void integerAndLongReadDifferently() {
        assertThat(SendKey.typeName(Integer.class)).isEqualTo("integer");
        assertThat(SendKey.typeName(Long.class)).isEqualTo("long");
        assertThat(SendKey.typeName(String.class)).isEqualTo("string");
        assertThat(SendKey.typeName(Boolean.class)).isEqualTo("boolean");
        assertThat(SendKey.typeName(Double.class)).isEqualTo("double");
        assertThat(SendKey.typeName(java.time.Duration.class)).isEqualTo("Duration");
        assertThat(SendKey.of(Kv.class, "n", Long.class)).hasToString("n (long)");

        RecvParam<Kv, Integer> n = RecvParam.of(Kv.class, "n", Integer.class, Kv::with);
        assertThatThrownBy(() -> n.receive(new Kv("k", null), 5L))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("n: expected integer, was long");
    }

    @Test
    void keysOfAnotherOwnerDiffer() {
        assertThat(SendKey.of(Kv.class, "value", String.class)).isEqualTo(SendKey.of(Kv.class, "value", String.class))
                .isNotEqualTo(SendKey.of(Resource.class, "value", String.class))
                .isNotEqualTo(SendKey.of(Kv.class, "value", Object.class));
        assertThat(SendKey.of(Kv.class, "value", String.class).owner()).isEqualTo(Kv.class);
    }

    private static final SendKey<Kv, String> OUT = SendKey.of(Kv.class, "out", String.class);
    private static final SendKey<Kv, String> ERR = SendKey.of(Kv.class, "err", String.class);

    /** A sink that wants the keys given and keeps nothing. */
    private record Wanting(Set<SendKey<?, ?>> keys) implements SendKey.Sink {
        @Override
        public boolean wants(SendKey<?, ?> key) {
            return keys.contains(key);
        }

        @Override
        public void sent(SendKey<?, ?> key, Object value) {
        }

        @Override
        public void withheld(SendKey<?, ?> key, String why) {
        }
    }

    @Test
    void aKeyIsWantedOnlyWhenTheRunsSinkWantsIt() {
        SendKey.Sink sink = new Wanting(Set.of(OUT));
        assertThat(OUT.wanted().contextWrite(c -> c.put(SendKey.SINK, sink)).block()).isTrue();
        assertThat(ERR.wanted().contextWrite(c -> c.put(SendKey.SINK, sink)).block()).isFalse();
    }

    @Test
    void outsideAnEngineNoKeyIsWanted() {
        assertThat(OUT.wanted().block()).isFalse();
        assertThat(Mono.just(1).flatMap(x -> OUT.wanted()).block()).isFalse();
    }
}
