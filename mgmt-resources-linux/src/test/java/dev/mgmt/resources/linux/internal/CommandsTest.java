package dev.mgmt.resources.linux.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Real /bin/sh commands: the whole output is kept only when the spec asks for it. */
class CommandsTest {

    private static final Duration HANG = Duration.ofSeconds(30);

    private static CommandSpec sh(String command) {
        return CommandSpec.of("cmd", command, "/bin/sh", List.of(), "", Map.of());
    }

    @Test
    void aCommandRunWithoutCaptureKeepsNoWholeOutput() {
        CommandResult r = Commands.run(sh("printf 'a\\nb\\n'; printf oops >&2"), Duration.ZERO).block(HANG);
        assertThat(r.ok()).isTrue();
        assertThat(r.sent()).isEmpty();
        assertThat(r.summary()).as("the report still shows the output").contains("a", "b", "oops");
    }

    @Test
    void aCommandRunKeepingOutputHasItExactly() {
        CommandSpec spec = sh("printf 'a\\nb\\n'; printf oops >&2").keepingOutput();
        assertThat(spec.keepOutput()).isTrue();
        assertThat(sh("true").keepOutput()).as("off by default").isFalse();
        CommandResult r = Commands.run(spec, Duration.ZERO).block(HANG);
        assertThat(r.ok()).isTrue();
        SentOutput o = r.sent().orElseThrow();
        assertThat(o.stdout().value()).isEqualTo("a\nb\n");
        assertThat(o.stderr().value()).isEqualTo("oops");
        assertThat(o.output().value()).hasSize(8).contains("a\nb\n").contains("oops");
    }

    @Test
    void aCommandCancelledBeforeItStartedKeepsNothing() {
        CommandResult r = CommandResult.cancelledBeforeStart(sh("true").keepingOutput());
        assertThat(r.cancelled()).isTrue();
        assertThat(r.sent()).isEmpty();
    }
}
