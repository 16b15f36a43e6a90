package dev.mgmt.resources.linux.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps the first and the last lines of a stream of output in bounded memory, and counts the
 * lines in between. Thread-safe.
 */
final class OutputCapture {

    static final int HEAD = 5;
    static final int TAIL = 15;

    private final List<String> head = new ArrayList<>(HEAD);
    private final ArrayDeque<String> tail = new ArrayDeque<>(TAIL);
    private long total;

    synchronized void accept(String line) {
        total++;
        if (head.size() < HEAD) {
            head.add(line);
            return;
        }
        if (tail.size() == TAIL) {
            tail.removeFirst();
        }
        tail.addLast(line);
    }

    synchronized Output snapshot() {
        return new Output(List.copyOf(head), List.copyOf(tail), total);
    }

    /**
     * Captured output.
     *
     * @param head  the first lines
     * @param tail  the last lines, after {@code head}
     * @param total every line seen, including those dropped between head and tail
     */
    record Output(List<String> head, List<String> tail, long total) {

        static final Output NONE = new Output(List.of(), List.of(), 0);

        boolean isEmpty() {
            return total == 0;
        }

        /** Every kept line, with a marker where lines were dropped. */
        List<String> lines() {
            List<String> out = new ArrayList<>(head);
            long dropped = total - head.size() - tail.size();
            if (dropped > 0) {
                out.add("… " + dropped + " more line" + (dropped == 1 ? "" : "s") + " …");
            }
            out.addAll(tail);
            return out;
        }

        /** The last {@code n} kept lines. */
        List<String> last(int n) {
            List<String> all = new ArrayList<>(head);
            all.addAll(tail);
            return all.subList(Math.max(0, all.size() - n), all.size());
        }
    }
}
