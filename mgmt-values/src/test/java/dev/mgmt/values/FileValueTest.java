package dev.mgmt.values;

import static dev.mgmt.values.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.values.internal.DirectoryWatcher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;
import reactor.core.scheduler.Schedulers;

/** A file's content as a live value, against real files. */
class FileValueTest {

    // Long, so these tests show the directory watch at work, not the safety poll.
    private static final Duration SLOW_POLL = Duration.ofHours(1);

    @TempDir
    Path tmp;

    private final List<Optional<String>> seen = new CopyOnWriteArrayList<>();
    private final AtomicReference<Throwable> failed = new AtomicReference<>();
    private Disposable subscription;

    private void follow(Path file, Duration poll) {
        subscription = Values.file(file, poll, Schedulers.parallel()).subscribe(seen::add, failed::set);
    }

    private void sees(Optional<String> content) {
        eventually("last value " + content + ", seen " + seen,
                () -> !seen.isEmpty() && seen.get(seen.size() - 1).equals(content));
    }

    // An in-place write truncates first: a read in between may see it empty, which is right.
    private List<Optional<String>> settled() {
        return seen.stream().filter(v -> !v.equals(Optional.of(""))).toList();
    }

    @AfterEach
    void stop() {
        if (subscription != null) {
            subscription.dispose();
        }
        eventually("the watch thread stopped", () -> !DirectoryWatcher.shared().running());
    }

    @Test
    void writeRenameOverDeleteAndRecreateAreEachSeen() throws Exception {
        Path f = tmp.resolve("app.conf");
        follow(f, SLOW_POLL);
        sees(Optional.empty());

        Files.writeString(f, "one");
        sees(Optional.of("one"));

        Files.writeString(f, "two");
        sees(Optional.of("two"));

        Path next = Files.writeString(tmp.resolve(".app.conf.tmp"), "three");
        Files.move(next, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        sees(Optional.of("three"));

        Files.delete(f);
        sees(Optional.empty());

        Files.writeString(f, "four");
        sees(Optional.of("four"));

        assertThat(settled()).containsExactly(Optional.empty(), Optional.of("one"), Optional.of("two"),
                Optional.of("three"), Optional.empty(), Optional.of("four"));
        assertThat(failed.get()).isNull();
    }

    @Test
    void otherFilesInTheDirectoryCauseNoValue() throws Exception {
        Path f = Files.writeString(tmp.resolve("a"), "x");
        follow(f, SLOW_POLL);
        sees(Optional.of("x"));
        Files.writeString(tmp.resolve("b"), "y");
        Files.writeString(f, "z");
        sees(Optional.of("z"));
        assertThat(settled()).containsExactly(Optional.of("x"), Optional.of("z"));
    }

    @Test
    void aFileInADirectoryThatAppearsLaterIsFoundByThePoll() throws Exception {
        Path dir = tmp.resolve("later");
        Path f = dir.resolve("f");
        follow(f, Duration.ofMillis(50));
        sees(Optional.empty());
        Files.createDirectory(dir);
        Files.writeString(f, "here");
        sees(Optional.of("here"));
        // Once found, the directory is watched: a change is seen whatever the poll.
        Files.writeString(f, "again");
        sees(Optional.of("again"));
    }

    @Test
    void aFileThatIsNotUtf8IsAnErrorNamingThePath() throws Exception {
        Path f = Files.write(tmp.resolve("bin"), new byte[] {'o', 'k', (byte) 0xff, 0});
        follow(f, SLOW_POLL);
        eventually("an error", () -> failed.get() != null);
        assertThat(failed.get()).isInstanceOf(ValueException.class)
                .hasMessage("file '" + f + "' is not UTF-8 text (byte 2 of 4)");
        assertThat(seen).isEmpty();
    }

    @Test
    void eachSubscriberHasItsOwnWatchAndTheLastOneStopsTheThread() throws Exception {
        Path f = Files.writeString(tmp.resolve("shared"), "1");
        List<Optional<String>> other = new CopyOnWriteArrayList<>();
        Disposable second = Values.file(f).subscribe(other::add);
        try {
            follow(f, SLOW_POLL);
            sees(Optional.of("1"));
            Files.writeString(f, "2");
            sees(Optional.of("2"));
            eventually("the second subscriber sees 2", () -> other.contains(Optional.of("2")));
        } finally {
            second.dispose();
        }
        assertThat(DirectoryWatcher.shared().running()).isTrue();
    }
}
