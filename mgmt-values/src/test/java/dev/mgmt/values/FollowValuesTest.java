package dev.mgmt.values;

import static dev.mgmt.values.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.api.Graph;
import dev.mgmt.api.Graphs;
import dev.mgmt.engine.Engine;
import dev.mgmt.resources.linux.FileResource;
import dev.mgmt.values.internal.DirectoryWatcher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

/** End to end: an engine follows a graph made from a file's content and a fact of this host, or a template. */
class FollowValuesTest {

    @TempDir
    Path tmp;

    @Test
    void theManagedFileFollowsTheSourceFile() throws Exception {
        Path source = Files.writeString(tmp.resolve("greeting"), "hello");
        Path managed = tmp.resolve("motd");
        try (Engine engine = Engine.builder().build()) {
            Disposable following = engine.follow(
                    Graphs.from(Values.file(source), Facts.local().hostname())
                            .map((greeting, me) -> Graph.builder("motd")
                                    .add(FileResource.file(managed.toString(),
                                            greeting.orElse("nothing") + " from " + me + "\n"))
                                    .build()));
            try {
                String me = Facts.local().hostname().blockFirst(Eventually.HANG);
                eventually("motd says hello", () -> (("hello from " + me + "\n").equals(read(managed))));
                engine.awaitConverged(Eventually.HANG).orThrow();

                Files.writeString(source, "good morning");
                eventually("motd follows the edit", () -> ("good morning from " + me + "\n").equals(read(managed)));

                Files.delete(source);
                eventually("motd follows the removal", () -> ("nothing from " + me + "\n").equals(read(managed)));
            } finally {
                following.dispose();
            }
        }
        eventually("the watch thread stopped", () -> !DirectoryWatcher.shared().running());
    }

    record Host(String name, String address) {
    }

    record Hosts(String domain, List<Host> hosts) {
    }

    private static final Template<Hosts> HOSTS = Template.of(Hosts.class, """
            # {{ domain }}: one line per host
            {{#each hosts}}
            {{ address }} {{ name }}.{{ domain }}
            {{/each}}
            """);

    @Test
    void aTemplatedFileFollowsTheListItIsMadeFrom() throws Exception {
        Path source = Files.writeString(tmp.resolve("hosts.list"), "a 10.0.0.1\nb 10.0.0.2\n");
        Path managed = tmp.resolve("hosts");
        try (Engine engine = Engine.builder().build()) {
            Disposable following = engine.follow(
                    Graphs.from(Values.file(source), Flux.just("lan"))
                            .map((list, domain) -> Graph.builder("hosts")
                                    .add(FileResource.file(managed.toString(),
                                            HOSTS.render(new Hosts(domain, hosts(list)))))
                                    .build()));
            try {
                eventually("the hosts file lists a and b", () -> """
                        # lan: one line per host
                        10.0.0.1 a.lan
                        10.0.0.2 b.lan
                        """.equals(read(managed)));
                engine.awaitConverged(Eventually.HANG).orThrow();

                Files.writeString(source, "c 10.0.0.3\n");
                eventually("the hosts file follows the edit",
                        () -> "# lan: one line per host\n10.0.0.3 c.lan\n".equals(read(managed)));

                Files.delete(source);
                eventually("no host, no line", () -> "# lan: one line per host\n".equals(read(managed)));
            } finally {
                following.dispose();
            }
        }
        eventually("the watch thread stopped", () -> !DirectoryWatcher.shared().running());
    }

    private static List<Host> hosts(Optional<String> list) {
        return list.stream().flatMap(String::lines).filter(l -> !l.isBlank())
                .map(l -> l.trim().split("\\s+", 2)).map(w -> new Host(w[0], w.length > 1 ? w[1] : ""))
                .toList();
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return null;
        }
    }
}
