package dev.mgmt.cli;

import dev.mgmt.engine.Compilation;

/** Counts in words: {@code 1 resource}, {@code 2 resources}, {@code 0 edges}. The one place for it. */
final class Plural {

    private Plural() {
    }

    /** {@code n} and the noun, in the plural unless {@code n} is one. */
    static String of(long n, String noun) {
        return n + " " + (n == 1 ? noun : noun + "s");
    }

    /**
     * How many resources a graph has, and, when autogroup merged some, how many run:
     * {@code 6 resources (4 after grouping)}. The header and the summary both say it this way.
     */
    static String resources(int declared, int vertices) {
        return of(declared, "resource") + (vertices >= 0 && vertices != declared
                ? " (" + vertices + " after grouping)" : "");
    }

    /**
     * How many edges a graph runs with, and how many of them are automatic:
     * {@code 3 edges (2 automatic)}; the declared count alone when it did not compile.
     */
    static String edges(int declared, Compilation compiled) {
        if (compiled == null) {
            return of(declared, "edge");
        }
        long automatic = compiled.edges().stream().filter(e -> AUTOMATIC.equals(e.name())).count();
        return of(compiled.edges().size(), "edge") + (automatic > 0 ? " (" + automatic + " automatic)" : "");
    }

    /** The name the compiler gives the edges it adds ({@link Compilation}). */
    private static final String AUTOMATIC = "autoedge";
}
