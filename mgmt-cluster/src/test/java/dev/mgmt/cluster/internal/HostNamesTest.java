package dev.mgmt.cluster.internal;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mgmt.cluster.ClusterException;
import dev.mgmt.cluster.ClusterNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class HostNamesTest {

    private static final ClusterNode B = ClusterNode.builder().hostname("b").listen("127.0.0.1:7001").build();
    private static final Store.MemberInfo SELF = new Store.MemberInfo("b@2", "b", "127.0.0.1:7001", true, true);

    @Test
    void aLiveNamesakeElsewhereIsRefused() {
        Store.MemberInfo other = new Store.MemberInfo("b@1", "b", "127.0.0.1:7002", true, true);
        assertThatThrownBy(() -> HostNames.refuseDuplicate(B, "b@2", List.of(other, SELF)))
                .isInstanceOf(ClusterException.class)
                .hasMessage("cannot join: the host name 'b' is in use by a live member at 127.0.0.1:7002 ('b@1'); "
                        + "every host needs its own --hostname (stop the other one first, or wait until the cluster "
                        + "has declared it dead)");
    }

    /** This process holds the address, so the namesake there is this host's stopped incarnation. */
    @Test
    void aNamesakeAtThisHostsOwnAddressIsItsPreviousIncarnation() {
        Store.MemberInfo previous = new Store.MemberInfo("b@1", "b", "127.0.0.1:7001", true, true);
        assertThatCode(() -> HostNames.refuseDuplicate(B, "b@2", List.of(previous, SELF))).doesNotThrowAnyException();
    }

    @Test
    void aDeadNamesakeOrAnotherNameIsNoConflict() {
        Store.MemberInfo dead = new Store.MemberInfo("b@1", "b", "127.0.0.1:7002", false, true);
        Store.MemberInfo c = new Store.MemberInfo("c@1", "c", "127.0.0.1:7003", true, true);
        assertThatCode(() -> HostNames.refuseDuplicate(B, "b@2", List.of(dead, c, SELF))).doesNotThrowAnyException();
    }
}
