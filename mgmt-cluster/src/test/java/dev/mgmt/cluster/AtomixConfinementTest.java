package dev.mgmt.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The build check that keeps Atomix in {@code dev.mgmt.cluster.internal.atomix}: no other main
 * source of this module may name {@code io.atomix}, whether in an import or a fully qualified
 * reference (comments are ignored).
 */
class AtomixConfinementTest {

    private static final Path MAIN = Path.of("src/main/java");
    private static final Path ATOMIX_PACKAGE = Path.of("dev/mgmt/cluster/internal/atomix");

    /** Files allowed to name Atomix outside its package: none. */
    private static final Set<String> NOT_YET_CONFINED = Set.of();

    private static final Pattern ATOMIX = Pattern.compile("\\bio\\.atomix\\b");
    private static final Pattern COMMENTS = Pattern.compile("//[^\\n]*|/\\*.*?\\*/", Pattern.DOTALL);

    @Test
    void onlyTheAtomixPackageNamesAtomix() throws IOException {
        List<String> offenders = new ArrayList<>();
        List<String> confinedAlready = new ArrayList<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                Path rel = MAIN.relativize(file);
                if (rel.startsWith(ATOMIX_PACKAGE)) {
                    continue;
                }
                List<String> uses = atomixLines(file);
                String name = rel.toString().replace('\\', '/');
                if (NOT_YET_CONFINED.contains(name)) {
                    if (uses.isEmpty()) {
                        confinedAlready.add(name);
                    }
                } else if (!uses.isEmpty()) {
                    offenders.add(name + ": " + String.join("; ", uses));
                }
            }
        }
        assertThat(offenders).as("classes outside %s that name io.atomix", ATOMIX_PACKAGE).isEmpty();
        assertThat(confinedAlready).as("files on the allow-list that no longer name io.atomix: take them off")
                .isEmpty();
    }

    @Test
    void theCheckSeesImportsAndQualifiedNamesButNotComments() {
        String source = "import io.atomix.cluster.Member;\n"
                + "// io.atomix in a comment\n/* and io.atomix here */\n"
                + "class X { Object o = io.atomix.utils.net.Address.local(); String s = \"io.atomixy\"; }\n";
        assertThat(atomixLines(source)).containsExactly(
                "line 1: import io.atomix.cluster.Member;",
                "line 4: class X { Object o = io.atomix.utils.net.Address.local(); String s = \"io.atomixy\"; }");
    }

    private static List<String> atomixLines(Path file) throws IOException {
        return atomixLines(Files.readString(file));
    }

    /** The lines, numbered, that name io.atomix outside comments; comments keep their line breaks. */
    static List<String> atomixLines(String source) {
        Matcher m = COMMENTS.matcher(source);
        StringBuilder code = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(code, m.group().replaceAll("[^\\n]", " "));
        }
        m.appendTail(code);
        String[] lines = code.toString().split("\n", -1);
        String[] original = source.split("\n", -1);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            if (ATOMIX.matcher(lines[i]).find()) {
                out.add("line " + (i + 1) + ": " + original[i].strip());
            }
        }
        return out;
    }
}
