package dev.mgmt.resources.linux.internal;

import dev.mgmt.api.Report;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import reactor.core.publisher.Mono;

/**
 * Runs the shadow tools ({@code useradd}, {@code usermod}, {@code userdel}, {@code groupadd},
 * {@code groupmod}, {@code groupdel}) with arguments, never through a shell, with
 * {@code LC_ALL=C} so their messages read the same everywhere.
 *
 * <p>One at a time in this JVM: each tool locks the account files and gives up after a while
 * when another holds them ("cannot lock /etc/group; try again later"), so resources applied in
 * parallel (a user's three groups) wait here instead of failing there.
 */
public final class ShadowTools {

    private static final Semaphore ONE_AT_A_TIME = new Semaphore(1, true);
    private static final List<String> DIRS = List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin");

    private ShadowTools() {
    }

    /**
     * Runs {@code argv} (the tool's name, then its arguments) and reports it with its output; a
     * non-zero exit fails with the tool's status and stderr, prefixed with {@code who}. Blocks
     * the subscribing thread; cancelling kills the tool.
     */
    public static Mono<Void> run(String who, List<String> argv) {
        List<String> line = new ArrayList<>(argv);
        line.set(0, locate(argv.get(0)));
        CommandSpec spec = new CommandSpec(argv.get(0), line, "", Map.of("LC_ALL", "C"));
        String shown = String.join(" ", argv);
        return Mono.using(ShadowTools::acquire, permit -> Commands.run(spec, Duration.ZERO), Semaphore::release)
                .flatMap(r -> {
                    if (r.cancelled()) {
                        return Mono.empty();
                    }
                    Mono<Void> said = Report.say(shown + ": " + r.summary());
                    return r.ok() ? said
                            : said.then(Mono.error(new CommandFailedException(who + ": " + r.failure())));
                });
    }

    private static Semaphore acquire() throws InterruptedException {
        ONE_AT_A_TIME.acquire();
        return ONE_AT_A_TIME;
    }

    /** The tool in the system directories, where it lives, else its bare name for {@code PATH}. */
    private static String locate(String tool) {
        for (String d : DIRS) {
            Path p = Path.of(d, tool);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return tool;
    }
}
