package dev.mgmt.resources.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two ways around {@code O_NOFOLLOW} found by the security review of issue 11 (finding 3), each
 * by someone who can write in a managed file's directory:
 * <ul>
 *   <li>a hard link to another file (a "victim") at the managed path: changing the mode or
 *       owner of that inode changes the victim. Refused in place; a file whose content mgmt
 *       manages is replaced by a new one instead, and the victim is never touched;</li>
 *   <li>their own program at the path of an attribute-only file with {@code owner: root} and a
 *       set-id mode: mgmt would chown it to root and make it setuid root. Refused unless the
 *       file is already the wanted owner's, or mgmt writes the content itself.</li>
 * </ul>
 * Real files; as root (owners need it), skipped otherwise.
 */
class FileLinkAndSetIdTest {

    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));
    /** Someone else: nobody. */
    private static final int OTHER = 65534;

    @TempDir
    Path tmp;

    @Test
    void aHardLinkToAnotherFileIsRefusedAndTheOtherFileIsUntouched() throws Exception {
        assumeTrue(ROOT, "links to a root-owned victim (and owners) need root");
        Path victim = victim();
        Path managed = Files.createLink(Files.createDirectory(tmp.resolve("shared")).resolve("f"), victim);
        Map<String, Object> before = attributes(victim);
        Object ctime = Files.getAttribute(victim, "unix:ctime");

        FileResource mode = FileResource.builder("f").path(managed.toString()).mode("0644").build();
        assertThat(mode.check().block()).isFalse();
        assertThatThrownBy(() -> mode.apply().block())
                .hasMessageContaining("path: " + managed + " has 2 hard links")
                .hasMessageContaining("would change the same file under every other name too")
                .hasMessageContaining("manage its content");
        FileResource owner = FileResource.builder("f").path(managed.toString()).owner("1234").group("4321").build();
        assertThatThrownBy(() -> owner.apply().block()).hasMessageContaining("has 2 hard links, so changing its owner");

        assertThat(attributes(victim)).isEqualTo(before);
        assertThat(Files.getAttribute(victim, "unix:ctime")).as("not even changed to the same").isEqualTo(ctime);
        assertThat(Files.readString(victim)).isEqualTo("secret\n");
    }

    @Test
    void aHardLinkAtAPathWhoseContentIsManagedIsReplacedNeverChanged() throws Exception {
        assumeTrue(ROOT, "links to a root-owned victim (and owners) need root");
        Path victim = victim();
        Path shared = Files.createDirectory(tmp.resolve("shared"));
        Map<String, Object> before = attributes(victim);

        // Same content as the victim: nothing to write, only the mode differs.
        Path same = Files.createLink(shared.resolve("same"), victim);
        FileResource r = FileResource.builder("same").path(same.toString()).content("secret\n").mode("0644").build();
        r.apply().block();
        assertThat(Probe.mode(same)).isEqualTo(0644);
        assertThat(Files.getAttribute(same, "unix:nlink")).isEqualTo(1);
        assertThat(Files.isSameFile(same, victim)).isFalse();
        assertThat(r.check().block()).isTrue();

        // Other content: written anew as always.
        Path other = Files.createLink(shared.resolve("other"), victim);
        FileResource w = FileResource.builder("other").path(other.toString()).content("mine\n").owner("1234")
                .mode("0644").build();
        w.apply().block();
        assertThat(Files.readString(other)).isEqualTo("mine\n");
        assertThat(Files.getAttribute(other, "unix:uid")).isEqualTo(1234);

        assertThat(attributes(victim)).isEqualTo(before);
        assertThat(Files.readString(victim)).isEqualTo("secret\n");
        assertThat(Files.getAttribute(victim, "unix:nlink")).isEqualTo(1);
    }

    @Test
    void someoneElsesProgramIsNeverMadeSetuidRoot() throws Exception {
        assumeTrue(ROOT, "a file of another user needs root to make");
        Path shared = Files.createDirectory(tmp.resolve("shared"));
        Path tool = theirs(shared.resolve("tool"), 0755);

        FileResource named = FileResource.builder("tool").path(tool.toString()).owner("root").mode("4755").build();
        assertThatThrownBy(() -> named.apply().block())
                .hasMessageContaining("path: " + tool + " is owned by uid " + OTHER + ", not by its owner root (uid 0)")
                .hasMessageContaining("set-user-ID or set-group-ID (mode 4755)");
        assertUntouched(tool, 0755);

        // No owner managed: the only owner mgmt vouches for is itself (root here).
        FileResource unnamed = FileResource.builder("tool").path(tool.toString()).mode("4755").build();
        assertThatThrownBy(() -> unnamed.apply().block())
                .hasMessageContaining("is owned by uid " + OTHER + ", not by mgmt's uid 0 (no owner is managed)");
        assertUntouched(tool, 0755);

        // Set-gid to a group of mgmt's choosing, the same.
        FileResource gid = FileResource.builder("tool").path(tool.toString()).owner("0").group("0").mode("2755")
                .build();
        assertThatThrownBy(() -> gid.apply().block()).hasMessageContaining("is owned by uid " + OTHER);
        assertUntouched(tool, 0755);

        // Already setuid (their own uid): not kept across a chown to root either.
        Files.setAttribute(tool, "unix:mode", 04755);
        assertThatThrownBy(() -> named.apply().block()).hasMessageContaining("is owned by uid " + OTHER);
        assertUntouched(tool, 04755);
    }

    @Test
    void ordinarySetIdFilesStillWork() throws Exception {
        assumeTrue(ROOT, "root-owned set-id files need root");
        Path dir = Files.createDirectory(tmp.resolve("d"));

        // Created with its content by mgmt.
        Path made = dir.resolve("made");
        FileResource create = FileResource.builder("made").path(made.toString()).content("#!/bin/true\n").owner("root")
                .mode("4755").build();
        create.apply().block();
        assertSetuid(made, 0, 04755);

        // A root-owned file, mode changed in place by root.
        Path rootOwned = Files.writeString(dir.resolve("rootowned"), "x");
        Files.setAttribute(rootOwned, "unix:mode", 0755);
        Object ino = Files.getAttribute(rootOwned, "unix:ino");
        FileResource chmod = FileResource.builder("rootowned").path(rootOwned.toString()).mode("4755").build();
        chmod.apply().block();
        assertSetuid(rootOwned, 0, 04755);
        assertThat(Files.getAttribute(rootOwned, "unix:ino")).isEqualTo(ino);
        // ... and its group changed, set-uid kept (the owner stays root).
        FileResource regroup = FileResource.builder("rootowned").path(rootOwned.toString()).owner("0").group("4321")
                .mode("4755").build();
        regroup.apply().block();
        assertSetuid(rootOwned, 0, 04755);
        assertThat(Files.getAttribute(rootOwned, "unix:gid")).isEqualTo(4321);

        // Another user's file that is meant to be set-id for that user says so with owner.
        Path theirs = theirs(dir.resolve("theirs"), 0755);
        FileResource vouched = FileResource.builder("theirs").path(theirs.toString()).owner(String.valueOf(OTHER))
                .mode("4755").build();
        vouched.apply().block();
        assertSetuid(theirs, OTHER, 04755);

        // Their file, but mgmt manages the content: replaced by mgmt's own file, set-uid root.
        Path same = theirs(dir.resolve("same"), 0755);
        Object theirIno = Files.getAttribute(same, "unix:ino");
        FileResource content = FileResource.builder("same").path(same.toString()).content("evil\n").owner("root")
                .mode("4755").build();
        content.apply().block();
        assertSetuid(same, 0, 04755);
        assertThat(Files.getAttribute(same, "unix:ino")).isNotEqualTo(theirIno);
        assertThat(content.check().block()).isTrue();
    }

    @Test
    void setIdBitsOfAReplacedFileAreNotKeptForAnotherOwner() throws Exception {
        assumeTrue(ROOT, "a file of another user needs root to make");
        Path tool = theirs(Files.createDirectory(tmp.resolve("shared")).resolve("tool"), 04755);
        // No mode managed: the mode of the file replaced is kept, but not its set-uid bit for root.
        FileResource r = FileResource.builder("tool").path(tool.toString()).content("good\n").owner("root").build();
        r.apply().block();
        assertThat(Files.readString(tool)).isEqualTo("good\n");
        assertThat(Files.getAttribute(tool, "unix:uid")).isEqualTo(0);
        assertThat(Probe.mode(tool)).isEqualTo(0755);
    }

    /** A root-owned 0600 file outside the managed directory. */
    private Path victim() throws IOException {
        Path victim = Files.writeString(tmp.resolve("victim"), "secret\n");
        Files.setAttribute(victim, "unix:mode", 0600);
        return victim;
    }

    /** A program of another user, with {@code mode}. */
    private static Path theirs(Path p, int mode) throws IOException {
        Files.writeString(p, "evil\n");
        Files.setAttribute(p, "unix:uid", OTHER);
        Files.setAttribute(p, "unix:gid", OTHER);
        Files.setAttribute(p, "unix:mode", mode);
        return p;
    }

    private static void assertUntouched(Path p, int mode) throws IOException {
        assertThat(Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS)).isEqualTo(OTHER);
        assertThat(Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS)).isEqualTo(OTHER);
        assertThat(Probe.mode(p)).isEqualTo(mode);
        assertThat(Files.readString(p)).isEqualTo("evil\n");
    }

    private static void assertSetuid(Path p, int uid, int mode) throws IOException {
        assertThat(Files.getAttribute(p, "unix:uid")).isEqualTo(uid);
        assertThat(Probe.mode(p)).isEqualTo(mode);
    }

    private static Map<String, Object> attributes(Path p) throws IOException {
        return Files.readAttributes(p, "unix:mode,uid,gid,ino", LinkOption.NOFOLLOW_LINKS);
    }
}
