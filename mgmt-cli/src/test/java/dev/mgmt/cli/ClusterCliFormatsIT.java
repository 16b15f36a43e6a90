package dev.mgmt.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mgmt.cluster.ClusterStatus;
import dev.mgmt.cluster.ClusterStatus.Member;
import dev.mgmt.cluster.ElasticStrategy;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

/** In-process checks of what the cluster commands read and print (this module has only ITs). */
class ClusterCliFormatsIT {

    private static final ClusterStatus STATUS = new ClusterStatus(3, ElasticStrategy.REPLACE, Optional.of("h1"), List.of(
            new Member("h1", "h1@aa", "127.0.0.1:7946", true, true, true, true, Optional.of(true)),
            new Member("h2", "h2@bb", "127.0.0.1:7947", true, true, false, true, Optional.empty()),
            new Member("h3", "h3@cc", "", false, true, false, false, Optional.of(false))));

    @Test
    void durationsAreBareSecondsOrGoDurations() {
        DurationConverter c = new DurationConverter();
        assertThat(c.convert("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(c.convert("10s")).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.convert("10")).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.convert("1.5")).isEqualTo(Duration.ofMillis(1500));
        assertThat(c.convert("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(c.convert("0")).isZero();
        assertThat(c.convert("-1")).isEqualTo(Duration.ofSeconds(-1));
        for (String bad : List.of("", "s", "10 s", "10x", "1s-", "PT5S")) {
            assertThatThrownBy(() -> c.convert(bad)).as(bad)
                    .isInstanceOf(TypeConversionException.class).hasMessageContaining("is not a duration")
                    .hasMessageContaining("number of seconds");
        }
    }

    @Test
    void strategiesInLowerCase() {
        assertThat(new ElasticStrategyConverter().convert("prune")).isEqualTo(ElasticStrategy.PRUNE);
        assertThat(new ElasticStrategyConverter().convert("ADD")).isEqualTo(ElasticStrategy.ADD);
        assertThatThrownBy(() -> new ElasticStrategyConverter().convert("grow"))
                .hasMessage("'grow' is not one of replace, add, prune");
    }

    @Test
    void tableLikeEtcdctlMemberList() {
        assertThat(StatusTable.render(STATUS)).isEqualTo("""
                ideal cluster size 3, 3 voters, strategy replace, leader h1
                HOST  MEMBER ID  ADDRESS         VOTER  LEADER  VOLUNTEER  ALIVE  CONVERGED
                h1    h1@aa      127.0.0.1:7946  yes    yes     yes        yes    yes
                h2    h2@bb      127.0.0.1:7947  yes    no      yes        yes    -
                h3    h3@cc      -               yes    no      no         no     no
                """);
    }

    @Test
    void jsonForScripts() throws Exception {
        JsonNode json = new ObjectMapper().readTree(StatusJson.render(STATUS));
        assertThat(json.get("idealClusterSize").asInt()).isEqualTo(3);
        assertThat(json.get("strategy").asText()).isEqualTo("replace");
        assertThat(json.get("leader").asText()).isEqualTo("h1");
        assertThat(json.get("voters").toString()).isEqualTo("[\"h1\",\"h2\",\"h3\"]");
        assertThat(json.get("members")).hasSize(3);
        assertThat(json.get("members").get(1).get("converged").isNull()).isTrue();
        assertThat(json.get("members").get(2).get("alive").asBoolean()).isFalse();
        assertThat(new ObjectMapper().readTree(StatusJson.render(
                new ClusterStatus(5, ElasticStrategy.ADD, Optional.empty(), List.of()))).get("leader").isNull()).isTrue();
    }
}
