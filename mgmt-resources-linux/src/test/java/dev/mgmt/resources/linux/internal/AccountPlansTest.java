package dev.mgmt.resources.linux.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mgmt.api.MissingPrerequisite;
import dev.mgmt.resources.linux.AccountState;
import dev.mgmt.resources.linux.GroupResource;
import dev.mgmt.resources.linux.UserResource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What user and group resources find different in the account files, and the tool lines that fix it. No root. */
class AccountPlansTest {

    private static final String PASSWD = """
            root:x:0:0:root:/root:/bin/bash
            # a comment, then a blank line

            bob:x:1001:100:Bob:/home/bob:/bin/sh
            carol:x:1002:1002::/home/carol/:/bin/bash
            bob:x:9999:9999::/elsewhere:/bin/false
            broken:x:12:
             spaced:x:1003:100::/home/spaced:/bin/sh
            """;
    private static final String GROUP = """
            root:x:0:
            users:x:100:
            carol:x:1002:
            adm:x:4:bob,syslog
            staff:x:50:alice,bob
            odd:x:notanumber:bob
            """;

    @TempDir
    Path tmp;

    private final EtcAccounts etc = EtcAccounts.parse(PASSWD, "/etc/passwd", GROUP, "/etc/group");

    private static UserResource.Builder user(String name) {
        return UserResource.builder(name);
    }

    @Test
    void aUserThatMatchesNeedsNothing() throws IOException {
        UserResource bob = user("bob").uid(1001).gid(100).groups(List.of("staff", "adm")).homedir("/home/bob/")
                .shell("/bin/sh").build();
        assertThat(AccountPlans.user(bob, etc).done()).isTrue();
        assertThat(AccountPlans.user(user("bob").group("users").build(), etc).done()).isTrue();
        // only what is given is compared: carol's home is stored with a slash
        assertThat(AccountPlans.user(user("carol").homedir("/home/carol").build(), etc).done()).isTrue();
    }

    @Test
    void aMissingUserIsAddedWithEverythingGiven() throws IOException {
        AccountPlan p = AccountPlans.user(user("dave").uid(2000).group("users").groups(List.of("adm", "staff"))
                .homedir("/srv/dave/").shell("/bin/bash").build(), etc);
        assertThat(p.differences()).containsExactly("user 'dave' does not exist");
        // --no-create-home: login.defs' CREATE_HOME would make one on some distributions
        assertThat(p.command()).containsExactly("useradd", "--no-create-home", "--uid", "2000", "--gid", "users", "--groups",
                "adm,staff", "--home", "/srv/dave", "--shell", "/bin/bash", "--", "dave");
        // no --groups for an empty list: a new user has none anyway
        assertThat(AccountPlans.user(user("erin").groups(List.of()).build(), etc).command())
                .containsExactly("useradd", "--no-create-home", "--", "erin");
    }

    @Test
    void onlyWhatDiffersIsModified() throws IOException {
        AccountPlan p = AccountPlans.user(user("bob").uid(1001).gid(1002).groups(List.of("adm")).shell("/bin/bash")
                .build(), etc);
        assertThat(p.differences()).containsExactly("gid is 100, want 1002", "groups are [adm, staff], want [adm]",
                "shell is '/bin/sh', want '/bin/bash'");
        assertThat(p.command()).containsExactly("usermod", "--gid", "1002", "--groups", "adm", "--shell",
                "/bin/bash", "--", "bob");
        AccountPlan byName = AccountPlans.user(user("bob").group("carol").build(), etc);
        assertThat(byName.differences()).containsExactly("group is 'users' (gid 100), want 'carol'");
        assertThat(AccountPlans.user(user("bob").groups(List.of()).build(), etc).command())
                .containsExactly("usermod", "--groups", "", "--", "bob");
        assertThat(AccountPlans.user(user("bob").uid(0).allowDuplicateUid(true).build(), etc).command())
                .containsExactly("usermod", "--non-unique", "--uid", "0", "--", "bob");
    }

    @Test
    void anotherUsersUidIsAnErrorUnlessDuplicatesAreAllowed() {
        assertThatThrownBy(() -> AccountPlans.user(user("bob").uid(1002).build(), etc))
                .isInstanceOf(IOException.class).isNotInstanceOf(MissingPrerequisite.class)
                .hasMessage("user[bob]: uid: 1002 belongs to user 'carol' already; allowduplicateuid: true shares it");
    }

