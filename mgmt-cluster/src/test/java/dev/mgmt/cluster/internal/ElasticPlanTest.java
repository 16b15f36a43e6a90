package dev.mgmt.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.cluster.ElasticStrategy;
import dev.mgmt.cluster.internal.ElasticPlan.Action;
import dev.mgmt.cluster.internal.ElasticPlan.Candidate;
import dev.mgmt.cluster.internal.ElasticPlan.Nominate;
import dev.mgmt.cluster.internal.ElasticPlan.Promote;
import dev.mgmt.cluster.internal.ElasticPlan.RemoveDead;
import dev.mgmt.cluster.internal.ElasticPlan.Unnominate;
import dev.mgmt.cluster.internal.ElasticPlan.View;
import dev.mgmt.cluster.internal.ElasticPlan.Voter;
import dev.mgmt.cluster.internal.ElasticPlan.Wait;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every view with up to five voters (each alive, dead within the grace period or dead past it,
 * volunteering or not), one to six as the ideal, zero to two candidates and each strategy:
 * the chooser's invariants hold for all of them, and it makes progress where it should.
 */
class ElasticPlanTest {

    private static final String SELF = "h0@self";

    @Test
    void theInvariantsHoldInEveryView() {
        int views = 0;
        for (int size = 1; size <= 5; size++) {
            int states = (int) Math.pow(6, size - 1);
            for (int code = 0; code < states; code++) {
                List<Voter> voters = voters(size, code);
                for (int ideal = 1; ideal <= 6; ideal++) {
                    for (int c = 0; c <= 2; c++) {
                        for (int l = 0; l <= 2; l++) {
                            for (ElasticStrategy strategy : ElasticStrategy.values()) {
                                View v = new View(ideal, strategy, SELF, voters, candidates(c), learners(l));
                                check(v, ElasticPlan.decide(v));
                                views++;
                            }
                        }
                    }
                }
            }
        }
        assertThat(views).isGreaterThan(250_000);
    }

    private static void check(View v, Action a) {
        int size = v.voters().size();
        long alive = v.voters().stream().filter(Voter::alive).count();
        String at = v + " -> " + a;
        if (alive < ElasticPlan.majority(size)) {
            assertThat(a).as(at).isInstanceOf(Wait.class);
            return;
        }
        if (a instanceof Promote p) {
            assertThat(v.learners()).as(at).contains(p.learner());
            assertThat(alive + 1).as("a promotion keeps a live majority: " + at)
                    .isGreaterThanOrEqualTo(ElasticPlan.majority(size + 1));
            if (size == 1) {
                assertThat(v.ideal() == 2 || v.learners().size() >= 2)
                        .as("one voter becomes two only on the way to three, with the third ready: " + at).isTrue();
            }
        } else if (a instanceof Nominate n) {
            assertThat(v.candidates()).as(at).contains(n.candidate());
            assertThat(alive + 1).as("an addition keeps a live majority: " + at)
                    .isGreaterThanOrEqualTo(ElasticPlan.majority(size + 1));
        } else if (a instanceof Unnominate u) {
            assertThat(u.voter().memberId()).as("never itself: " + at).isNotEqualTo(SELF);
            assertThat(u.voter().alive()).as(at).isTrue();
            assertThat(alive - 1).as("a removal keeps a live majority: " + at)
                    .isGreaterThanOrEqualTo(ElasticPlan.majority(size - 1));
        } else if (a instanceof RemoveDead d) {
            assertThat(d.voter().deadPastGrace()).as("only after the grace period: " + at).isTrue();
            assertThat(v.strategy()).as("add never removes: " + at).isNotEqualTo(ElasticStrategy.ADD);
            if (v.strategy() == ElasticStrategy.REPLACE) {
                assertThat(size > v.ideal() || (size >= v.ideal()
                        && (!v.candidates().isEmpty() || !v.learners().isEmpty())))
                        .as("replace removes only when full and a volunteer can take the place: " + at).isTrue();
            }
        }
        boolean anyDeadPastGrace = v.voters().stream().anyMatch(Voter::deadPastGrace);
        boolean anyRevoked = v.voters().stream().anyMatch(x -> !x.volunteering() && x.alive()
                && !x.memberId().equals(SELF));
        boolean loneVoterWithOneNewcomer = size == 1 && v.ideal() >= 3
                && v.candidates().size() + v.learners().size() < 2 && v.candidates().isEmpty();
        if (size < v.ideal() && (!v.candidates().isEmpty() || !v.learners().isEmpty()) && !anyRevoked
                && !loneVoterWithOneNewcomer
                && (!anyDeadPastGrace || v.strategy() != ElasticStrategy.PRUNE)
                && alive + 1 >= ElasticPlan.majority(size + 1)) {
            assertThat(a).as("grows towards the ideal: " + at).isInstanceOfAny(Nominate.class, Promote.class);
        }
        boolean anotherLive = v.voters().stream().anyMatch(x -> x.alive() && !x.memberId().equals(SELF));
        if (size > v.ideal() && anotherLive && alive - 1 >= ElasticPlan.majority(size - 1)) {
            assertThat(a).as("shrinks towards the ideal: " + at).isNotInstanceOf(Wait.class);
        }
    }

