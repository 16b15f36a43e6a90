package dev.mgmt.cluster.internal.atomix;

import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The member ids in the first answer to this member's membership sync: everyone a seed knew
 * when this member joined. Once membership knows them all, a live namesake cannot be missing
 * from it, which is what the duplicate-name check at joining needs.
 */
final class SeedView {

    private final AtomicReference<Set<String>> firstReply = new AtomicReference<>();

    /** Records a seed's answer; later answers change nothing. */
    void replied(Set<String> memberIds) {
        firstReply.compareAndSet(null, Set.copyOf(memberIds));
    }

    /** Whether a seed has answered and {@code known} holds every member it listed. */
    boolean coveredBy(Set<String> known) {
        Set<String> ids = firstReply.get();
        return ids != null && known.containsAll(ids);
    }
}
