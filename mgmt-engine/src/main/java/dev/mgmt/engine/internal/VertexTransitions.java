package dev.mgmt.engine.internal;

import static dev.mgmt.engine.internal.RunState.CLEAN;
import static dev.mgmt.engine.internal.RunState.FAILED;
import static dev.mgmt.engine.internal.RunState.LIMITED;
import static dev.mgmt.engine.internal.RunState.PENDING;
import static dev.mgmt.engine.internal.RunState.QUEUED;
import static dev.mgmt.engine.internal.RunState.REARM_WAIT;
import static dev.mgmt.engine.internal.RunState.REMOVED;
import static dev.mgmt.engine.internal.RunState.REMOVING;
import static dev.mgmt.engine.internal.RunState.RETRY_WAIT;
import static dev.mgmt.engine.internal.RunState.RUNNING;
import static dev.mgmt.engine.internal.RunState.UNARMED;
import static dev.mgmt.engine.internal.RunState.WATCH_FAILED;

/**
 * The vertex state machine of DESIGN §4 as one pure function: (state, marks, input, facts) to
 * (state, marks, actions). The engine only carries out the actions; it never changes a state
 * itself. Tested as a table in {@code VertexTransitionsTest}; docs/engine.md draws it.
 *
 * <p><b>Marks</b> are the work a vertex owes, beside its state. The owed bits ({@link #DIRTY},
 * {@link #REFRESH}, {@link #TRIGGERED}) move to the run bits when a run starts; an element that
 * arrives during the run sets an owed bit again (the "owed run"), and a failed run hands its
 * run bits back, so neither is lost. {@link #WATCH_DOWN} and {@link #WATCH_DEAD} record a watch
 * failure that happened while the call ran, to be acted on when it returns.
 */
final class VertexTransitions {

    // Marks.
    static final int DIRTY = 1;
    static final int REFRESH = 1 << 1;
    static final int TRIGGERED = 1 << 2;
    static final int OWED = DIRTY | REFRESH | TRIGGERED;
    static final int RUN_SHIFT = 3;
    static final int RUN_REFRESH = REFRESH << RUN_SHIFT;
    static final int RUN_TRIGGERED = TRIGGERED << RUN_SHIFT;
    static final int IN_RUN = OWED << RUN_SHIFT;
    static final int WATCH_DOWN = 1 << 6;
    static final int WATCH_DEAD = 1 << 7;

    // Facts the engine supplies with an input.
    /** The resource is a {@code Trigger}: its elements refresh notify children. */
    static final int F_TRIGGER = 1;
    /** The vertex was re-armed since its last success: a further re-arm waits the backoff. */
    static final int F_BACKOFF = 1 << 1;
    /** With CONSIDER: a parent is not clean, a child runs, or a removed predecessor's call is in flight. */
    static final int F_HELD = 1 << 2;
    /** With CONSIDER: no permit or parallelism slot (or others queued first for one). */
    static final int F_NO_PERMIT = 1 << 3;
    /** With CONSIDER: no rate-limit token. */
    static final int F_NO_TOKEN = 1 << 4;
    /**
     * With CONSIDER: a value it receives over a send/recv edge is missing, withheld or invalid.
     * Only a new value ({@link Input#SEND_RECV}) or an event can change that, so it fails at once:
     * no call, no permit or token, no retry.
     */
    static final int F_UNREADY = 1 << 5;

    // Actions, carried out by the engine in this order.
    static final int A_DEQUEUE = 1;
    static final int A_CANCEL_TIMER = 1 << 1;
    static final int A_CANCEL_WATCH = 1 << 2;
    static final int A_CANCEL_CALL = 1 << 3;
    /** The call returned: give back its permits, tell the neighbours. */
    static final int A_RETURNED = 1 << 4;
    static final int A_RESET_BUDGET = 1 << 5;
    static final int A_ARMED = 1 << 6;
    static final int A_ENQUEUE = 1 << 7;
    static final int A_START = 1 << 8;
    static final int A_SCHEDULE_TOKEN = 1 << 9;
    static final int A_SCHEDULE_RETRY = 1 << 10;
    static final int A_SCHEDULE_REARM = 1 << 11;
    static final int A_SCHEDULE_RESUBSCRIBE = 1 << 12;
    static final int A_RESUBSCRIBE = 1 << 13;
    /** Look at whether it may start now (the engine answers with CONSIDER). */
    static final int A_CONSIDER = 1 << 14;
    static final int A_CLOSE = 1 << 15;
    /** It runs again after failing: count the re-arm, so that the next one backs off. */
    static final int A_REARMED = 1 << 16;
    /** It cannot run without the values it receives: report why, as a failure without a call. */
    static final int A_UNREADY = 1 << 17;

