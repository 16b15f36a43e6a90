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

    /** Parses mgmt's spelling; {@code null} or empty means {@link #EXISTS}. */
    public static AccountState parse(String text) {
        if (text == null || text.isEmpty() || text.equals("exists")) {
            return EXISTS;
        }
        if (text.equals("absent")) {
            return ABSENT;
        }
        throw new IllegalArgumentException("state: must be 'exists' or 'absent', was "
                + dev.mgmt.api.Quoted.of(text));
    }
}
