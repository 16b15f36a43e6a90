package dev.mgmt.resources.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mgmt.api.EngineEvent;
import dev.mgmt.api.Graph;
import dev.mgmt.api.Meta;
import dev.mgmt.api.Resource;
import dev.mgmt.api.ResourceId;
import dev.mgmt.api.Uid;
import dev.mgmt.api.codec.ResourceCodec;
import dev.mgmt.api.yaml.YamlGraph;
import dev.mgmt.engine.Engine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * pkg with the apt/dpkg backend against this machine's real dpkg, through a real engine.
 * Every package here is a tiny {@code mgmt-test-*} .deb built by the test and installed from
 * its file ({@code source}), so nothing needs the network; all are purged afterwards. Skipped
 * unless root on a Debian-like system.
 */
class PkgAptTest {

    private static final Duration HANG = Duration.ofSeconds(60);
    private static Path dir;
    private static Map<String, Path> debs;

    private final PkgBackend apt = PkgBackend.apt();
    private final BlockingQueue<EngineEvent> events = new LinkedBlockingQueue<>();

    @BeforeAll
    static void buildDebs() throws IOException {
        String missing = Debs.missing();
        assumeTrue(missing == null, () -> "skipped: " + missing);
        Debs.purgeAll();
        dir = Files.createTempDirectory("mgmt-pkg-apt-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        debs = new java.util.HashMap<>();
        for (String n : List.of("mgmt-test-a", "mgmt-test-b", "mgmt-test-c", "mgmt-test-d")) {
            debs.put(n, Debs.build(dir, n));
        }
        debs.put("mgmt-test-v2", Debs.build(dir, "mgmt-test-v", "2.0", Map.of()));
        debs.put("mgmt-test-v1", Debs.build(dir, "mgmt-test-v", "1.0", Map.of()));
        debs.put("mgmt-test-slow", Debs.build(dir, "mgmt-test-slow", "1.0", Map.of("preinst", "#!/bin/sh\nsleep 2\n")));
        debs.put("mgmt-test-svc", Debs.build(dir, "mgmt-test-svc", "1.0",
                Map.of("/usr/lib/systemd/system/mgmt-test-svc.service", "[Service]\nExecStart=/bin/true\n",
                        "/etc/mgmt-test-svc/svc.conf", "x=1\n")));
    }

    @AfterAll
    static void cleanUp() throws IOException {
        if (dir == null) {
            return;
        }
        Debs.purgeAll();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @AfterEach
    void purge() {
        Debs.purgeAll();
    }

    private PkgResource.Builder pkg(String name) {
        return PkgResource.builder(name).source(debs.get(name).toString()).backend(PkgResource.Backend.APT);
    }

    private Engine engine() {
        Engine e = Engine.builder().build();
        e.events().subscribe(events::add);
        return e;
    }

    /** An Applied event and when it arrived (System.nanoTime()). */
    record Seen(EngineEvent.Applied event, long at) {
    }

    /** Waits for the next Applied event of {@code id}. */
    private Seen awaitApplied(ResourceId id) throws InterruptedException {
        long deadline = System.nanoTime() + HANG.toNanos();
        while (System.nanoTime() < deadline) {
            EngineEvent e = events.poll(100, TimeUnit.MILLISECONDS);
            if (e instanceof EngineEvent.Applied a && a.id().equals(id)) {
                return new Seen(a, System.nanoTime());
            }
            if (e instanceof EngineEvent.Failed f && f.id().equals(id)) {
                throw new AssertionError(id + " failed: " + f.message());
            }
        }
        throw new AssertionError("no apply of " + id + " within " + HANG);
    }

    @Test
    void installsAndPutsItBackWhenRemovedFromOutsideWithoutPolling() throws Exception {
        PkgResource a = pkg("mgmt-test-a").build();
        assertThat(a.meta().poll()).isZero();
        assertThat(a.check().block()).isFalse();
        try (Engine e = engine()) {
            e.start(Graph.builder().add(a).build());
            e.awaitConverged(HANG).orThrow();
            assertThat(Debs.installed("mgmt-test-a")).isEqualTo("1.0");
            List<Long> latencies = new ArrayList<>();
            for (int round = 1; round <= 3; round++) {
                events.clear();
                long t0 = System.nanoTime();
                Debs.dpkgRemove("mgmt-test-a");
                long removed = System.nanoTime();
                Seen applied = awaitApplied(a.id());
                assertThat(Debs.installed("mgmt-test-a")).isEqualTo("1.0");
                long ms = TimeUnit.NANOSECONDS.toMillis(applied.at() - removed);
                latencies.add(ms);
                System.out.printf("pkg reinstall latency (apt backend), round %d: %d ms from the end of `dpkg -r`"
                        + " (which took %d ms) to reinstalled, of which the apply (apt-get install) %d ms;"
                        + " no polling%n", round, ms, TimeUnit.NANOSECONDS.toMillis(removed - t0),
                        applied.event().took().toMillis());
                e.awaitConverged(HANG).orThrow();
            }
            System.out.println("pkg reinstall latency (apt backend): " + latencies + " ms");
        }
        assertThat(Debs.installed("mgmt-test-a")).isEqualTo("1.0");
    }

    @Test
    void uninstalledRemovesItAndKeepsItRemoved() throws Exception {
        Debs.dpkgInstall(debs.get("mgmt-test-b"));
        PkgResource b = PkgResource.builder("mgmt-test-b").state(PkgResource.UNINSTALLED)
                .backend(PkgResource.Backend.APT).build();
        long before = apt.transactions();
        try (Engine e = engine()) {
            e.start(Graph.builder().add(b).build());
            e.awaitConverged(HANG).orThrow();
            assertThat(Debs.installed("mgmt-test-b")).isNull();
            assertThat(apt.transactions() - before).isEqualTo(1);
            events.clear();
            Debs.dpkgInstall(debs.get("mgmt-test-b"));
            awaitApplied(b.id());
            e.awaitConverged(HANG).orThrow();
            assertThat(Debs.installed("mgmt-test-b")).isNull();
        }
    }

    @Test
    void itsReversalRemovesThePackageItInstalled() {
        PkgResource a = pkg("mgmt-test-a").meta(Meta.builder().reverse(true).build()).build();
        assertThat(a.validate()).isEmpty();
        assertThat(a.check().block()).isFalse();
        a.apply().block(HANG);
        assertThat(Debs.installed("mgmt-test-a")).isEqualTo("1.0");

        // as the engine gets a pending reversal back from disk
        ResourceCodec codec = ResourceCodec.standard();
        PkgResource undo = (PkgResource) codec.fromJson("pkg", codec.toJson(a.reversed()));
        assertThat(undo).isEqualTo(PkgResource.builder("mgmt-test-a").state(PkgResource.UNINSTALLED)
                .backend(PkgResource.Backend.APT).build());
        long t0 = apt.transactions();
        assertThat(undo.check().block()).isFalse();
        undo.apply().block(HANG);
        assertThat(Debs.installed("mgmt-test-a")).isNull();
        assertThat(undo.check().block()).isTrue();
        assertThat(apt.transactions() - t0).as("one dpkg run").isEqualTo(1);
    }

    @Test
    void removalWaitsForDpkgsLock() throws Exception {
        Debs.dpkgInstall(debs.get("mgmt-test-d"));
        Process busy = new ProcessBuilder("dpkg", "-i", debs.get("mgmt-test-slow").toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            Thread.sleep(500); // dpkg holds its lock while the preinst sleeps
            long t0 = System.nanoTime();
            PkgResource.builder("mgmt-test-d").state(PkgResource.UNINSTALLED).backend(PkgResource.Backend.APT).build()
                    .apply().block();
            assertThat(Debs.installed("mgmt-test-d")).isNull();
            assertThat(busy.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).as("waited for the lock").isGreaterThan(1000);
        } finally {
            busy.destroy();
            busy.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void groupOfThreeIsOneQueryAndOneTransaction() throws Exception {
        PkgResource a = pkg("mgmt-test-a").build();
        PkgResource b = pkg("mgmt-test-b").build();
        PkgResource c = pkg("mgmt-test-c").build();
        Resource group = c.group(List.of(c, a, b));
        assertThat(group.id().toString()).isEqualTo("pkg[autogroup:(mgmt-test-a,mgmt-test-b,mgmt-test-c)]");

        long q0 = apt.queries();
        assertThat(group.check().block()).isFalse();
        assertThat(apt.queries() - q0).as("dpkg-query calls for one check of three").isEqualTo(1);

        long t0 = apt.transactions();
        try (Engine e = engine()) {
            e.start(Graph.builder().add(group).build());
            e.awaitConverged(HANG).orThrow();
        }
        assertThat(apt.transactions() - t0).as("apt-get runs for a group of three").isEqualTo(1);
        for (String n : List.of("mgmt-test-a", "mgmt-test-b", "mgmt-test-c")) {
            assertThat(Debs.installed(n)).as(n).isEqualTo("1.0");
        }
        assertThat(events.stream().filter(ev -> ev instanceof EngineEvent.Output o && o.id().equals(group.id()))
                .map(ev -> ((EngineEvent.Output) ev).text()))
                .anySatisfy(t -> assertThat(t).contains("mgmt-test-a: not installed").contains("mgmt-test-c: not installed"))
                .anySatisfy(t -> assertThat(t).startsWith("apt-get install mgmt-test-a mgmt-test-b mgmt-test-c: exit 0"));

        // and removing all three is one dpkg run as well
        PkgResource ra = PkgResource.builder("mgmt-test-a").state(PkgResource.UNINSTALLED).backend(PkgResource.Backend.APT).build();
        PkgResource rb = ra.toBuilder().build();
        Resource removal = ra.group(List.of(ra, PkgResource.builder("mgmt-test-b").state(PkgResource.UNINSTALLED)
                .backend(PkgResource.Backend.APT).build(), PkgResource.builder("mgmt-test-c").state(PkgResource.UNINSTALLED)
                .backend(PkgResource.Backend.APT).build()));
        assertThat(rb).isEqualTo(ra);
        long t1 = apt.transactions();
        try (Engine e = engine()) {
            e.start(Graph.builder().add(removal).build());
            e.awaitConverged(HANG).orThrow();
        }
        assertThat(apt.transactions() - t1).isEqualTo(1);
        for (String n : List.of("mgmt-test-a", "mgmt-test-b", "mgmt-test-c")) {
            assertThat(Debs.installed(n)).as(n).isNull();
        }
    }

    @Test
    void theEngineGroupsThreePackagesIntoOneTransaction() throws Exception {
        Graph graph = Graph.builder().add(pkg("mgmt-test-a").build(), pkg("mgmt-test-b").build(),
                pkg("mgmt-test-c").build()).build();
        ResourceId groupId = new ResourceId("pkg", "autogroup:(mgmt-test-a,mgmt-test-b,mgmt-test-c)");
        assertThat(Engine.builder().compile(graph).resources()).extracting(Resource::id).containsExactly(groupId);
        long t0 = apt.transactions();
        long q0 = apt.queries();
        try (Engine e = engine()) {
            e.start(graph);
            e.awaitConverged(HANG).orThrow();
        }
        assertThat(apt.transactions() - t0).as("apt-get runs for three packages in a graph").isEqualTo(1);
        assertThat(apt.queries() - q0).as("dpkg-query runs").isBetween(1L, 3L);
        assertThat(events).anyMatch(ev -> ev instanceof EngineEvent.Applied a && a.id().equals(groupId));
        for (String n : List.of("mgmt-test-a", "mgmt-test-b", "mgmt-test-c")) {
            assertThat(Debs.installed(n)).as(n).isEqualTo("1.0");
        }
    }

    @Test
    void newestUpgradesAndAVersionDowngrades() throws Exception {
        Debs.dpkgInstall(debs.get("mgmt-test-v1"));
        PkgResource newest = PkgResource.builder("mgmt-test-v").state(PkgResource.NEWEST)
                .source(debs.get("mgmt-test-v2").toString()).backend(PkgResource.Backend.APT).build();
        assertThat(apt.pending(List.of(newest)).block()).containsEntry("mgmt-test-v", "1.0 installed, 2.0 available");
        newest.apply().block();
        assertThat(Debs.installed("mgmt-test-v")).isEqualTo("2.0");
        assertThat(newest.check().block()).isTrue();

        PkgResource pinned = PkgResource.builder("mgmt-test-v").state("1.0").source(debs.get("mgmt-test-v1").toString())
                .backend(PkgResource.Backend.APT).build();
        assertThat(apt.pending(List.of(pinned)).block()).containsEntry("mgmt-test-v", "2.0 installed, 1.0 wanted");
        assertThatThrownBy(() -> pinned.apply().block()).hasMessageContaining("apt-get install");
        PkgResource downgrade = pinned.toBuilder().allowDowngrade(true).build();
        downgrade.apply().block();
        assertThat(Debs.installed("mgmt-test-v")).isEqualTo("1.0");
        assertThat(downgrade.check().block()).isTrue();
    }

    @Test
    void anInstalledPackageProvidesItsFilesAndUnits() {
        PkgResource svc = PkgResource.builder("mgmt-test-svc").backend(PkgResource.Backend.APT).build();
        assertThat(svc.provides()).containsExactly(Uid.of("pkg", "mgmt-test-svc"));
        Debs.dpkgInstall(debs.get("mgmt-test-svc"));
        assertThat(svc.provides()).contains(Uid.of("pkg", "mgmt-test-svc"),
                Uid.of("shipped-file", "/usr/share/mgmt-test-svc/marker.txt"),
                Uid.of("shipped-file", "/usr/share/mgmt-test-svc/"),
                Uid.of("shipped-file", "/etc/mgmt-test-svc/svc.conf"),
                Uid.of("shipped-file", "/usr/lib/systemd/system/mgmt-test-svc.service"),
                Uid.of("svc", "mgmt-test-svc"));
        // a file resource at a shipped path gets an edge from the package
        FileResource conf = FileResource.file("/etc/mgmt-test-svc/svc.conf", "x=2\n");
        // and so does the service whose unit file it ships
        SvcResource unit = SvcResource.running("mgmt-test-svc");
        assertThat(Engine.builder().compile(Graph.builder().add(conf, unit, svc).build()).edges())
                .anySatisfy(edge -> {
                    assertThat(edge.from()).isEqualTo(svc.id());
                    assertThat(edge.to()).isEqualTo(conf.id());
                })
                .anySatisfy(edge -> {
                    assertThat(edge.from()).isEqualTo(svc.id());
                    assertThat(edge.to()).isEqualTo(unit.id());
                });
    }

    @Test
    void exampleGraphChangesNothing() {
        Path example = Path.of(System.getProperty("mgmt.repo", ".."), "mgmt-examples/yaml/pkg.yaml");
        assumeTrue(Files.isRegularFile(example), "needs " + example);
        Graph g = YamlGraph.read(example, ResourceCodec.standard()).graph();
        long t0 = apt.transactions();
        try (Engine e = engine()) {
            e.start(g);
            e.awaitConverged(HANG).orThrow();
        }
        assertThat(events).noneMatch(ev -> ev instanceof EngineEvent.Applied);
        assertThat(apt.transactions()).isEqualTo(t0);
    }

    @Test
    void aMissingPackageFailsWithApt() {
        PkgResource ghost = PkgResource.builder("mgmt-test-no-such-package").backend(PkgResource.Backend.APT).build();
        assertThat(ghost.check().block()).isFalse();
        assertThatThrownBy(() -> ghost.apply().block()).hasMessageContaining("apt-get install")
                .hasMessageContaining("exit 100");
    }
}