    /** The outcome of one input. */
    record Step(RunState state, int marks, int actions) {
    }

    private VertexTransitions() {
    }

    static Step next(RunState s, int marks, Input in, int facts) {
        return switch (s) {
            case UNARMED -> unarmed(marks, in, facts);
            case PENDING, QUEUED, LIMITED -> waiting(s, marks, in, facts);
            case RUNNING -> running(marks, in, facts);
            case RETRY_WAIT, REARM_WAIT -> delayed(s, marks, in, facts);
            case CLEAN -> clean(marks, in, facts);
            case FAILED -> failed(marks, in, facts);
            case WATCH_FAILED -> switch (in) {
                case NOTIFIED -> stay(s, marks | REFRESH);
                case SEND_RECV -> stay(s, marks | DIRTY);
                case REMOVE -> go(REMOVED, marks, A_CLOSE);
                default -> stay(s, marks);
            };
            case REMOVING -> switch (in) {
                case SUCCEEDED, FAILED_RETRY, FAILED_FINAL -> go(REMOVED, marks & ~IN_RUN, A_RETURNED | A_CLOSE);
                default -> stay(s, marks);
            };
            case REMOVED -> stay(s, marks);
        };
    }

    private static Step unarmed(int marks, Input in, int facts) {
        return switch (in) {
            // Arming: nothing is known about the real state yet, so it must be checked.
            case WATCH_ELEMENT -> go(PENDING, marks | DIRTY, A_ARMED | A_RESET_BUDGET | A_CONSIDER);
            case NOTIFIED -> stay(UNARMED, marks | REFRESH);
            case SEND_RECV -> stay(UNARMED, marks | DIRTY);
            case TIMER -> stay(UNARMED, marks, A_RESUBSCRIBE);
            case WATCH_RETRY -> stay(UNARMED, marks, A_SCHEDULE_RESUBSCRIBE);
            case WATCH_GAVE_UP -> go(WATCH_FAILED, marks, A_CANCEL_TIMER);
            case REMOVE -> go(REMOVED, marks, A_CANCEL_TIMER | A_CANCEL_WATCH | A_CLOSE);
            default -> stay(UNARMED, marks);
        };
    }

    /** PENDING, QUEUED and LIMITED: owes a run and has no call in flight. */
    private static Step waiting(RunState s, int marks, Input in, int facts) {
        int leave = s == QUEUED ? A_DEQUEUE : s == LIMITED ? A_CANCEL_TIMER : 0;
        return switch (in) {
            case WATCH_ELEMENT -> stay(s, marks | element(facts));
            case NOTIFIED -> stay(s, marks | REFRESH);
            case SEND_RECV -> stay(s, marks | DIRTY);
            case CONSIDER -> consider(s, marks, facts, leave);
            case TIMER -> s == LIMITED ? go(PENDING, marks, A_CONSIDER) : stay(s, marks);
            case WATCH_RETRY -> go(UNARMED, marks, leave | A_SCHEDULE_RESUBSCRIBE);
            case WATCH_GAVE_UP -> go(WATCH_FAILED, marks, leave);
            case REMOVE -> go(REMOVED, marks, leave | A_CANCEL_WATCH | A_CLOSE);
            default -> stay(s, marks);
        };
    }

