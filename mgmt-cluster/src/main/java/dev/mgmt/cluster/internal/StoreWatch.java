package dev.mgmt.cluster.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says at once when this host loses the cluster's store, and when it has it back. Fed a
 * {@link Look} every few hundred milliseconds; when no voter (for a store server: no majority
 * of the voters) has answered for {@code bound}, it logs one ERROR naming the voters, and one
 * WARN when they answer again. Time comes from the injected {@link Clock}.
 */
public final class StoreWatch {

    private static final Logger log = LoggerFactory.getLogger(StoreWatch.class);

    /** What this host sees of the store's voters right now. */
    public record Look(boolean reachable, List<String> voters) {
        public Look {
            voters = List.copyOf(voters);
        }
    }

    /** What changed with one look. */
    enum Change { NONE, LOST, BACK }

    private final String host;
    private final Duration bound;
    private final Clock clock;
    private Instant unreachableSince;
    private List<String> knownVoters = List.of();
    private volatile boolean lost;

    StoreWatch(String host, Duration bound, Clock clock) {
        this.host = host;
        this.bound = bound;
        this.clock = clock;
    }

    /** Takes one look, logs when the store is lost or back, and says which. */
    synchronized Change observe(Look look) {
        Instant now = clock.instant();
        if (!look.voters().isEmpty()) {
            knownVoters = look.voters();
        }
        if (look.reachable()) {
            unreachableSince = null;
            if (lost) {
                lost = false;
                log.warn("{}: the cluster's store is reachable again (voters: {}); exports and collection resume",
                        host, String.join(", ", knownVoters));
                return Change.BACK;
            }
            return Change.NONE;
        }
        if (unreachableSince == null) {
            unreachableSince = now;
        }
        if (!lost && !now.isBefore(unreachableSince.plus(bound))) {
            lost = true;
            log.error("{}: {}", host, problem());
            return Change.LOST;
        }
        return Change.NONE;
    }

    /** Whether the store is lost now. */
    boolean lost() {
        return lost;
    }

    /** The ERROR line's text: what is lost and which voters were last known. */
    synchronized String problem() {
        return "the cluster's store is unreachable: no voter answers (voters: "
                + (knownVoters.isEmpty() ? "none known" : String.join(", ", knownVoters))
                + "); exports and collection are paused";
    }
}
