package dev.mgmt.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mgmt.cluster.ClusterNode;
import dev.mgmt.cluster.HostName;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The loud defaults without a cluster: names, wildcard addresses, warnings, the store watch in virtual time, store directories. */
class LoudDefaultsTest {

    @TempDir
    Path tmp;

    @Test
    void onlyPlainHostNamesAreAccepted() {
        assertThat(HostName.isPlain("web-1.example_org")).isTrue();
        for (String bad : List.of("a\nb", "a\u202eb", "a\u0000b", "a b", "a/b", "a@b", "", "é")) {
            assertThat(HostName.isPlain(bad)).as(bad).isFalse();
        }
        assertThatThrownBy(() -> ClusterNode.builder().hostname("evil\nWARN forged").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("hostname: 'evil\\nWARN forged' is not a plain host name (letters, digits, '-', '.' and '_', "
                        + "at most 253)");
        assertThatThrownBy(() -> ClusterNode.builder().hostname("a\u202eb").build()).hasMessageContaining("'a\\u202eb'");
    }

    @Test
    void aWildcardListenAddressNeedsAnAdvertisedOne() {
        for (String w : List.of("0.0.0.0:7946", "[::]:7946", "[0:0:0:0:0:0:0:0]:1")) {
            assertThat(ClusterNode.HostPort.parse(w).isWildcard()).as(w).isTrue();
            assertThatThrownBy(() -> ClusterNode.builder().hostname("a").listen(w).build())
                    .hasMessageStartingWith("listen: ").hasMessageContaining("set advertise (--advertise HOST:PORT)");
        }
        assertThat(ClusterNode.HostPort.parse("127.0.0.1:1").isWildcard()).isFalse();
        assertThat(ClusterNode.HostPort.parse("[::1]:1").isWildcard()).isFalse();
        ClusterNode node = ClusterNode.builder().hostname("a").listen("0.0.0.0:7946").advertise("10.0.0.5:7946").build();
        assertThat(node.advertise().toString()).isEqualTo("10.0.0.5:7946");
        assertThat(StartupWarnings.of(node)).anySatisfy(w -> assertThat(w)
                .startsWith("listening on 0.0.0.0:7946 binds every address of this host").contains("10.0.0.5:7946"));
        assertThatThrownBy(() -> ClusterNode.builder().hostname("a").advertise("0.0.0.0:7946").build())
                .hasMessageStartingWith("advertise: 0.0.0.0:7946 is no address other hosts can reach");
    }

    @Test
    void anUnsecuredHostSaysWhatAnyoneCanDoAndHowToSecureIt() {
        List<String> w = StartupWarnings.of(ClusterNode.builder().hostname("a").listen("127.0.0.1:7000").build());
        assertThat(w).hasSize(1);
        assertThat(w.get(0)).startsWith("this cluster is NOT SECURED: anyone who can reach 127.0.0.1:7000 can join it")
                .contains("read and change every key", "--tls-keystore", "mgmt-examples/make-certs.sh");
        assertThat(StartupWarnings.of(ClusterNode.builder().hostname("o").observer(true).server(false)
                .seeds(List.of("127.0.0.1:1")).build())).as("an observer says nothing").isEmpty();
    }

    @Test
    void badIdealSizesAreNeverClamped() {
        assertThat(ClusterSettings.parseIdealSize("3")).isEqualTo(3);
        assertThat(ClusterSettings.parseIdealSize(" 7 ")).isEqualTo(7);
        for (String bad : List.of("-5", "0", "abc", "", "99999999999")) {
            assertThat(ClusterSettings.parseIdealSize(bad)).as(bad).isEqualTo(-1);
        }
    }

    @Test
    void theStoreIsReportedLostOnceAfterTheBoundAndBackOnce() {
        MutableClock clock = new MutableClock();
        StoreWatch watch = new StoreWatch("b", Duration.ofSeconds(1), clock);
        List<String> voters = List.of("a@1 at 127.0.0.1:7000");
        assertThat(watch.observe(new StoreWatch.Look(true, voters))).isEqualTo(StoreWatch.Change.NONE);
        // a dies; membership forgets it, but the watch remembers who the voters were
        assertThat(watch.observe(new StoreWatch.Look(false, List.of()))).isEqualTo(StoreWatch.Change.NONE);
        clock.advance(Duration.ofMillis(999));
        assertThat(watch.observe(new StoreWatch.Look(false, List.of()))).isEqualTo(StoreWatch.Change.NONE);
        clock.advance(Duration.ofMillis(1));
        assertThat(watch.observe(new StoreWatch.Look(false, List.of()))).isEqualTo(StoreWatch.Change.LOST);
        assertThat(watch.lost()).isTrue();
        assertThat(watch.problem()).isEqualTo("the cluster's store is unreachable: no voter answers "
                + "(voters: a@1 at 127.0.0.1:7000); exports and collection are paused");
        for (int i = 0; i < 20; i++) {
            clock.advance(Duration.ofMillis(250));
            assertThat(watch.observe(new StoreWatch.Look(false, List.of()))).as("said once").isEqualTo(StoreWatch.Change.NONE);
        }
        assertThat(watch.observe(new StoreWatch.Look(true, voters))).isEqualTo(StoreWatch.Change.BACK);
        assertThat(watch.observe(new StoreWatch.Look(true, voters))).isEqualTo(StoreWatch.Change.NONE);
        // a blip shorter than the bound says nothing
        watch.observe(new StoreWatch.Look(false, voters));
        clock.advance(Duration.ofMillis(500));
        assertThat(watch.observe(new StoreWatch.Look(true, voters))).isEqualTo(StoreWatch.Change.NONE);
        assertThat(watch.lost()).isFalse();
    }

    @Test
    void storeDirectoriesAreOwnerOnlyAndADeadIncarnationsIsWiped() throws Exception {
        Path parent = tmp.resolve("state/cluster");
        // What a killed host leaves: a directory with the lock file, the lock no longer held.
        Path dead = Files.createDirectories(parent.resolve("a@dead0001"));
        Files.writeString(dead.resolve(StoreDirectory.LOCK), "");
        Files.writeString(dead.resolve("mgmt-1.log"), "the store in clear text");
        Path unrelated = Files.createDirectories(parent.resolve("not-a-store"));
        // A live incarnation of another process: its lock is held (here, by this JVM).
        Path live = Files.createDirectories(parent.resolve("b@live0001"));
        try (FileChannel ch = FileChannel.open(live.resolve(StoreDirectory.LOCK), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); var lock = ch.lock()) {
            try (StoreDirectory d = StoreDirectory.open(parent, "a@new00001")) {
                assertThat(dead).doesNotExist();
                assertThat(live).exists();
                assertThat(unrelated).exists();
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(parent))).isEqualTo("rwx------");
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(d.path()))).isEqualTo("rwx------");
                assertThat(StoreDirectory.wipeDead(parent)).as("its own lock is held").isEmpty();
            }
            assertThat(parent.resolve("a@new00001")).as("deleted on close").doesNotExist();
        }
    }

    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