    private static Step consider(RunState s, int marks, int facts, int leave) {
        if ((facts & F_HELD) != 0) {
            return s == PENDING ? stay(s, marks) : go(PENDING, marks, leave);
        }
        if ((facts & F_UNREADY) != 0) {
            // The owed work stays owed, as a failed run hands it back; SEND_RECV re-arms it.
            return go(FAILED, marks, leave | A_UNREADY);
        }
        if ((facts & F_NO_PERMIT) != 0) {
            return s == QUEUED ? stay(s, marks) : go(QUEUED, marks, leave | A_ENQUEUE);
        }
        if ((facts & F_NO_TOKEN) != 0) {
            return s == LIMITED ? stay(s, marks) : go(LIMITED, marks, leave | A_SCHEDULE_TOKEN);
        }
        // The owed work becomes the run's work; what arrives from now on is owed again.
        int run = (marks & OWED) << RUN_SHIFT;
        return go(RUNNING, (marks & ~OWED & ~IN_RUN) | run, leave | A_START);
    }

    private static Step running(int marks, Input in, int facts) {
        return switch (in) {
            case WATCH_ELEMENT -> (marks & WATCH_DOWN) != 0
                    ? stay(RUNNING, (marks & ~WATCH_DOWN) | DIRTY, A_ARMED)
                    : stay(RUNNING, marks | element(facts));
            case NOTIFIED -> stay(RUNNING, marks | REFRESH);
            case SEND_RECV -> stay(RUNNING, marks | DIRTY);
            case SUCCEEDED -> returned(marks & ~IN_RUN, A_RETURNED, (marks & OWED) != 0 ? PENDING : CLEAN, facts);
            case FAILED_RETRY -> returned(handBack(marks), A_RETURNED, RETRY_WAIT, facts);
            case FAILED_FINAL -> (marks & OWED) != 0
                    // An element arrived during the run: the owed run happens anyway, as a re-arm.
                    ? returned(handBack(marks), A_RETURNED, (facts & F_BACKOFF) != 0 ? REARM_WAIT : PENDING, facts)
                    : returned(handBack(marks), A_RETURNED, FAILED, facts);
            case TIMER -> (marks & WATCH_DOWN) != 0 ? stay(RUNNING, marks, A_RESUBSCRIBE) : stay(RUNNING, marks);
            case WATCH_RETRY -> (marks & WATCH_DEAD) != 0
                    ? stay(RUNNING, marks)
                    : stay(RUNNING, marks | WATCH_DOWN, A_SCHEDULE_RESUBSCRIBE);
            case WATCH_GAVE_UP -> stay(RUNNING, (marks & ~WATCH_DOWN) | WATCH_DEAD, A_CANCEL_TIMER);
            case REMOVE -> go(REMOVING, marks, A_CANCEL_CALL | A_CANCEL_TIMER | A_CANCEL_WATCH);
            default -> stay(RUNNING, marks);
        };
    }

    /** Where a returned call leaves the vertex; a watch failure during the call wins. */
    private static Step returned(int marks, int actions, RunState to, int facts) {
        if ((marks & WATCH_DEAD) != 0) {
            return go(WATCH_FAILED, marks & ~WATCH_DEAD & ~WATCH_DOWN, actions);
        }
        if ((marks & WATCH_DOWN) != 0) {
            // The re-subscription timer is already set; arming will make it dirty again.
            return go(UNARMED, marks & ~WATCH_DOWN, actions);
        }
        return switch (to) {
            case PENDING -> go(PENDING, marks, actions | A_CONSIDER | (was(marks) ? A_RESET_BUDGET | A_REARMED : 0));
            case RETRY_WAIT -> go(RETRY_WAIT, marks, actions | A_SCHEDULE_RETRY);
            case REARM_WAIT -> go(REARM_WAIT, marks, actions | A_SCHEDULE_REARM);
            default -> go(to, marks, actions);
        };
    }

    /** A failed run's work is owed again. */
    private static int handBack(int marks) {
        return (marks & ~IN_RUN) | ((marks & IN_RUN) >>> RUN_SHIFT) | FAILED_MARK;
    }

    // A transient bit only {@link #returned} reads: the run failed, so going PENDING is a re-arm.
    private static final int FAILED_MARK = 1 << 8;

    private static boolean was(int marks) {
        return (marks & FAILED_MARK) != 0;
    }

