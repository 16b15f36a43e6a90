package dev.mgmt.resources.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mgmt.api.Meta;
import dev.mgmt.api.Resource;
import dev.mgmt.api.Reversible;
import dev.mgmt.api.codec.ResourceCodec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link Reversible} of every Linux kind as values: the parameters of each reversal, that it
 * survives the kind's codec (the engine keeps pending reversals on disk as JSON), and what
 * happens to a resource that has nothing to undo. No files, processes or daemons are touched.
 */
class ReverseCodecTest {

    private static final Meta REVERSE = Meta.builder().reverse(true).retry(3).delay(Duration.ofMillis(50)).build();

    private final ResourceCodec codec = ResourceCodec.standard();

    /** The reversal, after checking the rules every reversal keeps. */
    private Resource reversal(Resource r) {
        Resource rev = ((Reversible) r).reversed();
        assertThat(rev.kind()).as("kind of the reversal of " + r).isEqualTo(r.kind());
        assertThat(rev.name()).as("name of the reversal of " + r).isEqualTo(r.name());
        assertThat(rev.meta()).as("meta of the reversal of " + r).isEqualTo(Meta.DEFAULTS);
        assertThat(rev.validate()).as("the reversal of " + r + " is valid").isEmpty();
        assertThat(((Reversible) r).reversed()).as("reversed() is a value").isEqualTo(rev).hasSameHashCodeAs(rev);
        roundTrips(rev);
        return rev;
    }

    /** codec.encode(rev), decoded, equals rev; and the same through JSON text. */
    private void roundTrips(Resource rev) {
        JsonNode tree = codec.encode(rev);
        assertThat(codec.decode(rev.kind(), tree)).as("decode(encode(" + rev + ")): " + tree).isEqualTo(rev);
        assertThat(codec.fromJson(rev.kind(), codec.toJson(rev))).as("fromJson(toJson(" + rev + "))").isEqualTo(rev);
    }

    // ------------------------------------------------------------------ file

    @Test
    void fileThatExistsReversesToTheSamePathAbsentWithNothingElse() {
        FileResource f = FileResource.builder("motd").path("/etc/motd").content("hi\n").mode("0644").owner("root")
                .group("root").recurse(true).force(true).meta(REVERSE).build();
        assertThat(f.validate()).isEmpty();
        FileResource rev = (FileResource) reversal(f);
        assertThat(rev).isEqualTo(FileResource.builder("motd").path("/etc/motd").state(FileResource.State.ABSENT).build());
        assertThat(rev.content()).isNull();
        assertThat(rev.mode()).isNull();
        assertThat(rev.owner()).isNull();
        assertThat(rev.recurse()).as("a file's reversal never removes a tree").isFalse();
        assertThat(rev.force()).isFalse();

        FileResource copied = FileResource.builder("/srv/x").source("/srv/src").build();
        assertThat(reversal(copied)).isEqualTo(FileResource.absent("/srv/x"));
    }

    @Test
    void directoryReversesToAbsentAndRemovesItsContentsOnlyWithRecurseAndForce() {
        FileResource plain = FileResource.directory("/srv/app").withMeta(REVERSE);
        assertThat(reversal(plain)).isEqualTo(FileResource.absent("/srv/app/"));
        for (FileResource one : List.of(plain.toBuilder().recurse(true).build(), plain.toBuilder().force(true).build())) {
            FileResource rev = (FileResource) reversal(one);
            assertThat(rev.recurse()).as("recurse of the reversal of recurse=%s force=%s", one.recurse(), one.force())
                    .isFalse();
            assertThat(rev.force()).isFalse();
        }
        FileResource both = (FileResource) reversal(plain.toBuilder().recurse(true).force(true).mode("0750").build());
        assertThat(both).isEqualTo(FileResource.builder("/srv/app/").state(FileResource.State.ABSENT).recurse(true)
                .force(true).build());
        assertThat(both.directory()).isTrue();
    }

    @Test
    void absentFileHasNoReversal() {
        FileResource gone = FileResource.absent("/tmp/stale.lock");
        assertThat(gone.validate()).as("without meta.reverse, nothing to say").isEmpty();
        assertThat(gone.withMeta(REVERSE).validate()).containsExactly(
                "state: meta.reverse needs state 'exists' (an absent file cannot be put back: what was removed is not"
                        + " known)");
        assertThatThrownBy(gone::reversed).isInstanceOf(IllegalStateException.class)
                .hasMessage("file[/tmp/stale.lock] cannot be reversed: state: needs state 'exists' (an absent file"
                        + " cannot be put back: what was removed is not known)");
        // so the reversal of a reversal is not reversible either
        assertThatThrownBy(() -> FileResource.file("/tmp/x", "x").reversed().reversed())
                .isInstanceOf(IllegalStateException.class);
    }

