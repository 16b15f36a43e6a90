package dev.mgmt.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.cluster.ElasticStrategy;
import dev.mgmt.cluster.internal.Store.Role;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The chooser and the voter agents of real worlds on an in-memory store, in virtual time:
 * growth through learners, the grace period before a dead voter is touched, the strategies,
 * and a deposed leader that must not act. Grace period 5 s (see {@link VirtualHosts}).
 */
class ChooserTest {

    private static final Duration GROWN = Duration.ofSeconds(5);

    /** a, b, c grow to three voters; {@code spare} more volunteers stay clients. */
    private static VirtualHosts voters(ElasticStrategy strategy, String... spare) {
        VirtualHosts v = new VirtualHosts();
        for (String h : List.of("a", "b", "c")) {
            v.start(h, b -> b.idealClusterSize(3).strategy(strategy));
            v.advanceMillis(300);
        }
        v.advance(GROWN);
        for (String h : spare) {
            v.start(h, b -> b.idealClusterSize(3).strategy(strategy));
        }
        v.advanceMillis(500);
        assertThat(v.cluster.config()).isEqualTo(Map.of(v.id("a"), Role.VOTER, v.id("b"), Role.VOTER,
                v.id("c"), Role.VOTER));
        return v;
    }

    private static List<String> voterHosts(VirtualHosts v) {
        return v.cluster.config().entrySet().stream().filter(e -> e.getValue() == Role.VOTER)
                .map(e -> e.getKey().substring(0, e.getKey().indexOf('@'))).sorted().toList();
    }

    @Test
    void aLoneVoterGrowsToTheIdealSizeThroughLearners() {
        try (VirtualHosts v = voters(ElasticStrategy.REPLACE)) {
            List<String> log = v.cluster.log();
            assertThat(log).contains("a@1 promote b@2", "a@1 promote c@3");
            assertThat(v.store("b").isServer()).isTrue();
            assertThat(ElasticState.parse(v.world("c").read(ElasticState.KEY)).nominated().keySet())
                    .containsExactlyInAnyOrder("a", "b", "c");
        }
    }

    @Test
    void replaceWaitsForTheGracePeriodThenReplacesADeadVoter() {
        try (VirtualHosts v = voters(ElasticStrategy.REPLACE, "d")) {
            String c = v.id("c");
            v.world("c").crash();
            v.advance(Duration.ofSeconds(4));
            assertThat(v.cluster.config()).as("within the grace period").containsEntry(c, Role.VOTER);
            assertThat(v.cluster.config()).doesNotContainKey(v.id("d"));
            v.advance(Duration.ofSeconds(2));
            assertThat(v.cluster.config()).as("past the grace period").doesNotContainKey(c);
            v.advance(Duration.ofSeconds(3));
            assertThat(voterHosts(v)).containsExactly("a", "b", "d");
        }
    }

    @Test
    void replaceKeepsADeadVoterWhileNoVolunteerCanTakeItsPlace() {
        try (VirtualHosts v = voters(ElasticStrategy.REPLACE)) {
            v.world("c").crash();
            v.advance(Duration.ofSeconds(30));
            assertThat(voterHosts(v)).containsExactly("a", "b", "c");
            v.start("d", b -> b.idealClusterSize(3));
            v.advance(Duration.ofSeconds(3));
            assertThat(voterHosts(v)).as("replaced once a volunteer came").containsExactly("a", "b", "d");
        }
    }

    @Test
    void addNeverRemovesADeadVoter() {
        try (VirtualHosts v = voters(ElasticStrategy.ADD, "d")) {
            v.world("c").crash();
            v.advance(Duration.ofSeconds(30));
            assertThat(voterHosts(v)).containsExactly("a", "b", "c");
            assertThat(v.cluster.log()).noneMatch(e -> e.contains(" unconfigure "));
        }
    }

    @Test
    void pruneRemovesADeadVoterAfterTheGracePeriodWithoutAReplacement() {
        try (VirtualHosts v = voters(ElasticStrategy.PRUNE)) {
            v.world("c").crash();
            v.advance(Duration.ofSeconds(4));
            assertThat(voterHosts(v)).containsExactly("a", "b", "c");
            v.advance(Duration.ofSeconds(2));
            assertThat(voterHosts(v)).containsExactly("a", "b");
        }
    }

    @Test
    void noChangeWhileAMajorityOfVotersIsDead() {
        try (VirtualHosts v = voters(ElasticStrategy.PRUNE, "d")) {
            int before = v.cluster.log().size();
            v.world("b").crash();
            v.world("c").crash();
            v.advance(Duration.ofSeconds(30));
            assertThat(voterHosts(v)).containsExactly("a", "b", "c");
            assertThat(v.cluster.log().subList(before, v.cluster.log().size()))
                    .noneMatch(e -> e.contains(" unconfigure ") || e.contains(" promote "));
        }
    }

    /**
     * The majority elected b; a's server has not heard and still believes it leads in the old
     * term, while its client's writes reach the store. a's chooser must make no change, and
     * its departures must delete nothing; b's chooser does the work.
     */
    @Test
    void aDeposedLeaderDoesNotAct() {
        try (VirtualHosts v = voters(ElasticStrategy.PRUNE, "d")) {
            String a = v.id("a");
            v.cluster.electUnknownTo(v.id("b"), Set.of(a));
            v.advance(Duration.ofSeconds(1));
            assertThat(v.world("a").isLeader()).isTrue();
            int before = v.cluster.log().size();
            v.world("c").crash();
            v.advance(Duration.ofSeconds(10));
            List<String> since = v.cluster.log().subList(before, v.cluster.log().size());
            assertThat(since).filteredOn(e -> e.startsWith(a + " "))
                    .noneMatch(e -> e.contains(ElasticState.KEY) || e.contains(" unconfigure ") || e.contains(" promote ")
                            || e.contains(" remove "));
            assertThat(since).contains(v.id("b") + " unconfigure " + v.id("c"));
            assertThat(ElasticState.parse(v.cluster.value(ElasticState.KEY)).chooser()).isEqualTo(v.id("b"));
            assertThat(v.cluster.value(StoreKeys.MEMBER + "c")).as("b removed c's keys").isNull();
        }
    }

    /** A leader cut off in a minority keeps believing it leads; its chooser changes nothing, the majority's does. */
    @Test
    void aLeaderCutOffInAMinorityChangesNothing() {
        try (VirtualHosts v = voters(ElasticStrategy.PRUNE)) {
            String a = v.id("a");
            int before = v.cluster.log().size();
            v.cluster.partition(a);
            v.cluster.elect(v.id("b"));
            v.advance(Duration.ofSeconds(4));
            assertThat(v.world("a").isLeader()).as("a still believes it leads").isTrue();
            v.advance(Duration.ofSeconds(6));
            assertThat(v.cluster.config()).as("b's chooser pruned the unreachable a").doesNotContainKey(a);
            v.cluster.heal();
            v.advance(Duration.ofSeconds(2));
            assertThat(v.world("a").isLeader()).isFalse();
            assertThat(v.cluster.log().subList(before, v.cluster.log().size()))
                    .noneMatch(e -> e.startsWith(a + " ") && (e.contains(ElasticState.KEY) || e.contains(" unconfigure ")));
            assertThat(ElasticState.parse(v.cluster.value(ElasticState.KEY)).chooser()).isEqualTo(v.id("b"));
        }
    }
}