    private static Step delayed(RunState s, int marks, Input in, int facts) {
        return switch (in) {
            case WATCH_ELEMENT -> stay(s, marks | element(facts));
            case NOTIFIED -> stay(s, marks | REFRESH);
            case SEND_RECV -> stay(s, marks | DIRTY);
            case TIMER -> go(PENDING, marks, A_CONSIDER | (s == REARM_WAIT ? A_RESET_BUDGET : 0));
            case WATCH_RETRY -> go(UNARMED, marks, A_SCHEDULE_RESUBSCRIBE);
            case WATCH_GAVE_UP -> go(WATCH_FAILED, marks, A_CANCEL_TIMER);
            case REMOVE -> go(REMOVED, marks, A_CANCEL_TIMER | A_CANCEL_WATCH | A_CLOSE);
            default -> stay(s, marks);
        };
    }

    private static Step clean(int marks, Input in, int facts) {
        return switch (in) {
            case WATCH_ELEMENT -> go(PENDING, marks | element(facts), A_CONSIDER);
            case NOTIFIED -> go(PENDING, marks | REFRESH, A_CONSIDER);
            case SEND_RECV -> go(PENDING, marks | DIRTY, A_CONSIDER);
            case WATCH_RETRY -> go(UNARMED, marks, A_SCHEDULE_RESUBSCRIBE);
            case WATCH_GAVE_UP -> go(WATCH_FAILED, marks, 0);
            case REMOVE -> go(REMOVED, marks, A_CANCEL_WATCH | A_CLOSE);
            default -> stay(CLEAN, marks);
        };
    }

    private static Step failed(int marks, Input in, int facts) {
        return switch (in) {
            // DESIGN §4: the next watch element re-arms a failed vertex with a fresh budget;
            // repeated re-arms are spaced out, and the vertex is waiting, not failed, meanwhile.
            case WATCH_ELEMENT -> rearm(marks | element(facts), facts);
            // A new value received may be what it failed for: re-armed as by a watch element.
            case SEND_RECV -> rearm(marks | DIRTY, facts);
            case NOTIFIED -> stay(FAILED, marks | REFRESH);
            case WATCH_RETRY -> go(UNARMED, marks, A_SCHEDULE_RESUBSCRIBE);
            case WATCH_GAVE_UP -> go(WATCH_FAILED, marks, 0);
            case REMOVE -> go(REMOVED, marks, A_CANCEL_WATCH | A_CLOSE);
            default -> stay(FAILED, marks);
        };
    }

    private static Step rearm(int marks, int facts) {
        return (facts & F_BACKOFF) != 0
                ? go(REARM_WAIT, marks, A_SCHEDULE_REARM)
                : go(PENDING, marks, A_RESET_BUDGET | A_REARMED | A_CONSIDER);
    }

    /** What a watch element does to a vertex, as {@code EngineEvent.Changed} reports it. */
    enum Taken {
        /** It arms the watch (the first element, or the first after a re-subscription): no change. */
        ARMS,
        /** The watch has failed or the vertex is leaving: the element is dropped. */
        DROPPED,
        /** A change that makes a run owed. */
        OWES_RUN,
        /** A change that folds into a run already owed and not started (or waiting to retry). */
        COALESCED
    }

    /** What a watch element taken now does; read before {@link #next} with {@code WATCH_ELEMENT}. */
    static Taken taken(RunState s, int marks) {
        return switch (s) {
            case UNARMED -> Taken.ARMS;
            case WATCH_FAILED, REMOVING, REMOVED -> Taken.DROPPED;
            // A failed vertex's handed-back marks are dead until an element re-arms it.
            case CLEAN, FAILED -> Taken.OWES_RUN;
            case RUNNING -> (marks & WATCH_DOWN) != 0 ? Taken.ARMS
                    : (marks & OWED) != 0 ? Taken.COALESCED : Taken.OWES_RUN;
            case PENDING, QUEUED, LIMITED, RETRY_WAIT, REARM_WAIT -> (marks & OWED) != 0 ? Taken.COALESCED : Taken.OWES_RUN;
        };
    }

    /** The owed bits a (non-arming) watch element sets. */
    private static int element(int facts) {
        return (facts & F_TRIGGER) != 0 ? DIRTY | TRIGGERED : DIRTY;
    }

    private static Step go(RunState s, int marks, int actions) {
        return new Step(s, marks & ~FAILED_MARK, actions);
    }

    private static Step stay(RunState s, int marks) {
        return new Step(s, marks, 0);
    }

    private static Step stay(RunState s, int marks, int actions) {
        return new Step(s, marks, actions);
    }
}
