package dev.mgmt.test.engine;

import dev.mgmt.test.FakeCall;
import dev.mgmt.test.FakeEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The recorded calls of fake resources grouped into runs: a check starts a run, and the apply
 * and refresh after it belong to it. Positions are sequence numbers of the {@code Fakes} log.
 */
final class Runs {

    /** One run of one vertex. */
    record Run(String name, long start, long end, boolean applied, boolean refreshed) {
        boolean changed() {
            // The engine treats a refresh that ran (a restart, a re-run) as a change that travels on
            // down notify edges, like mgmt, where a refreshed resource's CheckApply reports a change.
            return applied || refreshed;
        }

        boolean overlaps(Run o) {
            return start <= o.end && o.start <= end;
        }
    }

    private final Map<String, List<Run>> byName = new HashMap<>();
    private final Map<String, List<Long>> watchEvents = new HashMap<>();

    Runs(List<FakeCall> calls, List<FakeEvent> log) {
        Map<String, List<FakeCall>> open = new HashMap<>();
        for (FakeCall c : calls) {
            if (!c.finished() || !c.succeeded()) {
                throw new AssertionError("unexpected unfinished or failed call " + c);
            }
            List<FakeCall> cur = open.get(c.name());
            if (c.phase() == FakeCall.Phase.CHECK) {
                if (cur != null) {
                    close(cur);
                }
                cur = new ArrayList<>();
                open.put(c.name(), cur);
            } else if (cur == null) {
                throw new AssertionError(c + " without a check before it");
            }
            cur.add(c);
        }
        open.values().forEach(this::close);
        byName.values().forEach(l -> l.sort((a, b) -> Long.compare(a.start(), b.start())));
        for (FakeEvent e : log) {
            if (e.type() == FakeEvent.Type.WATCH_EVENT) {
                watchEvents.computeIfAbsent(e.name(), k -> new ArrayList<>()).add(e.seq());
            }
        }
    }

    private void close(List<FakeCall> calls) {
        FakeCall first = calls.get(0);
        long end = first.endSeq();
        boolean applied = false;
        boolean refreshed = false;
        FakeCall.Phase last = FakeCall.Phase.CHECK;
        for (FakeCall c : calls.subList(1, calls.size())) {
            if (c.phase().ordinal() <= last.ordinal() || c.startSeq() < end) {
                throw new AssertionError("calls out of order in one run: " + calls);
            }
            last = c.phase();
            end = c.endSeq();
            applied |= c.phase() == FakeCall.Phase.APPLY;
            refreshed |= c.phase() == FakeCall.Phase.REFRESH;
        }
        byName.computeIfAbsent(first.name(), k -> new ArrayList<>())
                .add(new Run(first.name(), first.startSeq(), end, applied, refreshed));
    }

    List<Run> of(String name) {
        return byName.getOrDefault(name, List.of());
    }

    List<Long> watchEventsOf(String name) {
        return watchEvents.getOrDefault(name, List.of());
    }
}
