package dev.mgmt.resources.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * user and group against the real shadow tools and inotify, in an engine whose accounts are
 * private copies ({@link PrivateAccounts}): this machine's never change, which each test checks
 * at its end. Needs root, unshare, nsenter and the shadow tools.
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
            Path notes = a.path(AccountsChild.JAVA_HOME + "notes");
            assertThat(Files.readString(notes)).isEqualTo("hello\n");
            assertThat(Files.getAttribute(notes, "unix:uid")).isEqualTo(23100);
            assertThat(Files.getAttribute(notes, "unix:gid")).isEqualTo(23100);
            assertThat(Files.getAttribute(a.path(AccountsChild.JAVA_HOME), "unix:uid")).isEqualTo(23100);
        }
    }

    @Test
    void driftIsPutBackThroughTheWatch() throws Exception {
        try (PrivateAccounts a = PrivateAccounts.start()) {
            assertThat(a.run(ACCOUNTS)).last().isEqualTo("converged ok");
            String user = "\nmgmt-t-u1:x:23001:23001::/home/mgmt-t-u1:/bin/sh\n";

            a.inside("usermod", "--shell", "/bin/false", "mgmt-t-u1");
            await("the shell", () -> a.etc("passwd").contains(user));
            a.inside("gpasswd", "--delete", "mgmt-t-u1", "mgmt-t-g2");
            await("the membership", () -> a.etc("group").matches("(?s).*\nmgmt-t-g2:x:\\d+:mgmt-t-u1\n.*"));
            a.inside("userdel", "mgmt-t-u1");
            await("the user", () -> a.etc("passwd").contains(user));
            a.inside("groupmod", "--gid", "23009", "mgmt-t-g1");
            await("the gid", () -> a.etc("group").contains("\nmgmt-t-g1:x:23001:\n") && a.etc("passwd").contains(user));
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

    /** Polls until {@code condition} holds; the deadline only catches a repair that never comes. */
    private static void await(String what, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                fail(what + " was not put back within 60 s");
            }
            Thread.sleep(20);
        }
    }
}
