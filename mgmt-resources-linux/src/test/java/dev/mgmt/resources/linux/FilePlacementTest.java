package dev.mgmt.resources.linux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.api.Collect;
import dev.mgmt.api.CollectPolicy;
import dev.mgmt.api.CollectPolicy.Admission;
import dev.mgmt.api.CollectPolicy.Refused;
import dev.mgmt.api.CollectPolicy.Taken;
import dev.mgmt.api.Placeable;
import dev.mgmt.api.codec.ResourceCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A collected file's placement ({@link FileResource#placed}), moved here from the cluster with
 * its confinement: into the collect's directory under its base name, named {@code host:name},
 * and nothing that could write outside that directory. Also the trust a kind like {@code exec}
 * needs before it is collected at all.
 */
class FilePlacementTest {

    @TempDir
    Path tmp;

    private static FileResource file(String name, String path) {
        return FileResource.builder(name).path(path).content("x\n").build();
    }

    private static String refusal(Admission a) {
        assertThat(a).isInstanceOf(Refused.class);
        return ((Refused) a).reason();
    }

    @Test
    void aFileIsPlacedInThePatternDirectoryUnderItsBaseNameNamedAfterItsExporter() {
        Admission a = ((Placeable) file("key", "/etc/ssh/key.pub")).placed(tmp + "/in/", "b");
        assertThat(a).isInstanceOf(Taken.class);
        FileResource placed = (FileResource) ((Taken) a).resource();
        assertThat(placed.name()).isEqualTo("b:key");
        assertThat(placed.path()).isEqualTo(tmp.resolve("in/key.pub").toString());
        assertThat(placed.content()).isEqualTo("x\n");
    }

    @Test
    void nothingCanBePlacedOutsideThePatternDirectory() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("collect"));
        Path victim = Files.writeString(tmp.resolve("victim"), "precious\n");
        Files.createSymbolicLink(dir.resolve("link"), victim);
        String pattern = dir + "/";
        assertThat(refusal(file("climb", tmp.resolve("x/../../victim").toString()).placed(pattern, "evil")))
                .contains("climbs out with '..'");
        assertThat(refusal(file("link", "/anywhere/link").placed(pattern, "evil")))
                .isEqualTo(dir.resolve("link") + " is a symlink; collected files are never written through one");
        assertThat(refusal(file("nul", "/tmp/a\0b").placed(pattern, "evil")))
                .isEqualTo("its path '/tmp/a\\u0000b' has characters no collected file name may have");
        assertThat(refusal(FileResource.directory("/srv/d/").placed(pattern, "evil")))
                .startsWith("only files can be collected");
        assertThat(refusal(file("tmp", "/x/.f.mgmt-123").placed(pattern, "evil")))
                .isEqualTo("'.f.mgmt-123' is not a plain file name");
        assertThat(file("fine", "/anywhere/fine").placed(pattern, "evil")).isInstanceOf(Taken.class);
        assertThat(victim).hasContent("precious");
    }

    @Test
    void execIsCollectedOnlyByACollectThatTrustsItsPeers() {
        CollectPolicy policy = new CollectPolicy(ResourceCodec.standard());
        ExecResource e = ExecResource.builder("hello").cmd("touch /tmp/hello").reverseCmd("rm /tmp/hello").build();
        assertThat(refusal(policy.admit(new Collect("exec", ""), "b", e)))
                .isEqualTo("it runs a command a peer chooses on this host; this host collects exec only from peers it"
                        + " trusts (to opt in, add trust: true to the collect entry in YAML, or call trust() on the"
                        + " Collect in Java)");
        assertThat(policy.admit(new Collect("exec", "").trust(), "b", e)).isEqualTo(new Taken(e));
        // pkg and svc hand a peer this host just as well, through a name alone.
        assertThat(refusal(policy.admit(new Collect("pkg", ""), "b", PkgResource.builder("nginx").build())))
                .startsWith("it installs a package a peer names");
        assertThat(refusal(policy.admit(new Collect("svc", ""), "b", SvcResource.builder("sshd").build())))
                .startsWith("it starts, stops or enables a service a peer names");
    }
}
