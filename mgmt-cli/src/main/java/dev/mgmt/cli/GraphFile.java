package dev.mgmt.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** The {@code --yaml} file, checked before it is read so that each way it can be wrong is said plainly. */
final class GraphFile {

    private GraphFile() {
    }

    /** Why {@code --yaml} cannot be read, in the words of {@code ls}: no such file, a directory, permission denied. */
    static Optional<String> problem(Path file) {
        if (!Files.exists(file)) {
            return Optional.of("--yaml " + file + ": no such file");
        }
        if (Files.isDirectory(file)) {
            return Optional.of("--yaml " + file + " is a directory; give the graph's YAML file");
        }
        if (!Files.isRegularFile(file)) {
            return Optional.of("--yaml " + file + " is not a regular file");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return Optional.empty();
        } catch (AccessDeniedException e) {
            return Optional.of("--yaml " + file + ": permission denied");
        } catch (IOException e) {
            return Optional.of("--yaml " + file + ": cannot read it: " + Messages.of(e));
        }
    }
}
