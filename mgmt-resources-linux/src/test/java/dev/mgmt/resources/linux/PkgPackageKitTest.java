package dev.mgmt.resources.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mgmt.api.EngineEvent;
import dev.mgmt.api.Graph;
import dev.mgmt.api.Resource;
import dev.mgmt.api.ResourceId;
import dev.mgmt.engine.Engine;
import dev.mgmt.resources.linux.internal.PackageKitBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * pkg with the PackageKit backend against a real {@code packagekitd} (apt backend) on a
 * private system bus, with {@code polkitd}, started by the test. PackageKit installs from apt's
 * sources, so the tiny {@code mgmt-test-pk*} packages are published in a local repository that
 * apt sees while the test runs ({@link LocalRepo}: an entry in
 * {@code /etc/apt/sources.list.d/}, removed afterwards). Every test package is purged at the
 * end; the daemons are stopped and their directory removed, even on failure. Skipped unless
 * root with dpkg, apt, dbus-daemon, polkitd and packagekitd.
 */
class PkgPackageKitTest {

    private static final Duration HANG = Duration.ofSeconds(90);
    private static final List<String> NAMES = List.of("mgmt-test-pk1", "mgmt-test-pk2", "mgmt-test-pk3",
            "mgmt-test-pk4", "mgmt-test-pk5");

    private static Path dir;
    private static LocalRepo repo;
    private static PackageKitDaemons daemons;
    private static PkgBackend pk;

    private final BlockingQueue<EngineEvent> events = new LinkedBlockingQueue<>();

    @BeforeAll
    static void startPackageKit() throws IOException {
        String missing = PackageKitDaemons.missing();
        assumeTrue(missing == null, () -> "skipped: " + missing);
        Debs.purgeAll();
        dir = Files.createTempDirectory("mgmt-pkg-repo-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<Path> debs = new ArrayList<>();
        for (String n : NAMES) {
            debs.add(Debs.build(dir, n));
        }
        debs.add(Debs.build(dir, "mgmt-test-pk6", "1.0", java.util.Map.of()));
        debs.add(Debs.build(dir, "mgmt-test-pk6", "2.0", java.util.Map.of()));
        try {
            repo = LocalRepo.publish(dir, debs);
            daemons = PackageKitDaemons.start(repo.sources());
        } catch (IllegalStateException e) {
            stopAll();
            assumeTrue(false, "skipped: PackageKit did not come up: " + e.getMessage());
        }
        pk = PkgBackend.packageKit(daemons.address());
    }

    @AfterAll
    static void stopAll() throws IOException {
        try {
            if (pk != null) {
                pk.close();
            }
        } finally {
            try {
                if (daemons != null) {
                    daemons.close();
                }
            } finally {
                if (repo != null) {
                    repo.close();
                }
                Debs.purgeAll();
                if (dir != null) {
                    try (Stream<Path> s = Files.walk(dir)) {
                        for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                            Files.deleteIfExists(p);
                        }
                    }
                }
                pk = null;
                daemons = null;
                repo = null;
                dir = null;
            }
        }
    }

    @AfterEach
    void purge() {
        Debs.purgeAll();
    }

    /** A package from the local repository, which PackageKit counts as unsupported. */
    private PkgResource.Builder pkg(String name) {
        return PkgResource.builder(name).backend(PkgResource.Backend.PACKAGEKIT).allowUnsupported(true).using(pk);
    }

    private Engine engine() {
        Engine e = Engine.builder().build();
        e.events().subscribe(events::add);
        return e;
    }

    private String failure(Engine e) {
        return events.stream().filter(ev -> ev instanceof EngineEvent.Failed).map(Object::toString).toList()
                + "\n" + daemons.logs();
    }

    @Test
    void autoFindsPackageKitOnTheBus() {
        assertThat(PkgBackend.packageKitPresent(daemons.address())).isTrue();
        assertThat(PkgBackend.packageKitPresent("unix:path=" + dir.resolve("no-such.sock"))).isFalse();
    }

