package dev.mgmt.resources.linux.internal;

import dev.mgmt.api.Quoted;
import dev.mgmt.resources.linux.UserResource;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.OptionalLong;

/**
 * What the {@code user} and {@code group} resources accept as account names, ids and paths, in
 * one place, each problem as a message that starts with the parameter; and a user's checks as a
 * whole ({@link #userProblems}).
 *
 * <p>Names follow upstream shadow's rule (its {@code is_valid_name}): letters, digits,
 * {@code _}, {@code .} and {@code -}, not starting with {@code -}, optionally ending in
 * {@code $} (Samba's machine accounts), at most 32 bytes (the limit of {@code useradd} and
 * {@code groupadd} here). Debian's tools accept more (non-ASCII letters, {@code ~}, {@code +});
 * other distributions' do not, so a graph that passes means the same on each. Also refused:
 * names of digits only, which the tools and {@code chown} would read as ids, and {@code .} and
 * {@code ..}.
 */
public final class AccountNames {

    /** The longest user or group name, in bytes. */
    public static final int MAX_NAME = 32;
    /** The largest id: {@code (uid_t) -1} means "no id" to the kernel and the tools. */
    public static final long MAX_ID = 0xFFFFFFFEL;

    private AccountNames() {
    }

    /** Why {@code name} is not an account name, as {@code <key>: ...}; empty when it is one. */
    public static Optional<String> nameProblem(String key, String name, String what) {
        if (name.isEmpty()) {
            return Optional.of(key + ": must not be empty");
        }
        String why = null;
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME) {
            why = "is longer than " + MAX_NAME + " bytes";
        } else if (name.charAt(0) == '-') {
            why = "starts with '-'";
        } else if (name.equals(".") || name.equals("..")) {
            why = "is not a name";
        } else if (numeric(name)) {
            why = "has only digits, which the tools read as an id";
        } else {
            for (int i = 0; i < name.length(); i++) {
                char c = name.charAt(i);
                boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                        || c == '_' || c == '.' || c == '-' || (c == '$' && i == name.length() - 1);
                if (!ok) {
                    why = "has " + Quoted.of(String.valueOf(c)) + " (letters, digits, '_', '.' and '-' only,"
                            + " and a final '$')";
                    break;
                }
            }
        }
        return why == null ? Optional.empty() : Optional.of(key + ": " + Quoted.of(name) + " is not a " + what
                + " name: it " + why);
    }

    /** Why {@code id} is not a user or group id, as {@code <key>: ...}; empty when it is one. */
    public static Optional<String> idProblem(String key, long id, String what) {
        return id < 0 || id > MAX_ID
                ? Optional.of(key + ": " + id + " is not a " + what + " id (0 to " + MAX_ID + ")")
                : Optional.empty();
    }

    /**
     * Why {@code path} cannot be a field of {@code /etc/passwd} ({@code homedir}, {@code shell}):
     * it must be absolute, without {@code .} or {@code ..}, and without {@code :} (the field
     * separator) or control characters.
     */
    public static Optional<String> pathProblem(String key, String path) {
        if (path.isEmpty()) {
            return Optional.of(key + ": must not be empty");
        }
        if (!path.startsWith("/")) {
            return Optional.of(key + ": must be an absolute path, was " + Quoted.of(path));
        }
        if (path.indexOf(':') >= 0 || !Quoted.isPlain(path)) {
            return Optional.of(key + ": " + Quoted.of(path) + " has ':' or a control character, which /etc/passwd"
                    + " cannot hold");
        }
        for (String part : path.split("/")) {
            if (part.equals(".") || part.equals("..")) {
                return Optional.of(key + ": must not contain '.' or '..', was " + Quoted.of(path));
            }
        }
        return Optional.empty();
    }

    /**
     * What is wrong with a user's parameters, each problem naming its key; {@code null} means
     * unmanaged, so an empty value (a template that rendered nothing) is a problem, not "leave it".
     */
    public static List<String> userProblems(UserResource u) {
        List<String> out = new ArrayList<>();
        nameProblem("name", u.name(), "user").ifPresent(out::add);
        u.uid().ifPresent(id -> idProblem("uid", id, "user").ifPresent(out::add));
        u.gid().ifPresent(id -> idProblem("gid", id, "group").ifPresent(out::add));
        u.group().ifPresent(g -> {
            if (u.gid().isPresent()) {
                out.add("group: give the primary group by group or by gid, not both");
            }
            nameProblem("group", g, "group").ifPresent(out::add);
        });
        u.groups().ifPresent(groups -> {
            Set<String> seen = new HashSet<>();
            for (String g : groups) {
                nameProblem("groups", g, "group").ifPresent(out::add);
                if (!seen.add(g)) {
                    out.add("groups: " + Quoted.of(g) + " is given twice");
                }
            }
        });
        u.homedir().ifPresent(h -> pathProblem("homedir", h).ifPresent(out::add));
        u.shell().ifPresent(sh -> pathProblem("shell", sh).ifPresent(out::add));
        return out;
    }

    /** {@code path} without trailing slashes and with runs of slashes as one: how passwd holds it. */
    public static String cleanPath(String path) {
        String s = path.replaceAll("/{2,}", "/");
        while (s.length() > 1 && s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }

    /** The id that {@code text} spells in decimal digits (as {@code chown} reads an owner), if it is one. */
    public static OptionalLong id(String text) {
        if (!numeric(text) || text.length() > 10) {
            return OptionalLong.empty();
        }
        long v = Long.parseLong(text);
        return v <= MAX_ID ? OptionalLong.of(v) : OptionalLong.empty();
    }

    private static boolean numeric(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
