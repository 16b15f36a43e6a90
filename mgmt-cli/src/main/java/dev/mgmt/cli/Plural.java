package dev.mgmt.cli;

/** Counts in words: {@code 1 resource}, {@code 2 resources}, {@code 0 edges}. The one place for it. */
final class Plural {

    private Plural() {
    }

    /** {@code n} and the noun, in the plural unless {@code n} is one. */
    static String of(long n, String noun) {
        return n + " " + (n == 1 ? noun : noun + "s");
    }
}
