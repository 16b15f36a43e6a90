package dev.mgmt.cli;

import dev.mgmt.api.Quoted;
import dev.mgmt.cluster.ClusterStatus;
import dev.mgmt.cluster.ClusterStatus.Member;
import dev.mgmt.cluster.CollectRefusal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code mgmt cluster status} as text: a summary line, then one row per member, like {@code etcdctl member list}. */
final class StatusTable {

    private static final List<String> HEADER =
            List.of("HOST", "MEMBER ID", "ADDRESS", "VOTER", "LEADER", "VOLUNTEER", "ALIVE", "CONVERGED");

    private StatusTable() {
    }

    static String render(ClusterStatus status) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(HEADER);
        for (Member m : status.members()) {
            rows.add(List.of(m.host(), m.memberId(), m.address().isEmpty() ? "-" : m.address(), yesNo(m.voter()),
                    yesNo(m.leader()), yesNo(m.volunteer()), yesNo(m.alive()), yesNo(m.converged())));
        }
        int[] width = new int[HEADER.size()];
        for (List<String> row : rows) {
            for (int i = 0; i < width.length; i++) {
                width[i] = Math.max(width[i], row.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder(summary(status)).append('\n');
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < width.length; i++) {
                line.append(String.format("%-" + width[i] + "s  ", row.get(i)));
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        if (!status.refusals().isEmpty()) {
            out.append("refused exports:\n");
            for (CollectRefusal r : status.refusals()) {
                out.append("  ").append(r.collector()).append(" refused ").append(Quoted.of(r.resource()))
                        .append(" from ").append(Quoted.of(r.exporter())).append(": ").append(r.reason()).append('\n');
            }
        }
        return out.toString();
    }

    static String summary(ClusterStatus status) {
        return String.format("ideal cluster size %d, %d voters, strategy %s, leader %s", status.idealClusterSize(),
                status.voters().size(), ElasticStrategyConverter.name(status.strategy()), status.leader().orElse("none"));
    }

    private static String yesNo(boolean b) {
        return b ? "yes" : "no";
    }

    /** Unknown (not yet published) is a dash, not a no. */
    private static String yesNo(Optional<Boolean> b) {
        return b.map(StatusTable::yesNo).orElse("-");
    }
}
