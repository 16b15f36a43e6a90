package dev.mgmt.resources.linux.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Kills a process together with every process it started. */
public final class ProcessTrees {

    private ProcessTrees() {
    }

    /**
     * Kills {@code root} and its descendants with SIGKILL. The tree is taken before anything is
     * killed, because a child whose parent died is re-parented and no longer found under it; a
     * second sweep catches children forked while the first one ran.
     */
    public static void kill(ProcessHandle root) {
        Set<Long> seen = new HashSet<>();
        List<ProcessHandle> tree = new ArrayList<>();
        tree.add(root);
        root.descendants().forEach(tree::add);
        for (int sweep = 0; sweep < 3 && !tree.isEmpty(); sweep++) {
            for (ProcessHandle h : tree) {
                seen.add(h.pid());
                h.destroyForcibly();
            }
            List<ProcessHandle> more = new ArrayList<>();
            for (ProcessHandle h : tree) {
                h.descendants().filter(d -> !seen.contains(d.pid())).forEach(more::add);
            }
            tree = more;
        }
    }

    /** Kills {@code p} and its descendants, then reaps {@code p}. */
    public static void kill(Process p) {
        kill(p.toHandle());
        boolean interrupted = false;
        while (true) {
            try {
                p.waitFor();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
