package dev.mgmt.cluster;

import dev.mgmt.api.MachineName;
import dev.mgmt.api.Quoted;
import java.io.IOException;
import java.util.regex.Pattern;

/**
 * What a host's name may be: a plain host name of letters, digits, {@code -}, {@code .} and
 * {@code _}, at most 253 characters. A host's name reaches file names, log lines and every
 * peer's messages, so a newline, a right-to-left override or a NUL is refused at start instead
 * of being escaped everywhere it goes.
 */
public final class HostName {

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9._-]{1,253}");

    private HostName() {
    }

    /** Whether {@code name} is a plain host name. */
    public static boolean isPlain(String name) {
        return name != null && PLAIN.matcher(name).matches();
    }

    /**
     * This machine's name ({@link MachineName}) when it is a plain host name: a host's name when
     * none is given.
     *
     * @throws IllegalStateException saying why it cannot be a host's name (it cannot be read, or
     *                               is not plain), for the caller to add how to give one
     */
    public static String ofThisMachine() {
        String name;
        try {
            name = MachineName.read();
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        if (!isPlain(name)) {
            throw new IllegalStateException("this machine's name " + Quoted.of(name) + " is not a plain host name "
                    + "(letters, digits, '-', '.' and '_', at most 253)");
        }
        return name;
    }

    /**
     * Returns {@code name} when it is a plain host name.
     *
     * @param what how the caller calls it, such as {@code --hostname}; starts the message
     * @throws IllegalArgumentException naming the name (escaped) and what is allowed
     */
    public static String check(String what, String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException(what + ": must not be empty");
        }
        if (!isPlain(name)) {
            throw new IllegalArgumentException(what + ": " + Quoted.of(name) + " is not a plain host name "
                    + "(letters, digits, '-', '.' and '_', at most 253)");
        }
        return name;
    }
}
