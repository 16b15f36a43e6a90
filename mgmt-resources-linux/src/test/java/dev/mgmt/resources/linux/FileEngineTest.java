package dev.mgmt.resources.linux;

import static dev.mgmt.resources.linux.Probe.HANG;
import static dev.mgmt.resources.linux.Probe.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.api.EngineEvent;
import dev.mgmt.api.Graph;
import dev.mgmt.api.ResourceId;
import dev.mgmt.engine.Engine;
import dev.mgmt.engine.VertexState;
import dev.mgmt.resources.linux.internal.FileWatcher;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file resource run by a real engine: convergence, drift repair, missing parents, event storms. */
class FileEngineTest {

    @TempDir
    Path tmp;

    @AfterEach
    void nothingLeaks() {
        eventually("inotify reader stopped", () -> FileWatcher.readerThreads() == 0);
        eventually("inotify fds closed", () -> Probe.inotifyFds() == 0);
    }

    private static Engine start(FileResource... files) {
        Engine e = Engine.builder().build();
        e.start(Graph.builder().add(files).build());
        return e;
    }

    @Test
    void convergesAndReportsWhatChanged() throws IOException {
        Path f = tmp.resolve("f");
        Path d = tmp.resolve("d");
        Path gone = Files.writeString(tmp.resolve("gone"), "x");
        FileResource file = FileResource.builder("f").path(f.toString()).content("hello\n").mode("0640").build();
        FileResource dir = FileResource.builder("d").path(d + "/").mode("0700").build();
        FileResource absent = FileResource.absent(gone.toString());
        List<String> outputs = new CopyOnWriteArrayList<>();
        try (Engine e = Engine.builder().build()) {
            e.events().ofType(EngineEvent.Output.class).subscribe(o -> outputs.add(o.id() + ": " + o.text()));
            e.start(Graph.builder().add(file, dir, absent).build());
            e.awaitConverged(HANG).orThrow();
            assertThat(Files.readString(f)).isEqualTo("hello\n");
            assertThat(Probe.mode(f)).isEqualTo(0640);
            assertThat(d).isDirectory();
            assertThat(Probe.mode(d)).isEqualTo(0700);
            assertThat(gone).doesNotExist();
            assertThat(outputs).containsExactlyInAnyOrder("file[f]: created, mode 0640", "file[d]: created, mode 0700",
                    "file[" + gone + "]: removed");
        }
    }

    @Test
    void driftIsRepairedPromptly() throws IOException {
        Path f = tmp.resolve("managed");
        Path unwanted = tmp.resolve("unwanted");
        FileResource file = FileResource.builder("m").path(f.toString()).content("desired\n").mode("0644").build();
        FileResource absent = FileResource.absent(unwanted.toString());
        try (Engine e = start(file, absent)) {
            e.awaitConverged(HANG).orThrow();
            assertThat(Probe.read(f)).isEqualTo("desired\n");

            Files.delete(f);
            eventually("deleted file restored", () -> "desired\n".equals(Probe.read(f)));

            Files.writeString(f, "tampered\n");
            eventually("overwritten file restored", () -> "desired\n".equals(Probe.read(f)));

            Files.writeString(f, "desired\nand more\n", StandardOpenOption.APPEND);
            eventually("appended file restored", () -> "desired\n".equals(Probe.read(f)));

            Files.setAttribute(f, "unix:mode", 0777);
            eventually("mode restored", () -> Probe.mode(f) == 0644);

            Files.writeString(unwanted, "someone made me");
            eventually("unwanted file removed", () -> !Files.exists(unwanted));

            Files.createDirectory(unwanted);
            eventually("unwanted empty directory removed", () -> !Files.exists(unwanted));
            assertThat(e.awaitConverged(HANG).isSuccess()).isTrue();
        }
    }

    @Test
    void aMissingParentIsWaitedForAndTheFileCreatedWhenItAppears() throws IOException {
        Path f = tmp.resolve("later/deeper/f");
        FileResource file = FileResource.file(f.toString(), "arrived\n");
        try (Engine e = start(file)) {
            e.awaitConverged(HANG);
            assertThat(e.state(file.id())).isEqualTo(VertexState.FAILED);
            assertThat(f).doesNotExist();
            Files.createDirectories(f.getParent());
            eventually("file created once its parent exists", () -> "arrived\n".equals(Probe.read(f)));
            eventually("vertex clean", () -> e.state(file.id()) == VertexState.CLEAN);
        }
    }

