package dev.mgmt.resources.linux.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The line edit as a table: file before (escaped), line, count, after adding, after removing. */
class LineEditTest {

    @ParameterizedTest(name = "{0} / {1}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            // file                  | line  | count | added                          | removed
            "NULL                    | hello | 0     | hello\\n                       | NULL",
            "''                      | hello | 0     | hello\\n                       | ''",
            "a\\n                    | hello | 0     | a\\nhello\\n                   | a\\n",
            "hello\\n                | hello | 1     | hello\\n                       | ''",
            "a\\nhello\\nb\\n        | hello | 1     | a\\nhello\\nb\\n               | a\\nb\\n",
            "hello\\na\\nhello\\n    | hello | 2     | hello\\na\\nhello\\n           | a\\n",
            // no final newline: the last line counts, and is ended before a line is added
            "a\\nhello               | hello | 1     | a\\nhello                      | a\\n",
            "a\\nb                   | hello | 0     | a\\nb\\nhello\\n               | a\\nb",
            // CRLF: the \\r belongs to the ending; an added line ends as the last one does
            "a\\r\\nhello\\r\\n      | hello | 1     | a\\r\\nhello\\r\\n             | a\\r\\n",
            "a\\r\\nb\\r\\n          | hello | 0     | a\\r\\nb\\r\\nhello\\r\\n      | a\\r\\nb\\r\\n",
            "a\\r\\nb                | hello | 0     | a\\r\\nb\\r\\nhello\\r\\n      | a\\r\\nb",
            "a\\nb\\r\\n             | hello | 0     | a\\nb\\r\\nhello\\r\\n         | a\\nb\\r\\n",
            // a \\r that ends the file is part of its line
            "hello\\r                | hello | 0     | hello\\r\\nhello\\n            | hello\\r",
            // part of a line, or with spaces, is another line
            "hello world\\n          | hello | 0     | hello world\\nhello\\n         | hello world\\n",
            "' hello\\n'             | hello | 0     | ' hello\\nhello\\n'            | ' hello\\n'",
            "\\n\\n                  | hello | 0     | \\n\\nhello\\n                 | \\n\\n",
    })
    void table(String file, String line, int count, String added, String removed) {
        byte[] f = bytes(file);
        byte[] l = bytes(line);
        if (f != null) {
            assertThat(LineEdit.count(f, l)).isEqualTo(count);
            assertThat(text(LineEdit.removed(f, l))).isEqualTo(unescape(removed));
            if (count == 0) {
                assertThat(LineEdit.removed(f, l)).isSameAs(f);
            } else {
                assertThat(LineEdit.added(f, l)).isSameAs(f);
            }
        }
        assertThat(text(LineEdit.added(f, l))).isEqualTo(unescape(added));
    }

    private static byte[] bytes(String escaped) {
        return escaped == null ? null : unescape(escaped).getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static String unescape(String s) {
        return s == null ? null : s.replace("\\n", "\n").replace("\\r", "\r");
    }
}
