package dev.mgmt.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The bundled example graphs, with their /tmp paths moved into a test's own directory. */
final class Examples {

    private Examples() {
    }

    static Path copy(String example, Path dir, String... replacements) throws IOException {
        Path repo = Path.of(System.getProperty("mgmt.repo", ".."));
        String text = Files.readString(repo.resolve("mgmt-examples/yaml").resolve(example));
        for (int i = 0; i < replacements.length; i += 2) {
            text = text.replace(replacements[i], replacements[i + 1]);
        }
        Path out = dir.resolve(example);
        Files.writeString(out, text);
        return out;
    }

    /** The file's content, or null while it does not exist (for polling). */
    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return null;
        }
    }
}
