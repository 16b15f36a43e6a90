package dev.mgmt.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.api.ResourceId;
import dev.mgmt.api.SendRecv;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link ReceivedProblems#hide} as a table: a problem of a received resource never shows the value received. */
class ReceivedProblemsTest {

    private static final SendRecv MODE = new SendRecv(ResourceId.of("exec", "m"), "stdout", ResourceId.of("file", "f"), "mode");
    private static final String OVER = "the value received over exec[m].stdout -> file[f].mode";

    static Stream<Arguments> table() {
        return Stream.of(
                // The value leads the text after the parameter's name: the rest is kept.
                Arguments.of("mode: '0600\n' is not an octal file mode", "0600\n", OVER + " is not an octal file mode"),
                Arguments.of("mode: '0600\\n' is not an octal file mode", "0600\n", OVER + " is not an octal file mode"),
                Arguments.of("mode: s3cr3t is not an octal file mode", "s3cr3t", OVER + " is not an octal file mode"),
                Arguments.of("mode: \"s3cr3t\" is not an octal file mode", "s3cr3t", OVER + " is not an octal file mode"),
                // Shown anywhere else, trimmed, or only one line of it: nothing of the problem is kept.
                Arguments.of("mode: must be octal, was 's3cr3t'", "s3cr3t", OVER + " is not a valid mode"),
                Arguments.of("mode: 's3cr3t' is not an octal file mode", "  s3cr3t\n", OVER + " is not an octal file mode"),
                Arguments.of("mode: 'line2' is not an octal file mode", "line1\nline2\n", OVER + " is not an octal file mode"),
                Arguments.of("the mode s3cr3t is wrong", "s3cr3t", OVER + " is not a valid mode"),
                Arguments.of("mode: 's3cr3t' s3cr3t", "s3cr3t", OVER + " is not a valid mode"),
                // A problem that does not show the value is not this class's business.
                Arguments.of("mode: must not be empty", "", null),
                Arguments.of("path: '/x' is not absolute", "s3cr3t", null));
    }

    @ParameterizedTest
    @MethodSource("table")
    void aProblemNeverShowsTheValue(String problem, String value, String expected) {
        assertThat(ReceivedProblems.hide(problem, MODE, value)).isEqualTo(expected);
    }
}
