package dev.mgmt.cluster.internal;

import dev.mgmt.cluster.ElasticStrategy;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The chooser's rules as a pure function from what it sees to at most one change. Kept apart
 * from Atomix so the invariants can be tested exhaustively:
 * <ul>
 *   <li>one change at a time;</li>
 *   <li>never a change while fewer than a majority of the voters are alive;</li>
 *   <li>never a removal that leaves fewer than a majority of the remaining voters alive;</li>
 *   <li>never an addition after which the voters, the newcomer included, lack a live majority;</li>
 *   <li>never the chooser's own host.</li>
 * </ul>
 */
final class ElasticPlan {

    private ElasticPlan() {
    }

    /**
     * A voter in the Raft configuration.
     *
     * @param deadPastGrace dead for longer than the grace period
     * @param volunteering  its host still volunteers (a revoked host is to be unnominated)
     */
    record Voter(String memberId, String host, boolean alive, boolean deadPastGrace, boolean volunteering) {
    }

    /** A live volunteer that is not a voter. */
    record Candidate(String host, String memberId) {
    }

    /**
     * What the chooser sees. {@code self} is its own member id; candidates (live volunteers
     * with no seat) and learners (nominated hosts that have joined as non-voting members and
     * caught up) in preference order.
     */
    record View(int ideal, ElasticStrategy strategy, String self, List<Voter> voters, List<Candidate> candidates,
                List<Candidate> learners) {

        View(int ideal, ElasticStrategy strategy, String self, List<Voter> voters, List<Candidate> candidates) {
            this(ideal, strategy, self, voters, candidates, List.of());
        }
    }

    /** One change, or none with the reason. */
    sealed interface Action {
    }

    /** Seats a candidate as a learner: it joins and catches up without a vote. */
    record Nominate(Candidate candidate, String why) implements Action {
    }

    /** Gives a caught-up learner its vote. */
    record Promote(Candidate learner, String why) implements Action {
    }

    record Unnominate(Voter voter, String why) implements Action {
    }

    /** Unnominates a learner that is no longer needed; it has no vote, so quorum is untouched. */
    record DropLearner(Candidate learner, String why) implements Action {
    }

    record RemoveDead(Voter voter, String why) implements Action {
    }

    record Wait(String why) implements Action {
    }

    static int majority(int voters) {
        return voters / 2 + 1;
    }

    static Action decide(View v) {
        int size = v.voters().size();
        long alive = v.voters().stream().filter(Voter::alive).count();
        if (size > 0 && alive < majority(size)) {
            return new Wait("quorum lost: " + alive + " of " + size + " voters alive; changing nothing");
        }
        Optional<Voter> dead = v.voters().stream().filter(Voter::deadPastGrace)
                .min(Comparator.comparing(Voter::memberId));
        boolean full = size >= v.ideal();
        boolean canAdd = (!v.candidates().isEmpty() || !v.learners().isEmpty()) && alive + 1 >= majority(size + 1);
        if (dead.isPresent()) {
            boolean remove = switch (v.strategy()) {
                case PRUNE -> true;
                case REPLACE -> size > v.ideal() || (full && (!v.candidates().isEmpty() || !v.learners().isEmpty()));
                case ADD -> false;
            };
            // Removing a dead voter never lowers the live count, and the quorum shrinks or stays.
            if (remove) {
                return new RemoveDead(dead.get(), "dead for longer than the grace period ("
                        + v.strategy().name().toLowerCase() + ")");
            }
        }
        if (size > v.ideal()) {
            Optional<Voter> out = leastWanted(v);
            if (out.isPresent() && alive - 1 >= majority(size - 1)) {
                return new Unnominate(out.get(), size + " voters, ideal " + v.ideal());
            }
            if (out.isEmpty()) {
                return new Wait(size + " voters, ideal " + v.ideal() + ", but no live voter other than this one");
            }
            return new Wait("removing a voter now would leave fewer than a majority alive");
        }
        Optional<Voter> revoked = v.voters().stream()
                .filter(x -> x.alive() && !x.volunteering() && !x.memberId().equals(v.self()))
                .min(Comparator.comparing(Voter::host));
        if (revoked.isPresent()) {
            // Add the replacement first, so the voter count never dips below the ideal.
            if (size <= v.ideal() && canAdd) {
                return grow(v, "to replace " + revoked.get().host() + ", which no longer volunteers");
            }
            if (alive - 1 >= majority(size - 1)) {
                return new Unnominate(revoked.get(), "no longer volunteers");
            }
        }
        if (size < v.ideal() && canAdd) {
            return grow(v, size + " voters, ideal " + v.ideal());
        }
        if (size >= v.ideal() && !v.learners().isEmpty()) {
            return new DropLearner(v.learners().get(0), size + " voters, ideal " + v.ideal());
        }
        return new Wait("nothing to do");
    }

    /**
     * One step towards one more voter: promote a learner, or seat a candidate as a learner
     * first. A lone voter is not given a second one until two learners are ready and the ideal
     * asks for three or more: with two voters the loss of either stops the store, which is
     * worse than one, so the group passes through two voters only for the moment between two
     * promotions.
     */
    private static Action grow(View v, String why) {
        int size = v.voters().size();
        boolean passQuickly = size == 1 && v.ideal() >= 3;
        if (!v.learners().isEmpty() && (!passQuickly || v.learners().size() >= 2)) {
            return new Promote(v.learners().get(0), why);
        }
        if (!v.candidates().isEmpty()) {
            return new Nominate(v.candidates().get(0), why);
        }
        return new Wait("one voter and one learner: waiting for a second volunteer before growing, since two "
                + "voters are more fragile than one");
    }

    /** The voter to unnominate when there are too many: never the chooser; revoked first, then by host, last first. */
    private static Optional<Voter> leastWanted(View v) {
        return v.voters().stream()
                .filter(x -> x.alive() && !x.memberId().equals(v.self()))
                .max(Comparator.comparing((Voter x) -> !x.volunteering()).thenComparing(Voter::host));
    }
}
