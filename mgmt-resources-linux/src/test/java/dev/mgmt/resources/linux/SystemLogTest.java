package dev.mgmt.resources.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mgmt.api.EngineEvent;
import dev.mgmt.api.Graph;
import dev.mgmt.api.SystemLog;
import dev.mgmt.engine.Engine;
import dev.mgmt.engine.resources.MsgResource;
import dev.mgmt.resources.linux.internal.LinuxSystemLog;
import dev.mgmt.resources.linux.internal.UnixDatagram;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * msg's delivery to the host's logs: the exact datagrams of the journal's native protocol and
 * of a syslog line, received on sockets of our own; the failures when nothing listens; and
 * the real journal when this host has one.
 */
class SystemLogTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private LinuxSystemLog logs() {
        return new LinuxSystemLog(dir.resolve("journal.sock"), dir.resolve("log.sock"));
    }

    @Test
    void journalEntryInTheNativeProtocol() throws Exception {
        try (UnixDatagram journal = UnixDatagram.bind(dir.resolve("journal.sock"))) {
            logs().journal("hello, journal", 3, Map.of("MGMT_B", "b", "MGMT_A", "a=1"));
            assertThat(new String(journal.receive(WAIT), StandardCharsets.UTF_8)).isEqualTo("""
                    MESSAGE=hello, journal
                    PRIORITY=3
                    SYSLOG_IDENTIFIER=mgmt
                    MGMT_A=a=1
                    MGMT_B=b
                    """);
        }
    }

    @Test
    void aValueWithANewlineIsSentWithItsLength() throws Exception {
        try (UnixDatagram journal = UnixDatagram.bind(dir.resolve("journal.sock"))) {
            logs().journal("two\nlines é", 6, Map.of());
            ByteArrayOutputStream want = new ByteArrayOutputStream();
            byte[] value = "two\nlines é".getBytes(StandardCharsets.UTF_8);
            want.writeBytes("MESSAGE\n".getBytes(StandardCharsets.US_ASCII));
            want.writeBytes(new byte[] {(byte) value.length, 0, 0, 0, 0, 0, 0, 0}); // 64-bit little-endian
            want.writeBytes(value);
            want.writeBytes("\nPRIORITY=6\nSYSLOG_IDENTIFIER=mgmt\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(journal.receive(WAIT)).isEqualTo(want.toByteArray());
        }
    }

    @Test
    void syslogLine() throws Exception {
        try (UnixDatagram log = UnixDatagram.bind(dir.resolve("log.sock"))) {
            logs().syslog("hello, syslog", 4);
            // facility daemon (3) * 8 + severity warning (4) = 28
            assertThat(new String(log.receive(WAIT), StandardCharsets.UTF_8))
                    .isEqualTo("<28>mgmt[" + ProcessHandle.current().pid() + "]: hello, syslog");
        }
    }

    @Test
    void noSocketSaysSo() {
        assertThatThrownBy(() -> logs().journal("x", 5, Map.of())).isInstanceOf(IOException.class)
                .hasMessage("journal: no systemd journal on this host (" + dir.resolve("journal.sock") + " is missing)");
        assertThatThrownBy(() -> logs().syslog("x", 5)).isInstanceOf(IOException.class)
                .hasMessage("syslog: no syslog daemon on this host (" + dir.resolve("log.sock") + " is missing)");
    }

    @Test
    void aSocketNobodyReadsSaysSo() throws Exception {
        UnixDatagram.bind(dir.resolve("journal.sock")).close(); // the file stays, nobody reads it
        assertThatThrownBy(() -> logs().journal("x", 5, Map.of())).hasMessage(
                "journal: no systemd journal on this host (nothing reads " + dir.resolve("journal.sock") + ")");
    }

    @Test
    void msgFindsTheLinuxDeliveryAndFailsClearlyWithoutAJournal() {
        assertThat(ServiceLoader.load(SystemLog.class).findFirst()).get().isInstanceOf(LinuxSystemLog.class);
        MsgResource m = MsgResource.of("m", "mgmt test " + UUID.randomUUID()).toJournal("Debug", null);
        List<EngineEvent> events = new CopyOnWriteArrayList<>();
        boolean journald = Files.exists(Path.of(LinuxSystemLog.JOURNAL_SOCKET));
        try (Engine e = Engine.builder().build()) {
            e.events().subscribe(events::add);
            e.start(Graph.builder().add(m).build());
            if (journald) {
                e.awaitConverged(WAIT).orThrow();
                return;
            }
            assertThat(e.awaitConverged(WAIT).failed()).containsExactly(m.id());
        }
        assertThat(events.toString()).contains(
                "msg[m]: journal: no systemd journal on this host (/run/systemd/journal/socket is missing)");
    }

    @Test
    void theRealJournalHasIt() throws Exception {
        Assumptions.assumeTrue(Files.exists(Path.of(LinuxSystemLog.JOURNAL_SOCKET)),
                "skipped: no systemd journal on this host (" + LinuxSystemLog.JOURNAL_SOCKET + " is missing)");
        Assumptions.assumeTrue(Debs.onPath("journalctl"), "skipped: needs journalctl");
        String id = UUID.randomUUID().toString().replace("-", "");
        new LinuxSystemLog().journal("mgmt test message\nsecond line", 7, Map.of("MGMT_TEST_ID", id));
        Probe.eventually("the entry in the journal", () -> {
            try {
                Process p = new ProcessBuilder("journalctl", "--no-pager", "-o", "cat", "MGMT_TEST_ID=" + id)
                        .redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                return p.waitFor() == 0 && out.contains("mgmt test message\nsecond line");
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
    }
}