    @Test
    void installsAndRemovesOnePackage() {
        PkgResource one = pkg("mgmt-test-pk1").build();
        long q0 = pk.queries();
        assertThat(one.check().block()).isFalse();
        assertThat(pk.queries() - q0).as("Resolve transactions for one check").isEqualTo(1);
        long t0 = pk.transactions();
        try (Engine e = engine()) {
            e.start(Graph.builder().add(one).build());
            assertThat(e.awaitConverged(HANG).isSuccess()).as(() -> failure(e)).isTrue();
        }
        assertThat(Debs.installed("mgmt-test-pk1")).isEqualTo("1.0");
        assertThat(pk.transactions() - t0).as("package-changing transactions").isEqualTo(1);
        assertThat(one.check().block()).isTrue();
        assertThat(pk.files("mgmt-test-pk1")).contains("/usr/share/mgmt-test-pk1/marker.txt");

        PkgResource gone = pkg("mgmt-test-pk1").state(PkgResource.UNINSTALLED).build();
        long t1 = pk.transactions();
        try (Engine e = engine()) {
            e.start(Graph.builder().add(gone).build());
            assertThat(e.awaitConverged(HANG).isSuccess()).as(() -> failure(e)).isTrue();
        }
        assertThat(Debs.installed("mgmt-test-pk1")).isNull();
        assertThat(pk.transactions() - t1).isEqualTo(1);
    }

    @Test
    void groupOfThreeIsOneTransaction() {
        PkgResource a = pkg("mgmt-test-pk2").build();
        PkgResource b = pkg("mgmt-test-pk3").build();
        PkgResource c = pkg("mgmt-test-pk4").build();
        Resource group = a.group(List.of(a, b, c));
        assertThat(group.name()).isEqualTo("autogroup:(mgmt-test-pk2,mgmt-test-pk3,mgmt-test-pk4)");
        long q0 = pk.queries();
        assertThat(group.check().block()).isFalse();
        assertThat(pk.queries() - q0).as("Resolve transactions for one check of three").isEqualTo(1);
        // installed through the engine's own autogroup: three resources in the graph
        long t0 = pk.transactions();
        try (Engine e = engine()) {
            e.start(Graph.builder().add(c, a, b).build());
            assertThat(e.awaitConverged(HANG).isSuccess()).as(() -> failure(e)).isTrue();
        }
        assertThat(events).anyMatch(ev -> ev instanceof EngineEvent.Applied ap && ap.id().equals(group.id()));
        assertThat(pk.transactions() - t0).as("InstallPackages transactions for a group of three").isEqualTo(1);
        for (String n : List.of("mgmt-test-pk2", "mgmt-test-pk3", "mgmt-test-pk4")) {
            assertThat(Debs.installed(n)).as(n).isEqualTo("1.0");
        }

        List<PkgResource> removals = List.of("mgmt-test-pk2", "mgmt-test-pk3", "mgmt-test-pk4").stream()
                .map(n -> pkg(n).state(PkgResource.UNINSTALLED).build()).toList();
        Resource removal = removals.get(0).group(removals);
        long t1 = pk.transactions();
        try (Engine e = engine()) {
            e.start(Graph.builder().add(removal).build());
            assertThat(e.awaitConverged(HANG).isSuccess()).as(() -> failure(e)).isTrue();
        }
        assertThat(pk.transactions() - t1).as("RemovePackages transactions for a group of three").isEqualTo(1);
        for (String n : List.of("mgmt-test-pk2", "mgmt-test-pk3", "mgmt-test-pk4")) {
            assertThat(Debs.installed(n)).as(n).isNull();
        }
    }

