package dev.mgmt.resources.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mgmt.api.Uid;
import dev.mgmt.api.codec.ResourceCodec;
import dev.mgmt.api.yaml.YamlGraph;
import dev.mgmt.engine.Engine;
import dev.mgmt.engine.GraphCompileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 11, finding 5: two file resources on one path are a compile error naming both, with their lines. */
class FileClaimsTest {

    @TempDir
    Path tmp;

    @Test
    void aFileClaimsItsPathWhateverItsNameOrTrailingSlash() {
        assertThat(FileResource.builder("x").path("/etc/motd").build().claims()).containsExactly(Uid.of("path", "/etc/motd"));
        assertThat(FileResource.directory("/etc/d").claims()).containsExactly(Uid.of("path", "/etc/d"));
        assertThat(FileResource.absent("/etc//motd").claims()).containsExactly(Uid.of("path", "/etc/motd"));
        assertThat(FileResource.builder("rel").path("relative").build().claims()).isEmpty();
    }

    @Test
    void twoFilesOnOnePathInYamlNameBothWithFileAndLine() {
        String yaml = """
                graph: g
                resources:
                  file:
                  - name: mine
                    path: %1$s/motd
                    content: hello
                  - name: "@@theirs"
                    path: %1$s/motd
                    state: absent
                  - name: dir
                    path: %1$s/d/
                  - name: notadir
                    path: %1$s/d
                """.formatted(tmp);
        YamlGraph g = YamlGraph.parse(yaml, "g.yaml", ResourceCodec.standard());
        GraphCompileException e;
        try (Engine engine = Engine.builder().build()) {
            e = assertThrows(GraphCompileException.class, () -> engine.start(g.graph()));
        }
        assertThat(e.problems()).containsExactly(
                "file[theirs] (g.yaml:7) and file[mine] (g.yaml:4) both manage path '" + tmp + "/motd'; one of them must go",
                "file[notadir] (g.yaml:12) and file[dir] (g.yaml:10) both manage path '" + tmp + "/d'; one of them must go");
        assertThat(tmp.resolve("motd")).doesNotExist();
        assertThat(List.of(tmp.toFile().list())).isEmpty();
    }
}
