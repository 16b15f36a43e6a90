package dev.mgmt.resources.linux.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The process's umask, read once from {@code /proc/self/status} (Linux 4.7 and later). */
final class Umask {

    private static final int UMASK = read();

    private Umask() {
    }

    /** What {@code open(path, O_CREAT, 0666)} gives a new file: {@code 0644} under umask {@code 022}. */
    static int newFilePermissions() {
        return 0666 & ~UMASK;
    }

    private static int read() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Umask:")) {
                    return Integer.parseInt(line.substring("Umask:".length()).trim(), 8);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // fall through to the usual default
        }
        return 022;
    }
}