    /** Voter 0 is the chooser itself (alive, volunteering); the others take one of six states each. */
    private static List<Voter> voters(int size, int code) {
        List<Voter> out = new ArrayList<>();
        out.add(new Voter(SELF, "h0", true, false, true));
        for (int i = 1; i < size; i++) {
            int s = code % 6;
            code /= 6;
            boolean alive = s % 3 == 0;
            boolean pastGrace = s % 3 == 2;
            boolean volunteering = s < 3;
            out.add(new Voter("h" + i + "@x", "h" + i, alive, pastGrace, volunteering));
        }
        return out;
    }

    private static List<Candidate> learners(int n) {
        List<Candidate> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new Candidate("l" + i, "l" + i + "@z"));
        }
        return out;
    }

    private static List<Candidate> candidates(int n) {
        List<Candidate> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new Candidate("n" + i, "n" + i + "@y"));
        }
        return out;
    }

    @Test
    void aFullClusterReplacesADeadVoterBeforeAddingUnderReplace() {
        List<Voter> voters = List.of(new Voter(SELF, "h0", true, false, true),
                new Voter("h1@x", "h1", true, false, true), new Voter("h2@x", "h2", false, true, true));
        Action a = ElasticPlan.decide(new View(3, ElasticStrategy.REPLACE, SELF, voters, candidates(1)));
        assertThat(a).isInstanceOf(RemoveDead.class);
        assertThat(((RemoveDead) a).voter().host()).isEqualTo("h2");
        // Without a volunteer to take its place, replace keeps the dead voter (it may come back).
        assertThat(ElasticPlan.decide(new View(3, ElasticStrategy.REPLACE, SELF, voters, List.of())))
                .isInstanceOf(Wait.class);
        assertThat(ElasticPlan.decide(new View(3, ElasticStrategy.PRUNE, SELF, voters, List.of())))
                .isInstanceOf(RemoveDead.class);
        assertThat(ElasticPlan.decide(new View(3, ElasticStrategy.ADD, SELF, voters, candidates(1))))
                .isInstanceOf(Wait.class);
    }

    @Test
    void aLoneVoterWaitsForTwoLearnersBeforeGrowing() {
        List<Voter> one = List.of(new Voter(SELF, "h0", true, false, true));
        assertThat(ElasticPlan.decide(new View(3, ElasticStrategy.REPLACE, SELF, one, candidates(2), List.of())))
                .isInstanceOf(Nominate.class);
        assertThat(ElasticPlan.decide(new View(3, ElasticStrategy.REPLACE, SELF, one, candidates(1), learners(1))))
                .isInstanceOf(Nominate.class);
        assertThat(ElasticPlan.decide(new View(3, ElasticStrategy.REPLACE, SELF, one, List.of(), learners(1))))
                .isInstanceOf(Wait.class);
        assertThat(ElasticPlan.decide(new View(3, ElasticStrategy.REPLACE, SELF, one, List.of(), learners(2))))
                .isInstanceOf(Promote.class);
        assertThat(ElasticPlan.decide(new View(2, ElasticStrategy.REPLACE, SELF, one, List.of(), learners(1))))
                .as("an ideal of two asks for two").isInstanceOf(Promote.class);
    }

    @Test
    void aRevokedVoterIsReplacedFirstThenUnnominated() {
        List<Voter> voters = List.of(new Voter(SELF, "h0", true, false, true),
                new Voter("h1@x", "h1", true, false, false), new Voter("h2@x", "h2", true, false, true));
        Action first = ElasticPlan.decide(new View(3, ElasticStrategy.REPLACE, SELF, voters, candidates(1)));
        assertThat(first).isInstanceOf(Nominate.class);
        List<Voter> four = new ArrayList<>(voters);
        four.add(new Voter("n0@y", "n0", true, false, true));
        Action second = ElasticPlan.decide(new View(3, ElasticStrategy.REPLACE, SELF, four, List.of()));
        assertThat(second).isInstanceOf(Unnominate.class);
        assertThat(((Unnominate) second).voter().host()).isEqualTo("h1");
    }
}