    @Test
    void aGroupThatDoesNotExistIsAMissingPrerequisite() {
        assertThatThrownBy(() -> AccountPlans.user(user("dave").group("devs").groups(List.of("adm", "ops"))
                .build(), etc)).isInstanceOf(MissingPrerequisite.class)
                .hasMessage("user[dave]: group: no group 'devs' in /etc/group; groups: no group 'ops' in"
                        + " /etc/group (a group resource can create it)");
        assertThatThrownBy(() -> AccountPlans.user(user("bob").gid(777).build(), etc))
                .isInstanceOf(MissingPrerequisite.class).hasMessageContaining("gid: no group has gid 777");
    }

    @Test
    void absentUsers() throws IOException {
        assertThat(AccountPlans.user(user("nobody-here").state(AccountState.ABSENT).build(), etc).done()).isTrue();
        AccountPlan p = AccountPlans.user(user("bob").state(AccountState.ABSENT).uid(5).build(), etc);
        assertThat(p.differences()).containsExactly("user 'bob' exists (uid 1001), want it absent");
        assertThat(p.command()).containsExactly("userdel", "--", "bob");
    }

    @Test
    void malformedLinesAreSkippedButNeverMisreadForTheirOwnName() throws IOException {
        // the first bob counts, as with glibc and the tools
        assertThat(etc.user("bob").orElseThrow().uid()).isEqualTo(1001);
        assertThatThrownBy(() -> etc.user("broken")).hasMessage(
                "/etc/passwd:7: the entry for 'broken' has 4 fields, want 7; fix the file first");
        assertThatThrownBy(() -> AccountPlans.user(user("spaced").build(), etc)).hasMessage(
                "/etc/passwd:8: the entry for 'spaced' has a name with blanks around it or none; fix the file first");
        assertThatThrownBy(() -> etc.group("odd")).hasMessage(
                "/etc/group:6: the entry for 'odd' has gid 'notanumber', not a decimal id; fix the file first");
        // a malformed group line lists nobody
        assertThat(etc.groupsListing("bob")).containsExactly("adm", "staff");
    }

    @Test
    void groups() throws IOException {
        assertThat(AccountPlans.group(GroupResource.builder("users").build(), etc).done()).isTrue();
        assertThat(AccountPlans.group(GroupResource.builder("users").gid(100).build(), etc).done()).isTrue();
        assertThat(AccountPlans.group(GroupResource.builder("devs").gid(3000).build(), etc).command())
                .containsExactly("groupadd", "--gid", "3000", "--", "devs");
        assertThat(AccountPlans.group(GroupResource.builder("devs").build(), etc).command())
                .containsExactly("groupadd", "--", "devs");
        AccountPlan mod = AccountPlans.group(GroupResource.builder("staff").gid(51).build(), etc);
        assertThat(mod.differences()).containsExactly("gid is 50, want 51");
        assertThat(mod.command()).containsExactly("groupmod", "--gid", "51", "--", "staff");
        assertThat(AccountPlans.group(GroupResource.builder("staff").state(AccountState.ABSENT).build(), etc)
                .command()).containsExactly("groupdel", "--", "staff");
        assertThatThrownBy(() -> AccountPlans.group(GroupResource.builder("devs").gid(4).build(), etc))
                .hasMessage("group[devs]: gid: 4 belongs to group 'adm' already");
    }

    @Test
    void readsTheFilesWithoutFollowingASymlink() throws IOException {
        Path passwd = Files.writeString(tmp.resolve("passwd"), PASSWD);
        Path group = Files.writeString(tmp.resolve("group"), GROUP);
        assertThat(EtcAccounts.read(passwd, group).user("carol").orElseThrow().home()).isEqualTo("/home/carol/");
        Path link = Files.createSymbolicLink(tmp.resolve("link"), passwd);
        assertThatThrownBy(() -> EtcAccounts.read(link, group)).isInstanceOf(IOException.class)
                .hasMessageStartingWith("cannot read " + link + ": ");
    }
}
