package dev.mgmt.resources.linux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A local apt repository of test packages that the whole machine's apt (PackageKit included)
 * sees while it exists: a flat repository ({@code Packages} written here, no network) in a
 * directory, an entry {@code deb [trusted=yes] file:<dir> ./} in
 * {@code /etc/apt/sources.list.d/}, and its index fetched with {@code apt-get update} on that one
 * source only (other sources' lists are left alone). {@link #close()} removes the entry and the
 * index files it added.
 */
final class LocalRepo implements AutoCloseable {

    static final Path SOURCES_D = Path.of("/etc/apt/sources.list.d");
    static final Path LISTS = Path.of("/var/lib/apt/lists");

    private final Path dir;
    private final Path entry;
    private final Set<Path> addedLists = new HashSet<>();
    /** Removes the entry if the JVM ends before {@link #close()} (a stale entry would break apt-get update). */
    private final Thread hook = new Thread(this::removeFiles, "LocalRepo cleanup");

    private LocalRepo(Path dir, Path entry) {
        this.dir = dir;
        this.entry = entry;
    }

    /** Publishes {@code debs} (already in {@code dir}) and makes apt see them. */
    static LocalRepo publish(Path dir, List<Path> debs) throws IOException {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        StringBuilder index = new StringBuilder();
        for (Path deb : debs) {
            if (!deb.getParent().equals(dir)) {
                throw new IllegalArgumentException(deb + " is not in " + dir);
            }
            String control = Debs.run("dpkg-deb", "-f", deb.toString()).ok().stdout().strip();
            byte[] bytes = Files.readAllBytes(deb);
            index.append(control).append('\n')
                    .append("Filename: ./").append(deb.getFileName()).append('\n')
                    .append("Size: ").append(bytes.length).append('\n')
                    .append("MD5sum: ").append(hash("MD5", bytes)).append('\n')
                    .append("SHA256: ").append(hash("SHA-256", bytes)).append("\n\n");
        }
        Files.writeString(dir.resolve("Packages"), index.toString(), StandardCharsets.UTF_8);
        removeStale();
        Path entry = SOURCES_D.resolve("mgmt-test-" + UUID.randomUUID().toString().substring(0, 8) + ".list");
        LocalRepo repo = new LocalRepo(dir, entry);
        Set<Path> before = lists();
        Runtime.getRuntime().addShutdownHook(repo.hook);
        Files.writeString(entry, "deb [trusted=yes] file:" + dir + " ./\n");
        try {
            Debs.run("apt-get", "update", "-q", "-o", "Dir::Etc::sourcelist=" + entry, "-o", "Dir::Etc::sourceparts=-",
                    "-o", "APT::Get::List-Cleanup=0").ok();
            Set<Path> after = lists();
            after.removeAll(before);
            repo.addedLists.addAll(after);
            String policy = Debs.run("apt-cache", "policy", "--", firstName(debs)).ok().stdout();
            if (!policy.contains("file:" + dir)) {
                throw new IllegalStateException("apt does not see " + dir + ": " + policy);
            }
        } catch (RuntimeException | IOException e) {
            repo.close();
            throw e;
        }
        return repo;
    }

    private static String firstName(List<Path> debs) {
        String f = debs.get(0).getFileName().toString();
        return f.substring(0, f.indexOf('_'));
    }

    private static Set<Path> lists() throws IOException {
        try (Stream<Path> s = Files.list(LISTS)) {
            return new HashSet<>(s.filter(Files::isRegularFile).toList());
        }
    }

    private static String hash(String algorithm, byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    Path dir() {
        return dir;
    }

    /** The apt sources file that names this repository alone. */
    Path sources() {
        return entry;
    }

    /**
     * Removes entries an earlier run left behind (its JVM killed) whose repository directory
     * is gone: apt-get update fails on them.
     */
    private static void removeStale() throws IOException {
        try (Stream<Path> s = Files.list(SOURCES_D)) {
            for (Path p : s.filter(p -> p.getFileName().toString().matches("mgmt-test-[0-9a-f]{8}\\.list")).toList()) {
                String line = Files.readString(p).strip();
                int at = line.indexOf("file:");
                String repoDir = at < 0 ? "" : line.substring(at + 5).split(" ")[0];
                if (repoDir.isEmpty() || !Files.isDirectory(Path.of(repoDir))) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** Removes the sources entry and the index files apt made for it. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // shutting down, or never registered
        }
        removeFiles();
    }

    private void removeFiles() {
        try {
            Files.deleteIfExists(entry);
        } catch (IOException e) {
            System.err.println("LocalRepo: cannot remove " + entry + ": " + e);
        }
        for (Path p : addedLists) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                System.err.println("LocalRepo: cannot remove " + p + ": " + e);
            }
        }
        try (Stream<Path> s = Files.list(LISTS)) {
            // anything else apt keeps for this source (a partial download, say) carries its path
            String mangled = dir.toString().replace('/', '_') + "_";
            for (Path p : s.filter(p -> p.getFileName().toString().startsWith(mangled)).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            System.err.println("LocalRepo: cannot list " + LISTS + ": " + e);
        }
    }
}
