package dev.mgmt.cli;

import dev.mgmt.engine.Engine;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The {@code --graphviz} file: checked before anything runs, then written at start, on every
 * swap and at exit. A write that fails later is said once, is not tried again, and makes the
 * run's exit status 1.
 */
final class GraphvizFile {

    /** No {@code --graphviz}: writes nothing. */
    static final GraphvizFile NONE = new GraphvizFile(null);

    private final Path path;
    private volatile boolean failed;

    GraphvizFile(Path path) {
        this.path = path;
    }

    /** What stops mgmt from writing {@code path}, found by opening it for writing (as root too). */
    static Optional<String> problem(Path path) {
        if (Files.isDirectory(path)) {
            return Optional.of("--graphviz " + path + " is a directory; give a file such as " + path.resolve("graph.dot"));
        }
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            return Optional.of("--graphviz " + path + ": no such directory " + parent);
        }
        boolean existed = Files.exists(path);
        try (OutputStream ignored = Files.newOutputStream(path, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            // writable
        } catch (IOException | RuntimeException e) {
            return Optional.of("--graphviz " + path + ": cannot write it: " + why(e));
        }
        if (!existed) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException ignored) {
                // written over at start anyway
            }
        }
        return Optional.empty();
    }

    void write(Engine engine) {
        if (path == null || failed) {
            return;
        }
        try {
            Files.writeString(path, engine.toDot());
        } catch (IOException | RuntimeException e) {
            failed = true;
            System.err.println("mgmt: cannot write --graphviz " + path + ": " + why(e) + "; it is not written again");
        }
    }

    /** A write failed: the run exits 1 even when every resource converged. */
    boolean failed() {
        return failed;
    }

    private static String why(Exception e) {
        String m = Messages.of(e);
        // Messages names the file first; this message already has.
        return m.startsWith(path(e)) ? m.substring(path(e).length()).replaceFirst("^: ", "") : m;
    }

    private static String path(Exception e) {
        return e instanceof java.nio.file.FileSystemException f && f.getFile() != null ? f.getFile() : "\0";
    }
}
