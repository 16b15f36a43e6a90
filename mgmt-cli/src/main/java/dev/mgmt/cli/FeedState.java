package dev.mgmt.cli;

/**
 * Where {@link GraphFeed} stands, as one value changed by one pure function ({@link #next}),
 * tested as a table. The running graph is the latest only when the mode is {@link Mode#IDLE}:
 * while a change waits for its reload, a reload runs, or a graph waits for values its edit
 * started to read, a newer graph is on its way and the host is not converged on what it was
 * asked to run.
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
        /** A change (an edit, a value) waits for its reload. */
        PENDING,
        /** A reload runs, with the latest file and values at its start. */
        LOADING,
        /** A reload runs, and a change came after it started: another reload follows. */
        LOADING_STALE,
        /** The reloaded file reads values it did not before; they are being subscribed. */
        AWAITING_VALUES
    }

    /** What the last reload did. */
    enum Outcome {
        /** The new graph went in. */
        APPLIED,
        /** Nothing is new since the last reload (whatever it did): nothing to do. */
        UNCHANGED,
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

    /** A reload starts; it reads the latest file and values. */
    record LoadStarted() implements Input {
    }

    /** A reload ended. */
    record LoadEnded(Outcome outcome) implements Input {
    }

    /** Whether the running graph is the latest one (it may have been rejected: see {@link #rejected}). */
    boolean settled() {
        return mode == Mode.IDLE;
    }

    static FeedState next(FeedState s, Input in) {
        if (in instanceof Changed) {
            return switch (s.mode) {
                case IDLE, PENDING, AWAITING_VALUES -> new FeedState(Mode.PENDING, s.rejected);
                case LOADING, LOADING_STALE -> new FeedState(Mode.LOADING_STALE, s.rejected);
            };
        }
        if (in instanceof LoadStarted) {
            // A reload that starts with no change waiting was queued behind one that already read
            // the latest file and values: it finds nothing new, and is no step of the feed.
            return s.mode == Mode.PENDING ? new FeedState(Mode.LOADING, s.rejected) : s;
        }
        Outcome o = ((LoadEnded) in).outcome();
        boolean rejected = switch (o) {
            case APPLIED -> false;
            case REJECTED -> true;
            case UNCHANGED, NEEDS_VALUES -> s.rejected;
        };
        if (s.mode == Mode.LOADING_STALE) {
            return new FeedState(Mode.PENDING, rejected);
        }
        if (s.mode != Mode.LOADING) {
            return s; // not a step of the feed (see LoadStarted)
        }
        return new FeedState(o == Outcome.NEEDS_VALUES ? Mode.AWAITING_VALUES : Mode.IDLE, rejected);
    }
}
