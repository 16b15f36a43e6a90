package dev.mgmt.cli;

/**
 * Where {@link GraphFeed} stands, as one value changed by one pure function ({@link #next}),
 * tested as a table. The feed reloads only when a step says so, one reload at a time, so every
 * reload is a step and its outcome always counts. The running graph is the latest only when the
 * mode is {@link Mode#IDLE}: while a change waits for its reload, a reload runs, or a graph waits
 * for values its edit started to read, a newer graph is on its way and the host is not
 * converged on what it was asked to run.
 *
 * @param mode     what the feed is doing
 * @param rejected whether the last reload kept the running graph because the newer one was
 *                 invalid; it stands for the latest graph only once the mode is idle again
 */
record FeedState(Mode mode, boolean rejected) {

    static final FeedState IDLE = new FeedState(Mode.IDLE, false);

    enum Mode {
        /** The running graph is the latest (or the latest was rejected). */
        IDLE,
        /** A change (an edit, a value) waits for the reload scheduled for it. */
        PENDING,
        /** A reload runs, with the latest file and values at its start. */
        LOADING,
        /** A reload runs, and a change came after it started: another reload follows it. */
        LOADING_STALE,
        /** The reloaded file reads values it did not before; they are being subscribed. */
        AWAITING_VALUES
    }

    /** What a reload did. */
    enum Outcome {
        /** The new graph went in. */
        APPLIED,
        /** The new graph was invalid (said); the running one is kept. */
        REJECTED,
        /** The new graph reads more of the cluster's values: it is rendered again once they come. */
        NEEDS_VALUES
    }

    /** What happens to the feed. */
    sealed interface Input {
    }

    /** The file was edited, or a value it reads changed. */
    record Changed() implements Input {
    }

    /** The scheduled reload starts; it reads the latest file and values. */
    record LoadStarted() implements Input {
    }

    /** The reload ended. */
    record LoadEnded(Outcome outcome) implements Input {
    }

    /**
     * @param state  the state after
     * @param reload whether to schedule a reload now
     */
    record Step(FeedState state, boolean reload) {
    }

    /** Whether the running graph is the latest one (it may have been rejected: see {@link #rejected}). */
    boolean settled() {
        return mode == Mode.IDLE;
    }

    /** Whether a reload runs, or is scheduled and will run. */
    boolean reloading() {
        return mode == Mode.PENDING || mode == Mode.LOADING || mode == Mode.LOADING_STALE;
    }

    static Step next(FeedState s, Input in) {
        if (in instanceof Changed) {
            return switch (s.mode) {
                case IDLE, AWAITING_VALUES -> new Step(new FeedState(Mode.PENDING, s.rejected), true);
                // A reload is scheduled already, and reads the latest when it starts.
                case PENDING -> new Step(s, false);
                case LOADING, LOADING_STALE -> new Step(new FeedState(Mode.LOADING_STALE, s.rejected), false);
            };
        }
        if (in instanceof LoadStarted) {
            return new Step(s.mode == Mode.PENDING ? new FeedState(Mode.LOADING, s.rejected) : s, false);
        }
        Outcome o = ((LoadEnded) in).outcome();
        boolean rejected = switch (o) {
            case APPLIED -> false;
            case REJECTED -> true;
            case NEEDS_VALUES -> s.rejected;
        };
        return switch (s.mode) {
            case LOADING -> new Step(new FeedState(o == Outcome.NEEDS_VALUES ? Mode.AWAITING_VALUES : Mode.IDLE,
                    rejected), false);
            case LOADING_STALE -> new Step(new FeedState(Mode.PENDING, rejected), true);
            // No reload runs: nothing to end.
            case IDLE, PENDING, AWAITING_VALUES -> new Step(s, false);
        };
    }
}
