package dev.mgmt.resources.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.mgmt.api.Meta;
import dev.mgmt.api.Resource;
import dev.mgmt.api.Uid;
import dev.mgmt.api.codec.ResourceCodec;
import dev.mgmt.api.codec.ResourceDecodeException;
import dev.mgmt.resources.linux.FileResource.State;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The resource as a value, and its check and apply called directly on real files. */
class FileResourceTest {

    @TempDir
    Path tmp;

    private final ResourceCodec codec = ResourceCodec.standard();
    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());

    private Resource decode(String text) throws Exception {
        return codec.decode("file", yaml.readTree(text));
    }

    private static boolean check(FileResource f) {
        return f.check().block();
    }

    /** Applies when the check says so, as the engine does; returns whether the check had said no. */
    private static boolean converge(FileResource f) {
        if (check(f)) {
            return false;
        }
        f.apply().block();
        assertThat(check(f)).as("check after apply of " + f).isTrue();
        return true;
    }

    private String p(String rel) {
        return tmp.resolve(rel).toString();
    }

    // ------------------------------------------------------------------ creating files

    @Test
    void aNewFileWithoutAModeGetsWhatTheUmaskGivesAndNoTempFileStays() throws Exception {
        Path plain = Files.createFile(tmp.resolve("plain"));
        FileResource f = FileResource.builder("f").path(p("f")).content("x\n").build();
        assertThat(converge(f)).isTrue();
        assertThat(Probe.mode(tmp.resolve("f"))).isEqualTo(Probe.mode(plain));
        try (var names = Files.list(tmp)) {
            assertThat(names.map(n -> n.getFileName().toString())).containsExactlyInAnyOrder("plain", "f");
        }
    }

    @Test
    void manyFilesOfOneDirectoryWrittenAtOnceAllLand() throws Exception {
        List<FileResource> files = java.util.stream.IntStream.range(0, 64)
                .mapToObj(i -> FileResource.builder("f" + i).path(p("f" + i)).content("file " + i + "\n").mode("0640").build())
                .toList();
        reactor.core.publisher.Flux.fromIterable(files)
                .flatMap(f -> f.apply().subscribeOn(reactor.core.scheduler.Schedulers.boundedElastic()), 16)
                .blockLast(java.time.Duration.ofSeconds(60));
        for (int i = 0; i < files.size(); i++) {
            assertThat(Files.readString(tmp.resolve("f" + i))).isEqualTo("file " + i + "\n");
            assertThat(Probe.mode(tmp.resolve("f" + i))).isEqualTo(0640);
            assertThat(check(files.get(i))).isTrue();
        }
        try (var names = Files.list(tmp)) {
            assertThat(names.filter(n -> n.getFileName().toString().contains(".mgmt-"))).isEmpty();
        }
    }

    // ------------------------------------------------------------------ value, validation, codec

    @Test
    void validationMessagesNameTheField() {
        assertThat(FileResource.builder("f").path(p("f")).mode("0999").build().validate())
                .containsExactly("mode: '0999' is not an octal file mode");
        assertThat(FileResource.builder("f").path(p("f")).mode("rw-r--r--").build().validate())
                .containsExactly("mode: 'rw-r--r--' is not an octal file mode");
        assertThat(FileResource.builder("f").path(p("f")).content("x").source(p("s")).build().validate())
                .containsExactly("content and source are mutually exclusive");
        assertThat(FileResource.builder("rel").path("etc/motd").build().validate())
                .containsExactly("path: must be absolute, was 'etc/motd'");
        assertThat(FileResource.builder("rel").build().validate())
                .containsExactly("path: must be absolute, was 'rel'");
        assertThat(FileResource.builder("f").path("/tmp/../etc/passwd").build().validate())
                .containsExactly("path: must not contain '.' or '..', was '/tmp/../etc/passwd'");
        assertThat(FileResource.builder("root").path("/").build().validate())
                .containsExactly("path: '/' itself cannot be managed");
        assertThat(FileResource.builder("d").path(p("d") + "/").content("x").build().validate()).isEmpty();
        assertThat(FileResource.builder("f").path(p("f")).source("src").build().validate())
                .containsExactly("source: must be absolute, was 'src'");
        assertThat(FileResource.builder("f").path(p("f")).owner("a b").group("x:y").build().validate())
                .containsExactly("owner: 'a b' is not a user name or uid", "group: 'x:y' is not a group name or gid");
        assertThat(FileResource.builder("f").path(p("f")).content("x").mode("0644").owner("root").group("0")
                .build().validate()).isEmpty();
        assertThat(FileResource.builder("f").path(p("f")).mode("1777").build().validate()).isEmpty();
    }

    @Test
    void theNameIsThePathWhenNoneIsGiven() {
        FileResource byName = FileResource.builder("/tmp/x").content("a").build();
        FileResource both = FileResource.builder("/tmp/x").path("/tmp/x").content("a").build();
        FileResource emptyPath = FileResource.builder("/tmp/x").path("").content("a").build();
        assertThat(byName.path()).isEqualTo("/tmp/x");
        assertThat(byName).isEqualTo(both).isEqualTo(emptyPath).hasSameHashCodeAs(both);
        assertThat(byName).isNotEqualTo(byName.toBuilder().mode("0644").build());
        assertThat(byName).isNotEqualTo(byName.withMeta(Meta.builder().retry(3).build()));
        assertThat(byName.id().toString()).isEqualTo("file[/tmp/x]");
        assertThat(FileResource.directory("/tmp/d").directory()).isTrue();
        assertThat(FileResource.directory("/tmp/d").path()).isEqualTo("/tmp/d/");
    }

    @Test
    void providesItsPathAndSeeksItsAncestorsNearestFirst() {
        FileResource f = FileResource.builder("f1").path("/tmp/foo/bar/f1").content("x").build();
        assertThat(f.provides()).containsExactly(Uid.of("file", "/tmp/foo/bar/f1"));
        assertThat(f.seeks()).containsExactly(
                List.of(Uid.of("file", "/tmp/foo/bar/"), Uid.of("file", "/tmp/foo/"), Uid.of("file", "/tmp/"), Uid.of("file", "/")),
                List.of(Uid.of("shipped-file", "/tmp/foo/bar/f1")));
        FileResource d = FileResource.builder("d").path("/tmp/foo/").build();
        assertThat(d.provides()).containsExactly(Uid.of("file", "/tmp/foo/"));
        assertThat(d.seeks()).containsExactly(List.of(Uid.of("file", "/tmp/"), Uid.of("file", "/")),
                List.of(Uid.of("shipped-file", "/tmp/foo/")));
    }

    @Test
    void decodesMgmtExampleYaml() throws Exception {
        // mgmt's examples/yaml/file1.yaml, one resource at a time
        assertThat(decode("name: file1\npath: \"/tmp/mgmt/f1\"\ncontent: |\n  i am f1\nstate: exists\n"))
                .isEqualTo(FileResource.builder("file1").path("/tmp/mgmt/f1").content("i am f1\n").build());
        assertThat(decode("name: file4\npath: \"/tmp/mgmt/f4\"\ncontent: |\n  i am f4 and i should not be here\n"
                + "state: absent\n"))
                .isEqualTo(FileResource.builder("file4").path("/tmp/mgmt/f4")
                        .content("i am f4 and i should not be here\n").state(State.ABSENT).build())
                .satisfies(r -> assertThat(r.validate()).isEmpty());
        // examples/yaml/autoedges1.yaml: a directory with meta
        assertThat(decode("name: file2\nmeta:\n  autoedge: true\npath: \"/tmp/foo/\"\nstate: exists\n"))
                .isEqualTo(FileResource.builder("file2").path("/tmp/foo/").build());
        // every parameter, and the keys mgmt wrote out empty
        FileResource all = (FileResource) decode("name: f\npath: /srv/a\nstate: ''\nsource: /srv/b\nowner: www\n"
                + "group: '33'\nmode: '0640'\nrecurse: true\nforce: true\ndirname: ''\nbasename: ''\npurge: false\n"
                + "meta: {retry: 2}\n");
        assertThat(all).isEqualTo(FileResource.builder("f").path("/srv/a").source("/srv/b").owner("www").group("33")
                .mode("0640").recurse(true).force(true).meta(Meta.builder().retry(2).build()).build());
        assertThat(all.state()).isEqualTo(State.EXISTS);
    }

    @Test
    void decodeErrorsNameTheKey() {
        assertThatThrownBy(() -> decode("name: f\npath: /x\nstate: present\n"))
                .isInstanceOf(ResourceDecodeException.class)
                .hasMessageContaining("file[f]").hasMessageContaining("state: must be 'exists' or 'absent', was 'present'");
        assertThatThrownBy(() -> decode("name: f\npath: /x\ncontnet: hi\n"))
                .hasMessageStartingWith("file[f]: unknown key 'contnet'");
        assertThatThrownBy(() -> decode("name: f\npath: /x\ndirname: /y/\n"))
                .hasMessageStartingWith("file[f]: unknown key 'dirname'");
    }

    @Test
    void roundTripsThroughJson() {
        for (FileResource r : List.of(
                FileResource.file("/tmp/a", "hello\n"),
                FileResource.directory("/tmp/d"),
                FileResource.absent("/tmp/gone"),
                FileResource.builder("n").path("/tmp/b").source("/tmp/s").owner("root").group("0").mode("0600")
                        .recurse(true).force(true).meta(Meta.builder().noop(true).build()).build())) {
            assertThat(codec.fromJson("file", codec.toJson(r))).isEqualTo(r);
        }
        assertThat(codec.toJson(FileResource.file("/tmp/a", "x")))
                .startsWith("{\"name\":\"/tmp/a\",\"path\":\"/tmp/a\",\"state\":\"exists\",\"content\":\"x\","
                        + "\"recurse\":false,\"force\":false,\"meta\":")
                .doesNotContain("\"source\"", "\"owner\"", "\"group\"", "\"mode\"");
    }

    // ------------------------------------------------------------------ check and apply

    @Test
    void createsAFileWithContentAndMode() throws IOException {
        FileResource f = FileResource.builder("f").path(p("f")).content("hello\n").mode("0640").build();
        assertThat(converge(f)).isTrue();
        assertThat(Files.readString(tmp.resolve("f"))).isEqualTo("hello\n");
        assertThat(Probe.mode(tmp.resolve("f"))).isEqualTo(0640);
        assertThat(converge(f)).as("second run changes nothing").isFalse();
        assertThat(Files.list(tmp).map(x -> x.getFileName().toString())).containsExactly("f");
    }

    @Test
    void correctsContentAndModeAndKeepsAnUnmanagedMode() throws IOException {
        Path t = tmp.resolve("f");
        Files.writeString(t, "wrong");
        Files.setAttribute(t, "unix:mode", 0600);
        FileResource f = FileResource.file(t.toString(), "right");
        assertThat(converge(f)).isTrue();
        assertThat(Files.readString(t)).isEqualTo("right");
        assertThat(Probe.mode(t)).as("mode not managed: kept").isEqualTo(0600);

        FileResource m = f.toBuilder().mode("0644").build();
        assertThat(converge(m)).isTrue();
        assertThat(Probe.mode(t)).isEqualTo(0644);
        Files.setAttribute(t, "unix:mode", 04755);
        assertThat(converge(m)).isTrue();
        assertThat(Probe.mode(t)).isEqualTo(0644);
    }

    @Test
    void contentIsComparedExactlyEvenForLargeFiles() throws IOException {
        byte[] big = new byte[3 * 1024 * 1024 + 17];
        Arrays.fill(big, (byte) 'a');
        String content = new String(big, StandardCharsets.US_ASCII);
        Path t = tmp.resolve("big");
        FileResource f = FileResource.file(t.toString(), content);
        assertThat(converge(f)).isTrue();
        big[big.length - 1] = 'b'; // same size, last byte differs
        Files.write(t, big);
        assertThat(check(f)).isFalse();
        Files.write(t, Arrays.copyOf(big, big.length + 1)); // one byte longer
        assertThat(check(f)).isFalse();
        assertThat(converge(f)).isTrue();
        assertThat(Files.readString(t)).isEqualTo(content);
    }

    @Test
    void unmanagedContentCreatesAnEmptyFileAndLeavesContentAlone() throws IOException {
        Path t = tmp.resolve("touched");
        FileResource f = FileResource.builder("t").path(t.toString()).mode("0600").build();
        assertThat(converge(f)).isTrue();
        assertThat(Files.size(t)).isZero();
        Files.writeString(t, "mine");
        assertThat(check(f)).isTrue();
    }

    @Test
    void copiesContentFromASource() throws IOException {
        Path src = tmp.resolve("src");
        Files.writeString(src, "from the source\n");
        Path t = tmp.resolve("dst");
        FileResource f = FileResource.builder("dst").path(t.toString()).source(src.toString()).build();
        assertThat(converge(f)).isTrue();
        assertThat(Files.readString(t)).isEqualTo("from the source\n");
        Files.writeString(src, "changed source\n");
        assertThat(converge(f)).isTrue();
        assertThat(Files.readString(t)).isEqualTo("changed source\n");
        Files.delete(src);
        assertThatThrownBy(() -> check(f)).hasMessageContaining("source does not exist");
    }

    @Test
    void absentRemovesFilesAndEmptyDirectoriesAndNonEmptyOnesOnlyWithRecurseOrForce() throws IOException {
        Path t = tmp.resolve("f");
        Files.writeString(t, "x");
        assertThat(converge(FileResource.absent(t.toString()))).isTrue();
        assertThat(t).doesNotExist();
        assertThat(converge(FileResource.absent(t.toString()))).isFalse();

        Path empty = Files.createDirectory(tmp.resolve("empty"));
        assertThat(converge(FileResource.absent(empty + "/"))).isTrue();
        assertThat(empty).doesNotExist();

        Path full = Files.createDirectories(tmp.resolve("full/sub"));
        Files.writeString(full.resolve("x"), "x");
        FileResource plain = FileResource.absent(tmp.resolve("full") + "/");
        assertThat(check(plain)).isFalse();
        assertThatThrownBy(() -> plain.apply().block())
                .hasMessageContaining("is not empty; set recurse or force to remove it");
        assertThat(converge(plain.toBuilder().recurse(true).build())).isTrue();
        assertThat(tmp.resolve("full")).doesNotExist();

        Files.createDirectories(full);
        Files.writeString(full.resolve("x"), "x");
        assertThat(converge(plain.toBuilder().force(true).build())).isTrue();
        assertThat(tmp.resolve("full")).doesNotExist();
    }

    @Test
    void aTrailingSlashMakesADirectoryWithItsMode() throws IOException {
        Path d = tmp.resolve("dir");
        FileResource f = FileResource.builder("d").path(d + "/").mode("0750").build();
        assertThat(f.directory()).isTrue();
        assertThat(converge(f)).isTrue();
        assertThat(d).isDirectory();
        assertThat(Probe.mode(d)).isEqualTo(0750);
        Files.setAttribute(d, "unix:mode", 0777);
        assertThat(converge(f)).isTrue();
        assertThat(Probe.mode(d)).isEqualTo(0750);
        assertThat(converge(f)).isFalse();
    }

    @Test
    void missingParentsFailUnlessRecurse() throws IOException {
        Path t = tmp.resolve("a/b/f");
        FileResource f = FileResource.file(t.toString(), "deep");
        String missing = "parent directory " + tmp.resolve("a/b") + " does not exist (create it with a file resource"
                + " or set recurse: true)";
        assertThatThrownBy(() -> f.check().block()).hasMessageContaining(missing);
        assertThatThrownBy(() -> f.apply().block()).hasMessageContaining(missing);
        assertThat(converge(f.toBuilder().recurse(true).build())).isTrue();
        assertThat(Files.readString(t)).isEqualTo("deep");
        FileResource d = FileResource.builder("d").path(tmp.resolve("x/y/z") + "/").recurse(true).build();
        assertThat(converge(d)).isTrue();
        assertThat(tmp.resolve("x/y/z")).isDirectory();
    }

    @Test
    void aThingOfTheWrongTypeIsReplacedOnlyWithForce() throws IOException {
        Path t = tmp.resolve("t");
        Files.createDirectories(t.resolve("inner"));
        FileResource f = FileResource.file(t.toString(), "now a file");
        assertThat(check(f)).isFalse();
        assertThatThrownBy(() -> f.apply().block()).hasMessageContaining("is a directory, not a file; set force");
        assertThat(converge(f.toBuilder().force(true).build())).isTrue();
        assertThat(Files.readString(t)).isEqualTo("now a file");

        Path link = tmp.resolve("link");
        Files.createSymbolicLink(link, t);
        FileResource viaLink = FileResource.file(link.toString(), "own");
        assertThat(check(viaLink)).as("a symlink is not the file").isFalse();
        assertThatThrownBy(() -> viaLink.apply().block()).hasMessageContaining("is a symlink, not a file");
        assertThat(converge(viaLink.toBuilder().force(true).build())).isTrue();
        assertThat(Files.isSymbolicLink(link)).isFalse();
        assertThat(Files.readString(t)).as("the link's target is untouched").isEqualTo("now a file");

        FileResource dir = FileResource.builder("d").path(t + "/").build();
        assertThatThrownBy(() -> dir.apply().block()).hasMessageContaining("is a file, not a directory; set force");
        assertThat(converge(dir.toBuilder().force(true).build())).isTrue();
        assertThat(t).isDirectory();
    }

    @Test
    @Timeout(60)
    void aFifoAtThePathIsNeitherOpenedNorChanged() throws Exception {
        // Opening a FIFO to read blocks until a writer comes; the resource only looks at it.
        Path fifo = tmp.resolve("fifo");
        assertThat(new ProcessBuilder("mkfifo", "-m", "0600", fifo.toString()).start().waitFor()).isZero();
        FileResource f = FileResource.builder("f").path(fifo.toString()).mode("0644").build();
        assertThat(check(f)).isFalse();
        assertThatThrownBy(() -> f.apply().block()).hasMessageContaining("is a special file, not a file; set force");
        assertThat(Probe.mode(fifo)).isEqualTo(0600);
        assertThat(converge(f.toBuilder().force(true).build())).isTrue();
        assertThat(Files.isRegularFile(fifo, LinkOption.NOFOLLOW_LINKS)).isTrue();
        assertThat(Probe.mode(fifo)).isEqualTo(0644);
    }

    @Test
    void ownerAndGroupByNameOrId() throws IOException {
        assumeThat(System.getProperty("user.name")).as("chown needs root").isEqualTo("root");
        Path t = tmp.resolve("owned");
        FileResource byId = FileResource.builder("o").path(t.toString()).content("x").owner("1234").group("4321")
                .mode("0640").build();
        assertThat(converge(byId)).isTrue();
        assertThat(Files.getAttribute(t, "unix:uid")).isEqualTo(1234);
        assertThat(Files.getAttribute(t, "unix:gid")).isEqualTo(4321);
        assertThat(Probe.mode(t)).isEqualTo(0640);

        FileResource byName = byId.toBuilder().owner("daemon").group("daemon").build();
        assertThat(converge(byName)).isTrue();
        assertThat(Files.getAttribute(t, "unix:uid")).isEqualTo(1);
        assertThat(Files.getAttribute(t, "unix:gid")).isEqualTo(1);

        // Replacing the content keeps an unmanaged owner.
        FileResource content = FileResource.file(t.toString(), "new");
        assertThat(converge(content)).isTrue();
        assertThat(Files.getAttribute(t, "unix:uid")).isEqualTo(1);
        assertThat(Probe.mode(t)).isEqualTo(0640);

        FileResource nobody = byId.toBuilder().owner("no-such-user-here").build();
        assertThatThrownBy(() -> check(nobody)).hasMessageContaining("owner: no such user 'no-such-user-here'");
    }

    @Test
    void staleTempFilesOfTheSameNameAreRemovedAtTheFirstWrite() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("stale"));
        Path mine = Files.writeString(dir.resolve(".f.mgmt-0123456789abcdef"), "half");
        Path others = Files.writeString(dir.resolve(".g.mgmt-0123456789abcdef"), "half");
        Path unrelated = Files.writeString(dir.resolve(".f.mgmt-notours"), "keep");
        assertThat(converge(FileResource.file(dir.resolve("f").toString(), "whole"))).isTrue();
        assertThat(mine).doesNotExist();
        assertThat(others).as("another resource's temp is left to it").exists();
        assertThat(unrelated).exists();
        assertThat(converge(FileResource.file(dir.resolve("g").toString(), "whole"))).isTrue();
        assertThat(others).doesNotExist();
    }
}
