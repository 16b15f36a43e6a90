package dev.mgmt.test;

/**
 * How often the engine did each thing to one fake resource name, at one moment.
 *
 * @param checks             calls of {@code check()} started
 * @param applies            calls of {@code apply()} started
 * @param refreshes          calls of {@code refresh()} started
 * @param watchSubscriptions subscriptions to {@code watch()}
 * @param watchCancellations cancellations of a watch subscription
 * @param closes             calls of {@code close()}
 */
public record FakeCounts(int checks, int applies, int refreshes, int watchSubscriptions, int watchCancellations,
                         int closes) {

    /** Nothing happened yet. */
    public static final FakeCounts NONE = new FakeCounts(0, 0, 0, 0, 0, 0);
}