    @Test
    void theWatchRearmsAfterTheParentIsDeletedAndRecreated() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("parent"));
        Path f = dir.resolve("f");
        FileResource file = FileResource.file(f.toString(), "kept\n");
        try (Engine e = start(file)) {
            e.awaitConverged(HANG).orThrow();
            for (int round = 0; round < 4; round++) {
                if (round % 2 == 0) {
                    Files.move(dir, tmp.resolve("moved-away-" + round)); // the parent's MOVE_SELF
                } else {
                    removeTree(dir); // DELETE_SELF, IGNORED
                }
                eventually("vertex failed without its parent", () -> e.state(file.id()) == VertexState.FAILED);
                Files.createDirectory(dir);
                eventually("file restored in the recreated parent", () -> "kept\n".equals(Probe.read(f)));
                Files.writeString(f, "drift\n");
                eventually("drift in the recreated parent repaired", () -> "kept\n".equals(Probe.read(f)));
            }
        }
    }

    /** rm -r, again while the engine keeps putting the file back. */
    private static void removeTree(Path dir) throws IOException {
        eventually("removed " + dir, () -> {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.deleteIfExists(p);
                }
                Files.delete(dir);
                return true;
            } catch (IOException ex) {
                return false;
            }
        });
    }

    @Test
    void aManagedDirectoryIsRecreatedAndItsModeRepaired() throws IOException {
        Path d = tmp.resolve("dir");
        FileResource dir = FileResource.builder("d").path(d + "/").mode("0750").build();
        try (Engine e = start(dir)) {
            e.awaitConverged(HANG).orThrow();
            Files.setAttribute(d, "unix:mode", 0777);
            eventually("mode repaired", () -> Probe.mode(d) == 0750);
            Files.delete(d);
            eventually("directory recreated", () -> Files.isDirectory(d) && Probe.mode(d) == 0750);
        }
    }

    @Test
    void anEventStormCostsFewRunsAndNoHeap() throws Exception {
        Path f = tmp.resolve("stormy");
        String desired = "the one true content\n";
        FileResource file = FileResource.file(f.toString(), desired);
        ResourceId id = file.id();
        AtomicInteger checks = new AtomicInteger();
        AtomicInteger applies = new AtomicInteger();
        int writes = 10_000;
        try (Engine e = Engine.builder().build()) {
            e.events().subscribe(ev -> {
                if (ev instanceof EngineEvent.Checked c && c.id().equals(id)) {
                    checks.incrementAndGet();
                } else if (ev instanceof EngineEvent.Applied a && a.id().equals(id)) {
                    applies.incrementAndGet();
                }
            });
            e.start(Graph.builder().add(file).build());
            e.awaitConverged(HANG).orThrow();
            long heapBefore = usedHeapAfterGc();
            int checksBefore = checks.get();

            ByteBuffer[] bodies = new ByteBuffer[16];
            for (int i = 0; i < bodies.length; i++) {
                bodies[i] = ByteBuffer.wrap(("outside write " + i + "\n").getBytes(StandardCharsets.UTF_8));
            }
            long t0 = System.nanoTime();
            for (int i = 0; i < writes; i++) {
                // open, write in place, close: one CLOSE_WRITE each. No O_TRUNC: on ext4 a truncate
                // flushes on close (auto_da_alloc), which would turn the burst into a trickle.
                try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE, StandardOpenOption.CREATE)) {
                    ch.write(bodies[i % bodies.length].duplicate(), 0);
                } catch (IOException ex) {
                    // the engine renamed a fresh file in between: write again
                }
            }
            System.out.printf("event storm: %d writes took %d ms%n", writes, (System.nanoTime() - t0) / 1_000_000);
            eventually("content restored after the storm", () -> desired.equals(Probe.read(f)));
            e.awaitConverged(HANG).orThrow();
            assertThat(Probe.read(f)).isEqualTo(desired);
            int runs = checks.get() - checksBefore;
            System.out.printf("event storm: %d outside writes -> %d checks, %d applies%n", writes, runs, applies.get());
            assertThat(runs).as("checks for %d writes", writes).isLessThan(writes / 10);
            assertThat(applies.get()).isLessThanOrEqualTo(runs + 1);

            long heapAfter = usedHeapAfterGc();
            System.out.printf("event storm: used heap after GC %d KiB before, %d KiB after%n",
                    heapBefore / 1024, heapAfter / 1024);
            assertThat(heapAfter - heapBefore).as("heap growth in bytes").isLessThan(32L * 1024 * 1024);
        }
    }

    @Test
    void closingTheEngineStopsTheReaderAndClosesTheDescriptors() throws IOException {
        long eventFdsBefore = Probe.eventFds();
        FileResource[] files = new FileResource[200];
        for (int i = 0; i < files.length; i++) {
            files[i] = FileResource.file(tmp.resolve("d" + (i % 7)).resolve("f" + i).toString(), "n" + i)
                    .toBuilder().recurse(true).build();
        }
        try (Engine e = start(files)) {
            e.awaitConverged(HANG).orThrow();
            assertThat(FileWatcher.readerThreads()).as("one reader for all 200 files").isEqualTo(1);
            assertThat(Probe.inotifyFds()).as("one inotify fd for all 200 files").isEqualTo(1);
            Files.writeString(tmp.resolve("d3/f3"), "drift");
            eventually("drift repaired", () -> "n3".equals(Probe.read(tmp.resolve("d3/f3"))));
        }
        eventually("reader gone after close", () -> FileWatcher.readerThreads() == 0);
        eventually("fds closed after close", () -> Probe.inotifyFds() == 0 && Probe.eventFds() == eventFdsBefore);
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
