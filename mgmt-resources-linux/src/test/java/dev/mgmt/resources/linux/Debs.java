package dev.mgmt.resources.linux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Tiny test packages and the real dpkg: builds {@code .deb} files with {@code dpkg-deb --build}
 * (no man pages, no scripts, no triggers), queries and changes the real package database, and
 * purges every {@code mgmt-test-*} package afterwards. Test packages are the only packages these
 * helpers install or remove.
 */
final class Debs {

    /** Every test package name starts with this; {@link #purgeAll()} removes exactly those. */
    static final String PREFIX = "mgmt-test-";

    private Debs() {
    }

    /** Whether the real-dpkg tests can run here; the reason when not. */
    static String missing() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "needs root to install packages (user is " + System.getProperty("user.name") + ")";
        }
        for (String tool : List.of("dpkg", "dpkg-deb", "dpkg-query", "apt-get", "apt-cache")) {
            if (!onPath(tool)) {
                return "needs " + tool + " (Debian's dpkg and apt)";
            }
        }
        return null;
    }

    static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Builds {@code dir/<name>_<version>_all.deb}: a marker file under
     * {@code /usr/share/<name>/}, plus {@code files} (absolute path to content; a name without
     * a slash, such as {@code preinst}, is a maintainer script).
     */
    static Path build(Path dir, String name, String version, Map<String, String> files) throws IOException {
        if (!name.startsWith(PREFIX)) {
            throw new IllegalArgumentException("test packages are named " + PREFIX + "*: " + name);
        }
        Path root = dir.resolve("build-" + name + "-" + version);
        Files.createDirectories(root.resolve("DEBIAN"));
        Files.writeString(root.resolve("DEBIAN/control"), "Package: " + name + "\nVersion: " + version
                + "\nArchitecture: all\nMaintainer: mgmt tests <tests@example.invalid>\nSection: misc\nPriority: optional"
                + "\nDescription: tiny mgmt test package\n", StandardCharsets.UTF_8);
        Path marker = root.resolve("usr/share/" + name + "/marker.txt");
        Files.createDirectories(marker.getParent());
        Files.writeString(marker, name + " " + version + "\n");
        for (Map.Entry<String, String> f : files.entrySet()) {
            // an absolute path is a file in the package; a bare name (preinst, ...) a maintainer script
            Path p = f.getKey().startsWith("/") ? root.resolve(f.getKey().substring(1)) : root.resolve("DEBIAN/" + f.getKey());
            Files.createDirectories(p.getParent());
            Files.writeString(p, f.getValue());
            if (!f.getKey().startsWith("/")) {
                Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
        Path deb = dir.resolve(name + "_" + version + "_all.deb");
        run("dpkg-deb", "--root-owner-group", "--build", root.toString(), deb.toString()).ok();
        return deb;
    }

    static Path build(Path dir, String name) throws IOException {
        return build(dir, name, "1.0", Map.of());
    }

    /** The installed version, or null when the package is not installed. */
    static String installed(String name) {
        Out o = run("dpkg-query", "-W", "-f=${Status}\\t${Version}", name);
        if (o.status != 0) {
            return null;
        }
        String[] f = o.stdout.split("\t", -1);
        return f[0].endsWith(" installed") && f.length > 1 ? f[1].strip() : null;
    }

    static void dpkgInstall(Path deb) {
        run("dpkg", "-i", deb.toString()).ok();
    }

    static void dpkgRemove(String name) {
        check(name);
        run("dpkg", "-r", name).ok();
    }

    /** Purges every installed or half-removed {@code mgmt-test-*} package. */
    static void purgeAll() {
        Out o = run("dpkg-query", "-W", "-f=${Package}\\n", PREFIX + "*");
        List<String> names = new ArrayList<>();
        for (String n : o.stdout.split("\n")) {
            if (n.startsWith(PREFIX)) {
                names.add(n.strip());
            }
        }
        if (!names.isEmpty()) {
            List<String> argv = new ArrayList<>(List.of("dpkg", "--purge"));
            argv.addAll(names);
            run(argv.toArray(String[]::new));
        }
    }

    private static void check(String name) {
        if (!name.startsWith(PREFIX)) {
            throw new IllegalArgumentException("tests touch only " + PREFIX + "* packages: " + name);
        }
    }

    record Out(List<String> argv, int status, String stdout, String stderr) {
        Out ok() {
            if (status != 0) {
                throw new IllegalStateException(String.join(" ", argv) + ": exit " + status + ": " + stderr + stdout);
            }
            return this;
        }
    }

    static Out run(String... argv) {
        try {
            Process p = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            var err = java.util.concurrent.CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
            String out = read(p.getInputStream());
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", argv) + ": still running after 120 s");
            }
            return new Out(List.of(argv), p.exitValue(), out, err.join());
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", argv) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String read(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
