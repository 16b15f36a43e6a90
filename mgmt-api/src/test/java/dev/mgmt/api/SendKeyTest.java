package dev.mgmt.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

class SendKeyTest {

    private static final SendKey<String> OUT = SendKey.of("out", String.class);
    private static final SendKey<String> ERR = SendKey.of("err", String.class);

    /** A sink that wants the keys given and keeps nothing. */
    private record Wanting(Set<SendKey<?>> keys) implements SendKey.Sink {
        @Override
        public boolean wants(SendKey<?> key) {
            return keys.contains(key);
        }

        @Override
        public void sent(SendKey<?> key, Object value) {
        }

        @Override
        public void withheld(SendKey<?> key, String why) {
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
