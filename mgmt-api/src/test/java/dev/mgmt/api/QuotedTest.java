package dev.mgmt.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QuotedTest {

    @Test
    void plainTextIsQuotedAsItIs() {
        assertThat(Quoted.of("/tmp/mgmt/a.txt")).isEqualTo("'/tmp/mgmt/a.txt'");
        assertThat(Quoted.isPlain("héllo wörld")).isTrue();
    }

    @Test
    void controlAndFormatCharactersAreEscaped() {
        assertThat(Quoted.of("a\nb")).isEqualTo("'a\\nb'");
        assertThat(Quoted.of("a\0b")).isEqualTo("'a\\u0000b'");
        assertThat(Quoted.of("evil\u202Etxt.exe")).isEqualTo("'evil\\u202etxt.exe'");
        assertThat(Quoted.of("line\u2028sep")).isEqualTo("'line\\u2028sep'");
        assertThat(Quoted.of("it's")).isEqualTo("'it\\'s'");
        assertThat(Quoted.isPlain("a\u200Bb")).isFalse();
    }

    @Test
    void longTextIsCutAndSaysSo() {
        String s = Quoted.of("x".repeat(250));
        assertThat(s).startsWith("'xxx").endsWith("… (50 more characters)'");
    }
}
