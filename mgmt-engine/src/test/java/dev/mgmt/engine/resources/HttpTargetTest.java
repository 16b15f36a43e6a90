package dev.mgmt.engine.resources;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The user-info of an http:ready URL: kept out of what is requested and out of messages. */
class HttpTargetTest {

    @Test
    void theUserInfoIsScrubbedWhereItStandsInAUrl() {
        HttpTarget t = HttpTarget.parse("http://me:s%3Acret@h:8080/x");
        assertThat(t.request()).hasToString("http://h:8080/x");
        assertThat(t.scrub("GET http://me:s%3Acret@h:8080/x failed")).isEqualTo("GET http://***@h:8080/x failed");
        assertThat(t.scrub("authority me:s:cret@h:8080")).as("decoded").isEqualTo("authority ***@h:8080");
    }

    @Test
    void aShortUserInfoNeverGarblesTheRestOfAMessage() {
        HttpTarget u = HttpTarget.parse("http://u@127.0.0.1:1/");
        assertThat(u.scrub("could not connect (refused or unreachable)"))
                .isEqualTo("could not connect (refused or unreachable)");
        assertThat(u.scrub("to http://u@127.0.0.1:1/")).isEqualTo("to http://***@127.0.0.1:1/");
        HttpTarget ab = HttpTarget.parse("http://a:b@h/");
        assertThat(ab.scrub("status a:b, then a:b@h")).isEqualTo("status a:b, then ***@h");
        assertThat(HttpTarget.parse("http://h/").scrub("h@h")).isEqualTo("h@h");
    }
}
