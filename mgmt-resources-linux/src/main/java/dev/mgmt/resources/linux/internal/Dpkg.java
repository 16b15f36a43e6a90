package dev.mgmt.resources.linux.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * dpkg's database as files: the status file to watch, and the per-package file lists that
 * {@code dpkg -L} prints, read directly and cached.
 */
final class Dpkg {

    private static final Logger log = LoggerFactory.getLogger("dev.mgmt.pkg");

    static final Path ADMIN = Path.of("/var/lib/dpkg");
    static final Path STATUS = ADMIN.resolve("status");
    static final Path INFO = ADMIN.resolve("info");

    /** Quiet time after the last change before one event goes out. */
    static final Duration DEBOUNCE = Duration.ofMillis(100);

    static final String ARMED = "armed";
    static final String CHANGED = "changed";

    private static final Map<String, Listed> LISTS = new ConcurrentHashMap<>();

    private Dpkg() {
    }

    private record Listed(Object key, List<String> files) {
    }

    /** Whether this machine has a dpkg database. */
    static boolean present() {
        return Files.isRegularFile(STATUS);
    }

    /**
     * The raw watch on the status file: {@link FileWatcher#ARMED}, then an element whenever
     * dpkg rewrites it (it writes {@code status-new} and renames it over {@code status}).
     */
    static Flux<Object> rawWatch() {
        return FileWatcher.watch(STATUS, false, List.of());
    }

    /** {@link #rawWatch()}, armed first, then debounced: one event per dpkg run. */
    static Flux<Object> watch() {
        return armedThenDebounced(List.of(rawWatch()));
    }

    /**
     * Merges watches that each emit an "armed" element first: emits {@link #ARMED} once all
     * are armed, then {@link #CHANGED} after {@link #DEBOUNCE} of quiet following any later
     * element. Elements before all are armed are dropped (the first check comes after).
     */
    static Flux<Object> armedThenDebounced(List<Flux<Object>> sources) {
        return Flux.defer(() -> {
            AtomicInteger waiting = new AtomicInteger(sources.size());
            List<Flux<Object>> marked = new ArrayList<>();
            for (Flux<Object> s : sources) {
                marked.add(s.index().map(t -> t.getT1() == 0 ? (Object) ARMED : CHANGED));
            }
            Flux<Object> events = Flux.merge(marked).handle((e, sink) -> {
                if (e == ARMED) {
                    if (waiting.decrementAndGet() == 0) {
                        sink.next(ARMED);
                    }
                } else if (waiting.get() == 0) {
                    sink.next(CHANGED);
                }
            });
            return events.publish(p -> Flux.merge(p.take(1),
                    p.skip(1).sampleTimeout(x -> Mono.delay(DEBOUNCE)).map(x -> (Object) CHANGED)));
        });
    }

    /**
     * The paths an installed package ships, as {@code dpkg -L} lists them, from
     * {@code /var/lib/dpkg/info/<name>.list} (or {@code <name>:<arch>.list}); empty when the
     * package is not installed. Cached until the list file changes.
     */
    static Optional<List<String>> installedFiles(String name) {
        try {
            Path list = listFile(name);
            if (list == null) {
                return Optional.empty();
            }
            BasicFileAttributes a = Files.readAttributes(list, BasicFileAttributes.class);
            Object key = List.of(list.toString(), a.lastModifiedTime(), a.size());
            Listed cached = LISTS.get(name);
            if (cached != null && cached.key.equals(key)) {
                return Optional.of(cached.files);
            }
            List<String> files = new ArrayList<>();
            for (String line : Files.readAllLines(list, StandardCharsets.UTF_8)) {
                if (line.startsWith("/") && !line.equals("/.")) {
                    files.add(line);
                }
            }
            List<String> out = List.copyOf(files);
            LISTS.put(name, new Listed(key, out));
            return Optional.of(out);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            log.debug("pkg[{}]: cannot read its file list: {}", name, e.toString());
            return Optional.empty();
        }
    }

    private static Path listFile(String name) throws IOException {
        if (name.isEmpty() || name.contains("/") || name.startsWith(".")) {
            return null;
        }
        Path plain = INFO.resolve(name + ".list");
        if (Files.isRegularFile(plain)) {
            return plain;
        }
        if (name.indexOf(':') >= 0 || !Files.isDirectory(INFO)) {
            return null;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(INFO, globEscape(name) + ":*.list")) {
            for (Path p : ds) {
                return p;
            }
        }
        return null;
    }

    private static String globEscape(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            if ("*?[]{}\\".indexOf(c) >= 0) {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }
}
