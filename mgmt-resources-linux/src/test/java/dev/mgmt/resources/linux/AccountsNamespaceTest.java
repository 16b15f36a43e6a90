package dev.mgmt.resources.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * user and group against the real shadow tools and inotify, in an engine whose accounts are
 * private copies ({@link PrivateAccounts}): this machine's never change, which each test checks
 * at its end. Needs root, unshare and the shadow tools; skips with private-accounts.sh's error
 * where its mounts cannot be made.
 */
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AccountsNamespaceTest {

    private static final List<String> FILES = List.of("passwd", "group", "shadow", "gshadow", "subuid", "subgid");

    private static final String ACCOUNTS = """
            resources:
              group:
              - name: mgmt-t-g1
                gid: 23001
              - name: mgmt-t-g2
              user:
              - name: mgmt-t-u1
                uid: 23001
                group: mgmt-t-g1
                groups: [mgmt-t-g2]
                homedir: /home/mgmt-t-u1/
                shell: /bin/sh
            """;

    private final Map<String, byte[]> machine = new LinkedHashMap<>();

    @BeforeEach
    void machineAccounts() throws IOException {
        String why = PrivateAccounts.unavailable();
        assumeTrue(why == null, why);
        for (String f : FILES) {
            Path p = Path.of("/etc", f);
            machine.put(f, Files.exists(p) ? Files.readAllBytes(p) : null);
        }
    }

    @AfterEach
    void machineAccountsUnchanged() throws IOException {
        for (Map.Entry<String, byte[]> e : machine.entrySet()) {
            Path p = Path.of("/etc", e.getKey());
            assertThat(Files.exists(p) ? Files.readAllBytes(p) : null).as("this machine's %s", p)
                    .isEqualTo(e.getValue());
        }
    }

    @Test
    void createsChangesAndRemovesAccountsInOrder() throws Exception {
        try (PrivateAccounts a = PrivateAccounts.start()) {
            assertThat(a.run(ACCOUNTS)).last().isEqualTo("converged ok");
            assertThat(a.etc("passwd")).contains("\nmgmt-t-u1:x:23001:23001::/home/mgmt-t-u1:/bin/sh\n");
            assertThat(a.etc("group")).contains("\nmgmt-t-g1:x:23001:\n").containsPattern("\nmgmt-t-g2:x:\\d+:mgmt-t-u1\n");
            assertThat(a.etc("shadow")).contains("\nmgmt-t-u1:");
            assertThat(a.etc("gshadow")).containsPattern("\nmgmt-t-g2:[^:\n]*:[^:\n]*:mgmt-t-u1\n");

            List<String> changed = a.run(ACCOUNTS.replace("uid: 23001", "uid: 23002").replace("gid: 23001", "gid: 23005")
                    .replace("[mgmt-t-g2]", "[]").replace("/bin/sh", "/bin/bash"));
            assertThat(changed).last().isEqualTo("converged ok");
            assertThat(changed).anySatisfy(l -> assertThat(l).startsWith("output user[mgmt-t-u1] usermod --uid 23002 ")
                    .contains(" --groups  --shell /bin/bash -- mgmt-t-u1: exit 0"));
            assertThat(a.etc("passwd")).contains("\nmgmt-t-u1:x:23002:23005::/home/mgmt-t-u1:/bin/bash\n");
            assertThat(a.etc("group")).contains("\nmgmt-t-g1:x:23005:\n").containsPattern("\nmgmt-t-g2:x:\\d+:\n");

            // The user goes first (autoedge): its primary group could not be removed before it.
            List<String> gone = a.run(ACCOUNTS.replace("  - name: mgmt-t-g1\n", "  - name: mgmt-t-g1\n    state: absent\n")
                    .replace("  - name: mgmt-t-g2\n", "  - name: mgmt-t-g2\n    state: absent\n")
                    .replace("  - name: mgmt-t-u1\n", "  - name: mgmt-t-u1\n    state: absent\n"));
            assertThat(gone).last().isEqualTo("converged ok");
            assertThat(gone.indexOf("applied user[mgmt-t-u1]")).isNotNegative()
                    .isLessThan(gone.indexOf("applied group[mgmt-t-g1]"));
            assertThat(a.etc("passwd") + a.etc("group") + a.etc("shadow") + a.etc("gshadow")).doesNotContain("mgmt-t-");
        }
    }

    @Test
    void aJavaGraphWithAFileOwnedByANewUserConvergesInOnePass() throws Exception {
        try (PrivateAccounts a = PrivateAccounts.start()) {
            List<String> lines = a.runJavaGraph();
            assertThat(lines).last().isEqualTo("converged ok");
            assertThat(lines).noneMatch(l -> l.startsWith("failed "));
            assertThat(a.etc("passwd")).contains("\nmgmt-t-j:x:23100:23100::/home/mgmt-t-j:/bin/sh\n");
            String notes = AccountsChild.JAVA_HOME + "notes";
            assertThat(a.read(notes)).isEqualTo("hello\n");
            assertThat(a.owner(notes)).isEqualTo("23100 23100");
            assertThat(a.owner(AccountsChild.JAVA_HOME)).isEqualTo("23100 23100");
        }
    }

    @Test
    void driftIsPutBackThroughTheWatch() throws Exception {
        try (PrivateAccounts a = PrivateAccounts.start()) {
            assertThat(a.run(ACCOUNTS)).last().isEqualTo("converged ok");
            String user = "\nmgmt-t-u1:x:23001:23001::/home/mgmt-t-u1:/bin/sh\n";

            a.inside("usermod", "--shell", "/bin/false", "mgmt-t-u1");
            Probe.eventually("the shell put back", () -> etc(a, "passwd").contains(user));
            a.inside("gpasswd", "--delete", "mgmt-t-u1", "mgmt-t-g2");
            Probe.eventually("the membership put back",
                    () -> etc(a, "group").matches("(?s).*\nmgmt-t-g2:x:\\d+:mgmt-t-u1\n.*"));
            a.inside("userdel", "mgmt-t-u1");
            Probe.eventually("the user put back", () -> etc(a, "passwd").contains(user));
            a.inside("groupmod", "--gid", "23009", "mgmt-t-g1");
            Probe.eventually("the gid put back",
                    () -> etc(a, "group").contains("\nmgmt-t-g1:x:23001:\n") && etc(a, "passwd").contains(user));
        }
    }

    @Test
    void noopSaysWhatWouldChangeAndChangesNothing() throws Exception {
        try (PrivateAccounts a = PrivateAccounts.start()) {
            String passwd = a.etc("passwd");
            String group = a.etc("group");
            List<String> lines = a.noop(ACCOUNTS);
            assertThat(lines).last().asString().startsWith("noop ")
                    .contains("group[mgmt-t-g1]", "group[mgmt-t-g2]", "user[mgmt-t-u1]");
            assertThat(lines).contains("output group[mgmt-t-g1] group 'mgmt-t-g1' does not exist")
                    .noneMatch(l -> l.startsWith("failed "));
            assertThat(a.etc("passwd")).isEqualTo(passwd);
            assertThat(a.etc("group")).isEqualTo(group);
        }
    }

    @Test
    void failuresSayWhy() throws Exception {
        try (PrivateAccounts a = PrivateAccounts.start()) {
            List<String> taken = a.run("""
                    resources:
                      user:
                      - name: mgmt-t-u3
                        uid: 0
                    """);
            assertThat(taken).last().asString().startsWith("converged failed");
            assertThat(taken).anySatisfy(l -> assertThat(l).startsWith("failed user[mgmt-t-u3] ")
                    .contains("uid: 0 belongs to user 'root' already; allowduplicateuid: true shares it"));

            String primary = """
                    resources:
                      group:
                      - name: mgmt-t-g4
                      user:
                      - name: mgmt-t-u4
                        group: mgmt-t-g4
                    """;
            assertThat(a.run(primary)).last().isEqualTo("converged ok");
            List<String> refused = a.run(primary.replace("  - name: mgmt-t-g4\n", "  - name: mgmt-t-g4\n    state: absent\n"));
            assertThat(refused).last().asString().startsWith("converged failed");
            assertThat(refused).anySatisfy(l -> assertThat(l).startsWith("failed group[mgmt-t-g4] ")
                    .contains("groupdel exited with status 8", "cannot remove the primary group of user 'mgmt-t-u4'"));
            assertThat(a.etc("group")).contains("\nmgmt-t-g4:");
        }
    }

    @Test
    void aGroupStillSomeonesPrimaryIsRemovedOnceTheUserMovesOff() throws Exception {
        try (PrivateAccounts a = PrivateAccounts.start()) {
            assertThat(a.run("""
                    resources:
                      group:
                      - name: mgmt-t-g6
                      user:
                      - name: mgmt-t-u6
                        group: mgmt-t-g6
                    """)).last().isEqualTo("converged ok");
            List<String> refused = a.run("""
                    resources:
                      group:
                      - name: mgmt-t-g6
                        state: absent
                    """);
            assertThat(refused).last().asString().startsWith("converged failed");
            assertThat(refused).anySatisfy(l -> assertThat(l).startsWith("failed group[mgmt-t-g6] ")
                    .contains("cannot remove the primary group of user 'mgmt-t-u6'"));

            // usermod changes /etc/passwd only: the group watches it too, so it is checked again
            a.inside("usermod", "--gid", "0", "mgmt-t-u6");
            Probe.eventually("the group removed", () -> !etc(a, "group").contains("\nmgmt-t-g6:"));
        }
    }

    /** {@link PrivateAccounts#etc}, for a {@link Probe#eventually} condition. */
    private static String etc(PrivateAccounts a, String file) {
        try {
            return a.etc(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
