package dev.mgmt.cluster.internal.atomix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mgmt.cluster.ClusterException;
import io.atomix.protocols.raft.impl.DefaultRaftServer;
import io.atomix.protocols.raft.impl.RaftContext;
import org.junit.jupiter.api.Test;

class AtomixInternalsTest {

    @Test
    void everyInternalWeReachIsInTheAtomixOnTheClassPath() {
        AtomixInternals.check();
        assertThat(AtomixInternals.foundVersion()).isEqualTo("version " + AtomixInternals.VERSION);
    }

    @Test
    void aMissingFieldIsNamedWithTheReleaseWeNeed() {
        assertThatThrownBy(() -> AtomixInternals.field(DefaultRaftServer.class, "contxt", RaftContext.class))
                .isInstanceOf(ClusterException.class)
                .hasMessage("mgmt-cluster needs Atomix 3.1.12, but in the Atomix on the class path (version 3.1.12) "
                        + "io.atomix.protocols.raft.impl.DefaultRaftServer has no field contxt");
    }

    @Test
    void aFieldOfAnotherTypeIsNamedWithBothTypes() {
        assertThatThrownBy(() -> AtomixInternals.field(DefaultRaftServer.class, "context", String.class))
                .isInstanceOf(ClusterException.class)
                .hasMessageContaining("DefaultRaftServer.context is a io.atomix.protocols.raft.impl.RaftContext, "
                        + "not a java.lang.String");
    }

    @Test
    void missingClassesMethodsAndConstructorsAreNamedToo() {
        assertThatThrownBy(() -> AtomixInternals.type("io.atomix.protocols.raft.roles.LeaderAppendr"))
                .hasMessageContaining("there is no class io.atomix.protocols.raft.roles.LeaderAppendr");
        assertThatThrownBy(() -> AtomixInternals.method(RaftContext.class, "setElectionTimeout", long.class))
                .hasMessageContaining("RaftContext has no public method setElectionTimeout(long)");
        assertThatThrownBy(() -> AtomixInternals.constructor(RaftContext.class))
                .hasMessageContaining("RaftContext has no public constructor RaftContext()");
    }
}
