package dev.mgmt.cli.cluster;

/** Timing flags of {@code mgmt run} that the fault tests shorten. */
final class Knobs {

    /** How long a voter must be dead before the chooser replaces it. */
    static final String[] FAST_GRACE = {"--grace-period", "3s"};

    private Knobs() {
    }
}
