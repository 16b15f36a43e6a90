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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;

/** End to end: an engine follows a graph made from a file's content and a fact of this host. */
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

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return null;
        }
    }
}
