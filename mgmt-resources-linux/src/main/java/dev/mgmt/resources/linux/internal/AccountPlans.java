package dev.mgmt.resources.linux.internal;

import dev.mgmt.api.MissingPrerequisite;
import dev.mgmt.api.Quoted;
import dev.mgmt.resources.linux.AccountState;
import dev.mgmt.resources.linux.GroupResource;
import dev.mgmt.resources.linux.UserResource;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Compares a {@code user} or {@code group} resource with the account files and says what
 * differs and which tool would fix it: a pure function of the two, so each case is tested
 * without root. Only the parameters given are compared, and only those that differ are passed
 * to {@code usermod}.
 */
public final class AccountPlans {

    private AccountPlans() {
    }

    /**
     * The plan for a user.
     *
     * @throws IOException          when its uid belongs to another user (without
     *                              {@code allowduplicateuid}), or its line in the file is malformed
     * @throws MissingPrerequisite  when a group it needs does not exist: a {@code group}
     *                              resource ordered before it may create it
     */
    public static AccountPlan user(UserResource u, EtcAccounts etc) throws IOException {
        String name = u.name();
        EtcAccounts.User now = etc.user(name).orElse(null);
        if (u.state() == AccountState.ABSENT) {
            return now == null ? AccountPlan.DONE : new AccountPlan(List.of("user " + Quoted.of(name)
                    + " exists (uid " + now.uid() + "), want it absent"), List.of("userdel", "--", name));
        }
        OptionalLong uid = u.uid();
        if (uid.isPresent() && !u.allowDuplicateUid()) {
            Optional<EtcAccounts.User> other = etc.userWithUid(uid.getAsLong(), name);
            if (other.isPresent()) {
                throw new IOException(u + ": uid: " + uid.getAsLong() + " belongs to user "
                        + Quoted.of(other.get().name()) + " already; allowduplicateuid: true shares it");
            }
        }
        List<String> diffs = new ArrayList<>();
        List<String> args = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        if (now == null) {
            diffs.add("user " + Quoted.of(name) + " does not exist");
        }
        if (uid.isPresent() && (now == null || now.uid() != uid.getAsLong())) {
            differs(diffs, now, "uid is " + (now == null ? "" : now.uid()) + ", want " + uid.getAsLong());
            if (u.allowDuplicateUid()) {
                args.add("--non-unique");
            }
            args.add("--uid");
            args.add(Long.toString(uid.getAsLong()));
        }
        OptionalLong gid = u.gid();
        if (gid.isPresent() && (now == null || now.gid() != gid.getAsLong())) {
            if (etc.groupWithGid(gid.getAsLong(), null).isEmpty()) {
                missing.add("gid: no group has gid " + gid.getAsLong() + " in " + EtcAccounts.GROUP);
            }
            differs(diffs, now, "gid is " + (now == null ? "" : now.gid()) + ", want " + gid.getAsLong());
            args.add("--gid");
            args.add(Long.toString(gid.getAsLong()));
        }
        Optional<String> group = u.group();
        if (group.isPresent()) {
            Optional<EtcAccounts.Group> g = etc.group(group.get());
            if (g.isEmpty() || now == null || now.gid() != g.get().gid()) {
                if (g.isEmpty()) {
                    missing.add("group: no group " + Quoted.of(group.get()) + " in " + EtcAccounts.GROUP);
                }
                differs(diffs, now, now == null ? "" : "group is " + groupOf(etc, now.gid()) + ", want "
                        + Quoted.of(group.get()));
                args.add("--gid");
                args.add(group.get());
            }
        }
        if (u.groups().isPresent()) {
            List<String> want = u.groups().get();
            List<String> have = now == null ? List.of() : etc.groupsListing(name);
            if (!new HashSet<>(want).equals(new HashSet<>(have))) {
                for (String g : want) {
                    if (etc.group(g).isEmpty()) {
                        missing.add("groups: no group " + Quoted.of(g) + " in " + EtcAccounts.GROUP);
                    }
                }
                differs(diffs, now, "groups are " + have + ", want " + want);
                args.add("--groups");
                args.add(String.join(",", want));
            }
        }
        Optional<String> home = u.homedir().map(AccountNames::cleanPath);
        if (home.isPresent() && (now == null || !AccountNames.cleanPath(now.home()).equals(home.get()))) {
            differs(diffs, now, "homedir is " + (now == null ? "" : Quoted.of(now.home())) + ", want "
                    + Quoted.of(home.get()));
            args.add("--home");
            args.add(home.get());
        }
        Optional<String> shell = u.shell();
        if (shell.isPresent() && (now == null || !now.shell().equals(shell.get()))) {
            differs(diffs, now, "shell is " + (now == null ? "" : Quoted.of(now.shell())) + ", want "
                    + Quoted.of(shell.get()));
            args.add("--shell");
            args.add(shell.get());
        }
        if (!missing.isEmpty()) {
            throw new MissingPrerequisite(u + ": " + String.join("; ", missing)
                    + " (a group resource can create it)");
        }
        if (diffs.isEmpty()) {
            return AccountPlan.DONE;
        }
        List<String> command = new ArrayList<>();
        if (now == null) {
            // Not login.defs' CREATE_HOME (yes on Fedora, RHEL, SUSE and Arch, unset on Debian):
            // a home is created nowhere, as documented, whatever the distribution.
            command.add("useradd");
            command.add("--no-create-home");
        } else {
            command.add("usermod");
        }
        command.addAll(args);
        command.add("--");
        command.add(name);
        return new AccountPlan(diffs, command);
    }

    /**
     * The plan for a group.
     *
     * @throws IOException when its gid belongs to another group, or its line in the file is malformed
     */
    public static AccountPlan group(GroupResource g, EtcAccounts etc) throws IOException {
        String name = g.name();
        EtcAccounts.Group now = etc.group(name).orElse(null);
        if (g.state() == AccountState.ABSENT) {
            return now == null ? AccountPlan.DONE : new AccountPlan(List.of("group " + Quoted.of(name)
                    + " exists (gid " + now.gid() + "), want it absent"), List.of("groupdel", "--", name));
        }
        OptionalLong gid = g.gid();
        if (gid.isPresent()) {
            Optional<EtcAccounts.Group> other = etc.groupWithGid(gid.getAsLong(), name);
            if (other.isPresent()) {
                throw new IOException(g + ": gid: " + gid.getAsLong() + " belongs to group "
                        + Quoted.of(other.get().name()) + " already");
            }
        }
        if (now == null) {
            List<String> command = new ArrayList<>(List.of("groupadd"));
            if (gid.isPresent()) {
                command.add("--gid");
                command.add(Long.toString(gid.getAsLong()));
            }
            command.add("--");
            command.add(name);
            return new AccountPlan(List.of("group " + Quoted.of(name) + " does not exist"), command);
        }
        if (gid.isPresent() && now.gid() != gid.getAsLong()) {
            return new AccountPlan(List.of("gid is " + now.gid() + ", want " + gid.getAsLong()),
                    List.of("groupmod", "--gid", Long.toString(gid.getAsLong()), "--", name));
        }
        return AccountPlan.DONE;
    }

    /** Adds a difference of an existing user; for a new one, "does not exist" says it all. */
    private static void differs(List<String> diffs, EtcAccounts.User now, String what) {
        if (now != null) {
            diffs.add(what);
        }
    }

    private static String groupOf(EtcAccounts etc, long gid) {
        return etc.groupWithGid(gid, null).map(g -> Quoted.of(g.name()) + " (gid " + gid + ")").orElse("gid " + gid);
    }
}
