package dev.mgmt.spring.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.metrics.CheckTiming;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.mock.env.MockEnvironment;

/** Boot's percentiles-histogram property, looked up for mgmt.check.duration as Boot looks it up. */
class CheckTimingPropertyTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = "|", textBlock = """
            <none>                                         | TOTALS
            mgmt.check.duration=true                       | HISTOGRAM
            mgmt.check=true                                | HISTOGRAM
            mgmt=true                                      | HISTOGRAM
            all=true                                       | HISTOGRAM
            all=true,mgmt.check.duration=false             | TOTALS
            mgmt=false,all=true                            | TOTALS
            mgmt=false,mgmt.check.duration=true            | HISTOGRAM
            mgmt.apply.duration=true                       | TOTALS
            mgmt.checks=true                               | TOTALS
            http.server.requests=true                      | TOTALS
            """)
    void lookedUpByTheMetersNameThenEachPrefixThenAll(String properties, CheckTiming expected) {
        MockEnvironment env = new MockEnvironment();
        if (!properties.equals("<none>")) {
            for (String p : properties.split(",")) {
                String[] kv = p.split("=");
                env.setProperty(CheckTimingProperty.PREFIX + "." + kv[0], kv[1]);
            }
        }
        assertThat(CheckTimingProperty.of(env)).isEqualTo(expected);
    }
}
