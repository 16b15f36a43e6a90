package dev.mgmt.resources.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a copied tree's destination holds besides the source: things named like mgmt's temp
 * files that mgmt did not make, and names that are not UTF-8.
 */
@Timeout(120)
class FileTreeExtrasTest {

    private static final String HEX = "0123456789abcdef";

    @TempDir
    Path tmp;

    private Path source() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src/sub"));
        Files.writeString(src.resolve("b"), "b\n");
        Files.writeString(tmp.resolve("src/a"), "a\n");
        return tmp.resolve("src");
    }

    private FileResource tree(Path dst, boolean force) {
        return FileResource.builder("t").path(dst + "/").source(tmp.resolve("src") + "/").recurse(true).force(force)
                .build();
    }

    private static boolean converge(FileResource f) {
        if (f.check().block()) {
            return false;
        }
        f.apply().block();
        assertThat(f.check().block()).as("check after apply of " + f).isTrue();
        return true;
    }

    @Test
    void onlyALeftTempFileOfOursIsRemovedWithoutForce() throws Exception {
        source();
        Path dst = tmp.resolve("dst");
        assertThat(converge(tree(dst, false))).isTrue();
        Path ours = Files.writeString(dst.resolve("sub/.b.mgmt-" + HEX), "half");
        Path dir = Files.createDirectories(dst.resolve("sub/.c.mgmt-" + HEX + "/inner"));
        Path link = Files.createSymbolicLink(dst.resolve(".d.mgmt-" + HEX), tmp.resolve("src/a"));
        Path linked = Files.createLink(dst.resolve(".e.mgmt-" + HEX), dst.resolve("a"));

        FileResource plain = tree(dst, false);
        assertThat(plain.check().block()).as("a left temp file is no difference").isTrue();
        plain.apply().block(); // what the engine does after a change it was told of
        assertThat(ours).doesNotExist();
        assertThat(dir).as("a directory named like a temp file is not ours").isDirectory();
        assertThat(Files.exists(link, LinkOption.NOFOLLOW_LINKS)).isTrue();
        assertThat(linked).as("a file with two links is not a temp we made").exists();
        assertThat(Files.readString(dst.resolve("a"))).isEqualTo("a\n");
        // Every later run too: nothing there makes the copy fail.
        plain.apply().block();
        assertThat(plain.check().block()).isTrue();
        assertThat(dir).isDirectory();

        FileResource forced = tree(dst, true);
        assertThat(forced.check().block()).as("with force they are extras").isFalse();
        assertThat(converge(forced)).isTrue();
        assertThat(dir.getParent()).doesNotExist();
        assertThat(Files.exists(link, LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(linked).doesNotExist();
        assertThat(Files.readString(dst.resolve("a"))).isEqualTo("a\n");
    }

    @Test
    void aDirectoryNamedLikeATempFileIsLeftAloneByAFileWrite() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("d"));
        Path notOurs = Files.createDirectories(dir.resolve(".f.mgmt-" + HEX + "/x"));
        FileResource f = FileResource.file(dir.resolve("f").toString(), "whole");
        f.apply().block();
        assertThat(Files.readString(dir.resolve("f"))).isEqualTo("whole");
        assertThat(notOurs).isDirectory();
    }

    @Test
    void namesThatAreNotUtf8AreIgnoredWithoutForceAndRemovedWithIt() throws Exception {
        source();
        Path dst = tmp.resolve("dst");
        assertThat(converge(tree(dst, false))).isTrue();
        // Made by a shell: a Java String cannot name them.
        sh("mkdir -p \"$1/$(printf 'bad\\377dir')/x\" && printf k > \"$1/$(printf 'bad\\376file')\""
                + " && printf k > \"$1/sub/$(printf '\\351t\\351')\"", dst);
        assertThat(count(dst)).isEqualTo(4);

        FileResource plain = tree(dst, false);
        assertThat(plain.check().block()).as("nothing there would be touched").isTrue();
        Files.writeString(dst.resolve("a"), "drift\n");
        assertThat(converge(plain)).isTrue();
        assertThat(Files.readString(dst.resolve("a"))).isEqualTo("a\n");
        assertThat(count(dst)).isEqualTo(4);
        assertThat(count(dst.resolve("sub"))).isEqualTo(2);

        assertThat(converge(tree(dst, true))).isTrue();
        assertThat(names(dst)).containsExactlyInAnyOrder("a", "sub");
        assertThat(names(dst.resolve("sub"))).containsExactly("b");
    }

    @Test
    void aNameThatIsNotUtf8InTheSourceIsStillRefused() throws Exception {
        Path src = source();
        sh("printf k > \"$1/$(printf 'bad\\377')\"", src);
        assertThatThrownBy(() -> tree(tmp.resolve("dst"), false).apply().block())
                .hasMessageContaining("holds a name that is not UTF-8");
    }

    private static void sh(String script, Path arg) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", script, "sh", arg.toString()).inheritIO().start();
        assertThat(p.waitFor()).as(script).isZero();
    }

    private static long count(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }

    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }
}
