package dev.mgmt.resources.linux.internal;

import dev.mgmt.api.Quoted;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The local accounts as the shadow tools keep them: {@code /etc/passwd} and {@code /etc/group},
 * read directly rather than through NSS ({@code getpwnam}). The tools change only these files,
 * so a user that NSS finds in LDAP or elsewhere is one they cannot modify: reading through NSS
 * would call it present, and then {@code usermod} would fail.
 *
 * <p>Parsed as glibc's files backend does: blank lines and lines starting with {@code #} are
 * skipped, and so are lines that are not a whole entry (a passwd line has 7 fields, a group line
 * 4, with decimal ids), but never silently for the account asked for: looking up a name whose
 * first line is malformed fails with the file, line and what is wrong. For a name given twice,
 * the first line counts, as with glibc and the tools.
 */
public final class EtcAccounts {

    /** The user database. */
    public static final Path PASSWD = Path.of("/etc/passwd");
    /** The group database. */
    public static final Path GROUP = Path.of("/etc/group");

    /** One line of {@code /etc/passwd}; the password and GECOS fields are not used. */
    public record User(String name, long uid, long gid, String home, String shell) {
    }

    /** One line of {@code /etc/group}, with its member list. */
    public record Group(String name, long gid, List<String> members) {
    }

    private final Table<User> users;
    private final Table<Group> groups;

    private EtcAccounts(Table<User> users, Table<Group> groups) {
        this.users = users;
        this.groups = groups;
    }

    /** Reads {@link #PASSWD} and {@link #GROUP}. */
    public static EtcAccounts read() throws IOException {
        return read(PASSWD, GROUP);
    }

    /** Reads the two files; neither is followed when it is a symlink. */
    public static EtcAccounts read(Path passwd, Path group) throws IOException {
        return parse(text(passwd), passwd.toString(), text(group), group.toString());
    }

    /** Parses the text of the two files; {@code passwdName} and {@code groupName} are for messages. */
    static EtcAccounts parse(String passwd, String passwdName, String group, String groupName) {
        Table<User> users = new Table<>(passwdName);
        Table<Group> groups = new Table<>(groupName);
        lines(passwd, (no, line) -> {
            String[] f = line.split(":", -1);
            if (f.length != 7) {
                return users.malformed(f[0], no, "has " + f.length + " fields, want 7");
            }
            long uid = id(f[2]);
            long gid = id(f[3]);
            if (uid < 0 || gid < 0) {
                return users.malformed(f[0], no, "has " + (uid < 0 ? "uid " + Quoted.of(f[2]) : "gid "
                        + Quoted.of(f[3])) + ", not a decimal id");
            }
            return users.add(f[0], no, new User(f[0], uid, gid, f[5], f[6]));
        });
        lines(group, (no, line) -> {
            String[] f = line.split(":", -1);
            if (f.length != 4) {
                return groups.malformed(f[0], no, "has " + f.length + " fields, want 4");
            }
            long gid = id(f[2]);
            if (gid < 0) {
                return groups.malformed(f[0], no, "has gid " + Quoted.of(f[2]) + ", not a decimal id");
            }
            List<String> members = f[3].isEmpty() ? List.of()
                    : Arrays.stream(f[3].split(",")).filter(m -> !m.isEmpty()).toList();
            return groups.add(f[0], no, new Group(f[0], gid, members));
        });
        return new EtcAccounts(users, groups);
    }

    /** The user of this name; fails when its line is malformed. */
    public Optional<User> user(String name) throws IOException {
        return users.get(name);
    }

    /** The first user with this uid other than {@code except}. */
    public Optional<User> userWithUid(long uid, String except) {
        return users.all.stream().filter(u -> u.uid() == uid && !u.name().equals(except)).findFirst();
    }

    /** The group of this name; fails when its line is malformed. */
    public Optional<Group> group(String name) throws IOException {
        return groups.get(name);
    }

    /** The first group with this gid, other than {@code except}. */
    public Optional<Group> groupWithGid(long gid, String except) {
        return groups.all.stream().filter(g -> g.gid() == gid && !g.name().equals(except)).findFirst();
    }

    /** The names of the groups whose member list has {@code user}, in file order. */
    public List<String> groupsListing(String user) {
        return groups.all.stream().filter(g -> g.members().contains(user)).map(Group::name).toList();
    }

    private static String text(Path p) throws IOException {
        try (SeekableByteChannel ch = Files.newByteChannel(p, Set.of(StandardOpenOption.READ,
                LinkOption.NOFOLLOW_LINKS)); InputStream in = Channels.newInputStream(ch)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IOException("cannot read " + p + ": " + e.getMessage(), e);
        }
    }

    /** A decimal id as the files hold it, or -1. */
    private static long id(String s) {
        return AccountNames.id(s).orElse(-1);
    }

    private interface LineParser {
        boolean parse(int lineNo, String line);
    }

    private static void lines(String text, LineParser parser) {
        int no = 0;
        for (String line : text.split("\n", -1)) {
            no++;
            if (!line.isEmpty() && line.charAt(0) != '#') {
                parser.parse(no, line);
            }
        }
    }

    /** One file's entries by name (first wins), in file order, and where malformed names are. */
    private static final class Table<T> {
        final String file;
        final Map<String, T> byName = new HashMap<>();
        final Map<String, String> broken = new LinkedHashMap<>();
        final List<T> all = new ArrayList<>();

        Table(String file) {
            this.file = file;
        }

        boolean add(String name, int lineNo, T entry) {
            if (name.isEmpty() || name.strip().length() != name.length()) {
                return malformed(name, lineNo, "has a name with blanks around it or none");
            }
            if (!byName.containsKey(name) && !broken.containsKey(name)) {
                byName.put(name, entry);
                all.add(entry);
            }
            return true;
        }

        /** Remembers a malformed line under the name it seems to be for (glibc strips leading blanks). */
        boolean malformed(String name, int lineNo, String why) {
            String key = name.strip();
            if (!byName.containsKey(key)) {
                broken.putIfAbsent(key, file + ":" + lineNo + ": the entry for " + Quoted.of(key) + " " + why);
            }
            return false;
        }

        Optional<T> get(String name) throws IOException {
            String why = broken.get(name);
            if (why != null) {
                throw new IOException(why + "; fix the file first");
            }
            return Optional.ofNullable(byName.get(name));
        }
    }
}
