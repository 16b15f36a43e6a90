package dev.mgmt.engine.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mgmt.api.EngineEvent;
import dev.mgmt.api.Graph;
import dev.mgmt.api.codec.ResourceCodec;
import dev.mgmt.api.yaml.YamlGraph;
import dev.mgmt.engine.Engine;
import dev.mgmt.engine.resources.RecordingSystemLog.Sent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** msg's journal, syslog, priority and fields: mgmt's YAML, validation, and delivery (recorded) through the engine. */
class MsgLogsTest {

    private static final Duration HANG = Duration.ofSeconds(30);
    private final ResourceCodec codec = ResourceCodec.standard();

    @BeforeEach
    void clear() {
        RecordingSystemLog.SENT.clear();
    }

    private MsgResource msg(String yaml) {
        YamlGraph g = YamlGraph.parse("resources:\n  msg:\n  - " + yaml.strip().replace("\n", "\n    ") + "\n",
                "msg.yaml", codec);
        return (MsgResource) g.graph().resources().iterator().next();
    }

    @Test
    void mgmtsMsg1Loads() {
        YamlGraph g = YamlGraph.parse("""
                ---
                graph: mygraph
                comment: timer example
                resources:
                  timer:
                  - name: timer1
                    interval: 30
                  msg:
                  - name: msg1
                    body: mgmt logged this message
                    journal: true
                edges:
                - name: e1
                  from:
                    kind: timer
                    name: timer1
                  to:
                    kind: msg
                    name: msg1
                """, "msg1.yaml", codec);
        MsgResource m = g.graph().resources().stream().filter(MsgResource.class::isInstance)
                .map(MsgResource.class::cast).findFirst().orElseThrow();
        assertThat(m).isEqualTo(MsgResource.of("msg1", "mgmt logged this message").toJournal(null, null));
        assertThat(m.severity()).as("empty priority is mgmt's Notice").isEqualTo(5);
        assertThat(m.validate()).isEmpty();
        assertThat(m.warnings()).isEmpty();
    }

    @Test
    void everyKeyDecodesAndRoundTrips() {
        MsgResource m = msg("""
                name: m
                body: hello
                priority: Err
                journal: true
                syslog: true
                fields:
                  MGMT_TEST: yes please
                """);
        assertThat(m.priority()).isEqualTo("Err");
        assertThat(m.severity()).isEqualTo(3);
        assertThat(m.journal()).isTrue();
        assertThat(m.syslog()).isTrue();
        assertThat(m.fields()).containsEntry("MGMT_TEST", "yes please");
        assertThat(codec.fromJson("msg", codec.toJson(m))).isEqualTo(m);
    }

    @Test
    void prioritiesAreMgmtsNamesExactly() {
        List<String> names = List.of("Emerg", "Alert", "Crit", "Err", "Warning", "Notice", "Info", "Debug");
        for (int i = 0; i < names.size(); i++) {
            MsgResource m = MsgResource.of("m", "b").toJournal(names.get(i), null);
            assertThat(m.validate()).isEmpty();
            assertThat(m.severity()).isEqualTo(i);
        }
        assertThat(MsgResource.of("m", "b").toJournal("warning", null).validate()).containsExactly(
                "priority: 'warning' is not one of Emerg, Alert, Crit, Err, Warning, Notice, Info, Debug");
        assertThat(MsgResource.of("m", "b").toJournal("Error", null).validate()).hasSize(1);
    }

    @Test
    void fieldNamesAsMgmtAcceptsThemAndWarningsForWhatTheJournalDrops() {
        MsgResource bad = MsgResource.of("m", "b").toJournal(null, Map.of("a-b", "1", "_X", "2"));
        assertThat(bad.validate()).containsExactly(
                "fields: '_X' begins with '_', which the journal keeps for its own fields",
                "fields: 'a-b' is not a field name (letters, digits and '_')");
        MsgResource lower = MsgResource.of("m", "b").toJournal(null, Map.of("lower", "1", "OK_1", "2", "9X", "3"));
        assertThat(lower.validate()).isEmpty();
        assertThat(lower.warnings()).containsExactly(
                "fields: '9X' is not sent: the journal takes only upper-case letters, digits and '_',"
                        + " not starting with a digit, at most 64 characters",
                "fields: 'lower' is not sent: the journal takes only upper-case letters, digits and '_',"
                        + " not starting with a digit, at most 64 characters");
        assertThat(new MsgResource("m", "b", false, null, Map.of("A", "1"), false, false, null).warnings())
                .containsExactly("fields: ignored without journal: true (only the journal takes fields)");
    }

    @Test
    void msgsOwnJournalFieldsAreRefusedAsUserFields() {
        for (String own : List.of("MESSAGE", "PRIORITY", "SYSLOG_IDENTIFIER")) {
            assertThatThrownBy(() -> MsgResource.of("m", "b").toJournal(null, Map.of(own, "x")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("fields: '" + own + "' is set by msg itself (MESSAGE from body, PRIORITY from priority,"
                            + " SYSLOG_IDENTIFIER is mgmt); give your field another name");
        }
        assertThat(MsgResource.of("m", "b").toJournal(null, Map.of("MESSAGE_ID", "x")).fields()).containsKey("MESSAGE_ID");
    }

    @Test
    void sentToTheJournalAndSyslogOnceAndNothingUnderNoop() {
        MsgResource m = MsgResource.of("m", "to the logs").toJournal("Warning", Map.of("A", "1", "lower", "x"))
                .toSyslog();
        try (Engine e = Engine.builder().noop(true).build()) {
            e.start(Graph.builder().add(m).build());
            e.awaitConverged(HANG).orThrow();
            assertThat(e.noopReport()).containsExactly(m.id());
        }
        assertThat(RecordingSystemLog.SENT).as("noop sends nothing").isEmpty();

        try (Engine e = Engine.builder().build()) {
            e.start(Graph.builder().add(m).build());
            e.awaitConverged(HANG).orThrow();
        }
        assertThat(RecordingSystemLog.SENT).containsExactly(
                new Sent("journal", "to the logs", 4, Map.of("A", "1")),
                new Sent("syslog", "to the logs", 4, Map.of()));
    }

    @Test
    void aMissingJournalFailsTheApplyNamingTheSocket() {
        MsgResource m = MsgResource.of("m", "unreachable").toJournal(null, null);
        List<EngineEvent> events = new CopyOnWriteArrayList<>();
        try (Engine e = Engine.builder().build()) {
            e.events().subscribe(events::add);
            e.start(Graph.builder().add(m).build());
            assertThat(e.awaitConverged(HANG).failed()).containsExactly(m.id());
        }
        assertThat(events.toString()).contains(
                "msg[m]: journal: no systemd journal on this host (/run/systemd/journal/socket is missing)");
    }
}
