package dev.mgmt.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Directories the tests keep under target/, emptied between runs. */
public final class TestDirs {

    private TestDirs() {
    }

    /** Deletes {@code dir} and what is in it, as far as it can: a leftover file is no reason to fail a test. */
    public static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // as above
        }
    }
}
