package dev.mgmt.resources.linux.internal;

import dev.mgmt.api.Report;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The watch, check and apply that the {@code user} and {@code group} resources share. */
public final class AccountSync {

    private AccountSync() {
    }

    /** Reads the account files and compares; a plan for one resource. */
    public interface Planner {
        AccountPlan plan() throws IOException;
    }

    /**
     * Watches {@code file} and {@code more} (each in {@code /etc}, filtered by name): the tools
     * write a new file and rename it over the old, a MOVED_TO for the name, which the shared
     * inotify watch of the directory reports as for any file.
     */
    public static Flux<Object> watch(Path file, Path... more) {
        return Flux.defer(() -> FileWatcher.watch(file, false, List.of(more)));
    }

    /** {@code true} when the plan finds nothing to do; otherwise reports what differs. */
    public static Mono<Boolean> check(Planner planner) {
        return Mono.fromCallable(planner::plan).flatMap(p -> p.done() ? Mono.just(Boolean.TRUE)
                : Report.say(p.describe()).thenReturn(Boolean.FALSE));
    }

    /**
     * Runs the plan's tool, then plans again: a tool that exits zero without making the account
     * match (a group listed twice, a file changed meanwhile) fails here rather than looping.
     */
    public static Mono<Void> apply(String who, Planner planner) {
        return Mono.fromCallable(planner::plan).flatMap(p -> p.done() ? Mono.<Void>empty()
                : ShadowTools.run(who, p.command()).then(Mono.fromCallable(planner::plan)).flatMap(after ->
                        after.done() ? Mono.<Void>empty() : Mono.error(new IllegalStateException(who + ": "
                                + p.command().get(0) + " exited 0, but still " + after.describe()))));
    }
}