    // ------------------------------------------------------------------ exec

    @Test
    void execReversesToItsReverseCommandWithShellCwdEnvAndTimeoutButNoGuards() {
        ExecResource e = ExecResource.builder("build").cmd("make all").shell("/bin/bash").cwd("/srv/app")
                .env(Map.of("CC", "gcc", "JOBS", "2")).timeout(Duration.ofMillis(2500))
                .creates("/srv/app/out").ifCmd("test -d /srv/app").ifShell("/bin/sh").nifCmd("false")
                .nifShell("/bin/sh").watchCmd("inotifywait -m /srv/app").watchShell("/bin/sh")
                .reverseCmd("make clean").meta(REVERSE).build();
        assertThat(e.validate()).isEmpty();
        ExecResource rev = (ExecResource) reversal(e);
        assertThat(rev).isEqualTo(ExecResource.builder("build").cmd("make clean").shell("/bin/bash").cwd("/srv/app")
                .env(Map.of("CC", "gcc", "JOBS", "2")).timeout(Duration.ofMillis(2500)).build());
        assertThat(rev.creates()).isEmpty();
        assertThat(rev.ifCmd()).isEmpty();
        assertThat(rev.nifCmd()).isEmpty();
        assertThat(rev.watchCmd()).isEmpty();
        assertThat(rev.reverseCmd()).isEmpty();

        // args belong to cmd: the reverse command is split at whitespace, as cmd is without args
        ExecResource withArgs = ExecResource.builder("a").cmd("/usr/bin/install").args("-d", "/srv/x")
                .reverseCmd("rmdir /srv/x").build();
        assertThat(reversal(withArgs)).isEqualTo(ExecResource.builder("a").cmd("rmdir /srv/x").build());
    }

    @Test
    void reverseCmdIsAKeyOfTheCodec() throws Exception {
        ExecResource e = ExecResource.shell("x", "touch m").toBuilder().reverseCmd("rm -f m").build();
        assertThat(codec.encode(e).get("reversecmd").asText()).isEqualTo("rm -f m");
        assertThat(codec.fromJson("exec", codec.toJson(e))).isEqualTo(e);
        assertThat(codec.decode("exec", codec.encode(e))).isEqualTo(e);
        assertThat(codec.fromJson("exec", "{\"name\":\"x\",\"cmd\":\"true\",\"reversecmd\":\"\"}"))
                .isEqualTo(ExecResource.builder("x").cmd("true").build());
        assertThat(codec.toJson(ExecResource.builder("x").cmd("true").build())).doesNotContain("reversecmd");
        assertThat(e).isNotEqualTo(e.toBuilder().reverseCmd("rm m").build())
                .isNotEqualTo(e.toBuilder().reverseCmd(null).build());
    }

    @Test
    void execWithoutReverseCommandHasNoReversal() {
        ExecResource e = ExecResource.shell("x", "touch m");
        assertThat(e.validate()).isEmpty();
        assertThat(e.withMeta(REVERSE).validate()).containsExactly("reversecmd: meta.reverse needs a reverse command");
        assertThat(e.toBuilder().reverseCmd("  ").meta(REVERSE).build().validate())
                .containsExactly("reversecmd: meta.reverse needs a reverse command");
        assertThatThrownBy(e::reversed).isInstanceOf(IllegalStateException.class)
                .hasMessage("exec[x] cannot be reversed: reversecmd: needs a reverse command");
        assertThatThrownBy(() -> e.toBuilder().reverseCmd("rm m").build().reversed().reversed())
                .isInstanceOf(IllegalStateException.class);
    }

    // ------------------------------------------------------------------ svc

    @Test
    void svcRunningStopsAndEnabledDisablesAndUnsetStaysUnset() {
        SvcResource both = SvcResource.builder("nginx").running().enabled().session(true).bus("unix:path=/x")
                .meta(REVERSE).build();
        assertThat(both.validate()).isEmpty();
        assertThat(reversal(both)).isEqualTo(SvcResource.builder("nginx").stopped().disabled().session(true)
                .bus("unix:path=/x").build());
        assertThat(reversal(SvcResource.running("a.service")))
                .isEqualTo(SvcResource.builder("a.service").stopped().build());
        SvcResource enabledOnly = (SvcResource) reversal(SvcResource.builder("b").enabled().build());
        assertThat(enabledOnly).isEqualTo(SvcResource.builder("b").disabled().build());
        assertThat(enabledOnly.state()).as("an unset state stays unset").isEmpty();
        // a stop is not undone, an enable is
        assertThat(reversal(SvcResource.builder("c").stopped().enabled().build()))
                .isEqualTo(SvcResource.builder("c").disabled().build());
        assertThat(reversal(SvcResource.builder("d").running().disabled().build()))
                .isEqualTo(SvcResource.builder("d").stopped().build());
    }

