package dev.mgmt.resources.linux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.api.EngineEvent;
import dev.mgmt.api.Graph;
import dev.mgmt.api.KeyValueStore;
import dev.mgmt.engine.Engine;
import dev.mgmt.engine.resources.KvResource;
import dev.mgmt.engine.resources.KvResource.CmpStyle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Kind {@code kv} in send/recv between real resources: a real exec's output becomes the key's
 * value, and what the key holds becomes a real file's content. The store is a map in memory
 * (Atomix's: mgmt-cluster's KvClusterTest).
 */
class KvSendRecvTest {

    private static final Duration HANG = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final MemoryStore store = new MemoryStore();

    private ExecResource sh(String name, String cmd) {
        return ExecResource.shell(name, cmd).toBuilder().cwd(dir.toString()).build();
    }

    private FileResource file(String name) {
        return FileResource.builder(name).path(dir.resolve(name).toString()).build();
    }

    @Test
    void anExecsOutputBecomesTheValueAndWhatTheKeyHoldsTheFilesContent() throws Exception {
        ExecResource gen = sh("gen", "printf 5");
        KvResource stage = KvResource.of("stage", "stage", "1").skipLessThan(CmpStyle.INT);
        FileResource out = file("out");
        Graph g = Graph.builder().add(gen, stage, out)
                .send(gen, ExecResource.STDOUT).to(stage, KvResource.VALUE)
                .send(stage, KvResource.VALUE_SENT).to(out, FileResource.CONTENT)
                .build();
        try (Engine engine = Engine.builder().keyValueStore(store).build()) {
            engine.start(g);
            assertThat(engine.awaitConverged(HANG).isSuccess()).isTrue();
            assertThat(store.value("stage")).as("the value received, not the one declared").contains("5");
            assertThat(Files.readString(dir.resolve("out"))).isEqualTo("5");

            // Another host counts the stage up: skiplessthan leaves it, and the kv sends what it holds.
            store.put("stage", "7").block(HANG);
            Probe.eventually("the file follows the greater value the key holds",
                    () -> "7".equals(Probe.read(dir.resolve("out"))));
            assertThat(store.value("stage")).contains("7");
        }
    }

    @Test
    void anAbsentKeySendsNothingAndTheReceiverSaysWhy() throws Exception {
        store.put("gone", "here").block(HANG);
        KvResource gone = KvResource.absent("gone", "gone");
        FileResource out = file("out");
        try (Engine engine = Engine.builder().keyValueStore(store).build()) {
            List<EngineEvent.Failed> failed = new CopyOnWriteArrayList<>();
            engine.events().ofType(EngineEvent.Failed.class).subscribe(failed::add);
            engine.start(Graph.builder().add(gone, out).send(gone, KvResource.VALUE_SENT).to(out, FileResource.CONTENT)
                    .build());
            assertThat(engine.awaitConverged(HANG).failed()).containsExactly(out.id());
            assertThat(store.value("gone")).isEmpty();
            assertThat(failed).singleElement().extracting(EngineEvent.Failed::message).isEqualTo(
                    "kv[gone].value -> file[out].content: kv[gone] sent no value: key 'gone' is absent");
            assertThat(dir.resolve("out")).doesNotExist();
        }
    }

    /** A key/value store in memory; its watch says the current keys at once, then each change. */
    private static final class MemoryStore implements KeyValueStore {
        private final Map<String, String> keys = new TreeMap<>();
        private final Sinks.Many<Map<String, String>> changes = Sinks.many().replay().latest();

        MemoryStore() {
            changes.tryEmitNext(Map.of());
        }

        synchronized Optional<String> value(String key) {
            return Optional.ofNullable(keys.get(key));
        }

        private synchronized void change(String key, String value) {
            if (value == null) {
                keys.remove(key);
            } else {
                keys.put(key, value);
            }
            changes.tryEmitNext(Map.copyOf(keys));
        }

        @Override
        public Mono<Void> put(String key, String value) {
            return Mono.fromRunnable(() -> change(key, value));
        }

        @Override
        public Mono<Optional<String>> get(String key) {
            return Mono.fromCallable(() -> value(key));
        }

        @Override
        public Mono<Void> delete(String key) {
            return Mono.fromRunnable(() -> change(key, null));
        }

        @Override
        public Flux<Map<String, String>> watch(String prefix) {
            return changes.asFlux().map(m -> m.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                    .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, Map.Entry::getValue)));
        }
    }
}
