package dev.mgmt.cli;

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
}
