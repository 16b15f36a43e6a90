package dev.mgmt.cluster.internal.atomix;

import static org.assertj.core.api.Assertions.assertThat;

import io.atomix.utils.net.Address;
import org.junit.jupiter.api.Test;

/** A member's address as {@code {{ hosts }}}, {@code mgmt cluster status} and messages show it. */
class MembershipAddressTest {

    @Test
    void anIpv6HostIsInBracketsSoThePortIsNotReadAsPartOfIt() {
        assertThat(Membership.hostPort(Address.from("::1", 7946))).isEqualTo("[::1]:7946");
        assertThat(Membership.hostPort(Address.from("fe80::1", 7947))).isEqualTo("[fe80::1]:7947");
        assertThat(Membership.hostPort(Address.from("127.0.0.1", 7946))).isEqualTo("127.0.0.1:7946");
        assertThat(Membership.hostPort(Address.from("node1.example", 1))).isEqualTo("node1.example:1");
        assertThat(Membership.hostPort(Address.from("fe80::1%eth0", 7946))).isEqualTo("[fe80::1%eth0]:7946");
        assertThat(Membership.hostPort(Address.from("[::1]", 7946))).isEqualTo("[::1]:7946");
    }
}