    @Test
    void svcThatNeitherRunsNorIsEnabledHasNoReversal() {
        for (SvcResource s : List.of(SvcResource.builder("x").stopped().build(),
                SvcResource.builder("x").disabled().build(), SvcResource.builder("x").stopped().disabled().build(),
                SvcResource.builder("x").build())) {
            assertThat(s.validate()).isEmpty();
            assertThat(s.withMeta(REVERSE).validate()).containsExactly("state: meta.reverse needs state 'running' or"
                    + " startup 'enabled' (a stop or a disable is not undone: whether the service ran or was enabled"
                    + " before is not known)");
            assertThatThrownBy(s::reversed).isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("svc[x] cannot be reversed: state: needs state 'running' or startup"
                            + " 'enabled'");
        }
        assertThatThrownBy(() -> SvcResource.running("x").reversed().reversed())
                .isInstanceOf(IllegalStateException.class);
    }

    // ------------------------------------------------------------------ pkg

    @Test
    void pkgThatIsInstalledIsUninstalledOnTheSameBackend() {
        PkgResource full = PkgResource.builder("mgmt-test-a").state("1.2-3").source("/srv/debs/a.deb")
                .allowDowngrade(true).allowUntrusted(true).allowNonFree(true).allowUnsupported(true)
                .backend(PkgResource.Backend.APT).meta(REVERSE).build();
        assertThat(full.validate()).isEmpty();
        PkgResource rev = (PkgResource) reversal(full);
        assertThat(rev).isEqualTo(PkgResource.builder("mgmt-test-a").state(PkgResource.UNINSTALLED)
                .backend(PkgResource.Backend.APT).build());
        assertThat(rev.source()).isNull();
        assertThat(rev.allowUntrusted()).isFalse();
        assertThat(reversal(PkgResource.installed("cowsay"))).isEqualTo(PkgResource.uninstalled("cowsay"));
        assertThat(reversal(PkgResource.builder("powertop").state(PkgResource.NEWEST)
                .backend(PkgResource.Backend.PACKAGEKIT).build()))
                .isEqualTo(PkgResource.builder("powertop").state(PkgResource.UNINSTALLED)
                        .backend(PkgResource.Backend.PACKAGEKIT).build());
    }

    @Test
    void pkgReversalsGroupIntoOneRemovalAndKeepAGivenBackendInstance() {
        PkgResource a = PkgResource.builder("a").source("/srv/a.deb").allowUntrusted(true).build();
        PkgResource b = PkgResource.builder("b").state(PkgResource.NEWEST).build();
        assertThat(a.reversed().groupsWith(b.reversed())).as("flags only matter for installing").isTrue();

        PkgBackend apt = PkgBackend.apt();
        PkgResource using = PkgResource.builder("c").using(apt).build();
        PkgResource rev = using.reversed();
        assertThat(rev.run().using()).isSameAs(apt);
        assertThat(rev.groupsWith(PkgResource.builder("d").state(PkgResource.UNINSTALLED).using(apt).build())).isTrue();
        assertThat(rev.groupsWith(PkgResource.uninstalled("d"))).as("another backend instance").isFalse();
    }

    @Test
    void uninstalledPkgHasNoReversal() {
        PkgResource gone = PkgResource.uninstalled("telnet");
        assertThat(gone.validate()).isEmpty();
        assertThat(gone.withMeta(REVERSE).validate()).containsExactly("state: meta.reverse needs state 'installed',"
                + " 'newest' or a version (an uninstalled package is not put back: whether, and in which version, it was"
                + " installed is not known)");
        assertThatThrownBy(gone::reversed).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("pkg[telnet] cannot be reversed: state: needs state 'installed', 'newest' or a"
                        + " version (");
        assertThatThrownBy(() -> PkgResource.installed("telnet").reversed().reversed())
                .isInstanceOf(IllegalStateException.class);
    }

    // ------------------------------------------------------------------ all kinds

    @Test
    void everyLinuxKindIsReversibleAndItsReversalsRoundTripThroughTheCodec() {
        List<Resource> resources = List.of(
                FileResource.file("/srv/a", "a\n"),
                FileResource.builder("/srv/d/").recurse(true).force(true).build(),
                ExecResource.builder("e").cmd("true").reverseCmd("false").env("X", "1").build(),
                SvcResource.builder("s").running().enabled().session(true).build(),
                PkgResource.builder("p").state("2.0").backend(PkgResource.Backend.APT).build());
        for (Resource r : resources) {
            assertThat(r).isInstanceOf(Reversible.class);
            assertThat(codec.registry().kinds()).contains(r.kind());
            reversal(r);
        }
    }
}
