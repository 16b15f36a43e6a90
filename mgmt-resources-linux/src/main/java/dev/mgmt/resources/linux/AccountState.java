package dev.mgmt.resources.linux;

import java.util.Locale;

/** Whether a {@code user} or {@code group} account should be there. */
public enum AccountState {
    /** The account exists, with the parameters given (mgmt's {@code exists}). */
    EXISTS,
    /** No account of that name (mgmt's {@code absent}). */
    ABSENT;

    /** mgmt's spelling. */
    public String yaml() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses mgmt's spelling; {@code null} (not given) means {@link #EXISTS}.
     *
     * @throws IllegalArgumentException for anything else, the empty string too (mgmt refuses it:
     *                                  a template that rendered nothing is not the default)
     */
    public static AccountState parse(String text) {
        if (text == null || text.equals("exists")) {
            return EXISTS;
        }
        if (text.equals("absent")) {
            return ABSENT;
        }
        throw new IllegalArgumentException("state: must be 'exists' or 'absent', was "
                + (text.isEmpty() ? "empty" : dev.mgmt.api.Quoted.of(text)));
    }
}