    @Test
    void putsItBackWhenRemovedFromOutside() throws Exception {
        PkgResource one = pkg("mgmt-test-pk5").build();
        try (Engine e = engine()) {
            e.start(Graph.builder().add(one).build());
            assertThat(e.awaitConverged(HANG).isSuccess()).as(() -> failure(e)).isTrue();
            assertThat(Debs.installed("mgmt-test-pk5")).isEqualTo("1.0");
            events.clear();
            Debs.dpkgRemove("mgmt-test-pk5");
            long removed = System.nanoTime();
            EngineEvent.Applied applied = awaitApplied(one.id());
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - removed);
            assertThat(Debs.installed("mgmt-test-pk5")).isEqualTo("1.0");
            System.out.printf("pkg reinstall latency (PackageKit backend): %d ms from the end of `dpkg -r` to"
                    + " reinstalled, of which the apply (Resolve + InstallPackages) %d ms; no polling%n", ms,
                    applied.took().toMillis());
        }
    }

    private EngineEvent.Applied awaitApplied(ResourceId id) throws InterruptedException {
        long deadline = System.nanoTime() + HANG.toNanos();
        while (System.nanoTime() < deadline) {
            EngineEvent e = events.poll(100, TimeUnit.MILLISECONDS);
            if (e instanceof EngineEvent.Applied a && a.id().equals(id)) {
                return a;
            }
            if (e instanceof EngineEvent.Failed f && f.id().equals(id)) {
                throw new AssertionError(id + " failed: " + f.message() + "\n" + daemons.logs());
            }
        }
        throw new AssertionError("no apply of " + id + " within " + HANG);
    }

    @Test
    void filesComeFromDpkgOrGetFiles() {
        PackageKitBackend backend = (PackageKitBackend) pk;
        assertThat(backend.daemonBackend()).startsWith("apt");
        // PackageKit's apt backend lists the files of installed packages only, so for one
        // that is not installed it is not even asked
        assertThat(Debs.installed("mgmt-test-pk3")).isNull();
        long q0 = pk.queries();
        assertThat(pk.files("mgmt-test-pk3")).isEmpty();
        assertThat(backend.packageKitFiles("mgmt-test-pk3")).isEmpty();
        assertThat(pk.queries() - q0).as("Resolve and GetFiles, once").isEqualTo(2);
        // for an installed one, GetFiles answers
        Debs.dpkgInstall(dir.resolve("mgmt-test-pk3_1.0_all.deb"));
        assertThat(backend.packageKitFiles("mgmt-test-pk3")).contains("/usr/share/mgmt-test-pk3/marker.txt");
        assertThat(pk.files("mgmt-test-pk3")).contains("/usr/share/mgmt-test-pk3/marker.txt");
    }

    @Test
    void newestUpdatesAnOldVersion() {
        Debs.dpkgInstall(dir.resolve("mgmt-test-pk6_1.0_all.deb"));
        PkgResource newest = pkg("mgmt-test-pk6").state(PkgResource.NEWEST).build();
        assertThat(pk.pending(List.of(newest)).block()).containsEntry("mgmt-test-pk6", "1.0 installed, 2.0 available");
        long t0 = pk.transactions();
        newest.apply().block();
        assertThat(Debs.installed("mgmt-test-pk6")).isEqualTo("2.0");
        assertThat(pk.transactions() - t0).as("UpdatePackages").isEqualTo(1);
        assertThat(newest.check().block()).isTrue();
    }

    @Test
    void installsFromASourceFile() {
        String deb = dir.resolve("mgmt-test-pk5_1.0_all.deb").toString();
        PkgResource strict = pkg("mgmt-test-pk5").source(deb).build();
        assertThatThrownBy(() -> strict.apply().block()).hasMessageContaining("InstallFiles")
                .hasMessageContaining("set allowuntrusted");
        assertThat(Debs.installed("mgmt-test-pk5")).isNull();
        PkgResource file = pkg("mgmt-test-pk5").source(deb).allowUntrusted(true).build();
        long t0 = pk.transactions();
        file.apply().block();
        assertThat(Debs.installed("mgmt-test-pk5")).isEqualTo("1.0");
        assertThat(pk.transactions() - t0).isEqualTo(1);
        assertThat(file.check().block()).isTrue();
    }

    @Test
    void unsupportedPackagesNeedAllowUnsupported() {
        PkgResource strict = PkgResource.builder("mgmt-test-pk1").backend(PkgResource.Backend.PACKAGEKIT).using(pk).build();
        assertThatThrownBy(() -> strict.apply().block()).hasMessageContaining("cannot find package mgmt-test-pk1")
                .hasMessageContaining("allowunsupported");
        assertThat(Debs.installed("mgmt-test-pk1")).isNull();
    }
}
