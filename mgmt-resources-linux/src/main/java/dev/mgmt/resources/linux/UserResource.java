package dev.mgmt.resources.linux;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.mgmt.api.Collectable;
import dev.mgmt.api.Meta;
import dev.mgmt.api.Resource;
import dev.mgmt.api.Reversible;
import dev.mgmt.api.Uid;
import dev.mgmt.resources.linux.internal.AccountNames;
import dev.mgmt.resources.linux.internal.AccountPlans;
import dev.mgmt.resources.linux.internal.AccountSync;
import dev.mgmt.resources.linux.internal.EtcAccounts;
import dev.mgmt.resources.linux.internal.Irreversible;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Kind {@code user}: a local user account, as mgmt's {@code user}.
 *
 * <p>Parameters, with mgmt's YAML names; one not given is left alone:
 * <ul>
 *   <li>{@code name}: the user name.</li>
 *   <li>{@code state}: {@code exists} (the default) or {@code absent}.</li>
 *   <li>{@code uid}: the user id; unique unless {@code allowduplicateuid} is true.</li>
 *   <li>{@code gid} or {@code group}: the primary group, by id or by name (not both).</li>
 *   <li>{@code groups}: the supplementary groups, exactly: the groups whose member list in
 *       {@code /etc/group} names the user ({@code []} for none).</li>
 *   <li>{@code homedir}: the home directory as {@code /etc/passwd} holds it (compared without a
 *       trailing {@code /}); it is not created ({@code useradd --no-create-home}) or moved.</li>
 *   <li>{@code shell}: the login shell.</li>
 * </ul>
 *
 * <p><b>Check</b> reads {@code /etc/passwd} and {@code /etc/group} directly, not through NSS
 * (see {@link EtcAccounts}). A uid that another user has is an error unless
 * {@code allowduplicateuid}; a group that does not exist is a
 * {@link dev.mgmt.api.MissingPrerequisite}. <b>Apply</b> runs {@code useradd},
 * {@code usermod} (with only what differs; {@code --uid} also re-owns the files under the home
 * directory and the mail spool) or {@code userdel} (which keeps the home directory), and fails
 * with the tool's stderr. <b>Watch</b>: inotify on {@code /etc} for {@code passwd} and
 * {@code group}, which the tools replace by rename.
 *
 * <p><b>Automatic edges.</b> A user provides {@code user:<name>} and, with a uid,
 * {@code uid:<uid>} (a {@code file} with that {@code owner} seeks them). One that exists seeks
 * each group it names ({@code group:<name>}, {@code gid:<gid>}), so groups are made first; one
 * that is absent is removed before the groups it names are ({@link #LEAVING},
 * {@link #LEAVING_GID}), as mgmt orders them.
 *
 * <pre>{@code
 * UserResource.builder("app").uid(2000).group("app").groups(List.of("adm")).shell("/usr/sbin/nologin").build();
 * }</pre>
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class UserResource implements Resource, Reversible, Collectable {

    /** The kind name, {@code user}. */
    public static final String KIND = "user";
    /** UID kind of a user's numeric id: a file whose owner is that number seeks it. */
    public static final String UID = "uid";
    /** UID kind an absent user provides for each group name it has; that group seeks it. */
    public static final String LEAVING = "user-leaving-group";
    /** UID kind an absent user provides for its {@code gid}; the group of that gid seeks it. */
    public static final String LEAVING_GID = "user-leaving-gid";

    private final String name;
    private final AccountState state;
    private final Long uid;
    private final Long gid;
    private final String group;
    private final List<String> groups;
    private final String homedir;
    private final String shell;
    private final boolean allowDuplicateUid;
    private final Meta meta;

    private UserResource(Builder b) {
        this.name = Objects.requireNonNull(b.name, "name");
        this.state = Objects.requireNonNull(b.state, "state");
        this.uid = b.uid;
        this.gid = b.gid;
        this.group = b.group;
        this.groups = b.groups == null ? null : List.copyOf(b.groups);
        this.homedir = b.homedir;
        this.shell = b.shell;
        this.allowDuplicateUid = b.allowDuplicateUid;
        this.meta = b.meta == null ? Meta.DEFAULTS : b.meta;
    }

    /** A builder for the user {@code name}. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** A builder that starts from this resource's parameters. */
    public Builder toBuilder() {
        Builder b = builder(name).state(state).group(group).groups(groups).homedir(homedir).shell(shell)
                .allowDuplicateUid(allowDuplicateUid).meta(meta);
        b.uid = uid;
        b.gid = gid;
        return b;
    }

    /** This resource with other meta parameters. */
    public UserResource withMeta(Meta meta) {
        return toBuilder().meta(meta).build();
    }

    /** Decodes mgmt's YAML form. */
    @JsonCreator
    static UserResource decode(@JsonProperty(value = "name", required = true) String name,
                               @JsonProperty("state") String state,
                               @JsonProperty("uid") Long uid,
                               @JsonProperty("gid") Long gid,
                               @JsonProperty("group") String group,
                               @JsonProperty("groups") List<String> groups,
                               @JsonProperty("homedir") String homedir,
                               @JsonProperty("shell") String shell,
                               @JsonProperty("allowduplicateuid") boolean allowDuplicateUid,
                               @JsonProperty("meta") Meta meta) {
        Builder b = builder(name).state(AccountState.parse(state)).group(group).groups(groups).homedir(homedir)
                .shell(shell).allowDuplicateUid(allowDuplicateUid).meta(meta);
        b.uid = uid;
        b.gid = gid;
        return b.build();
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    @JsonProperty("name")
    public String name() {
        return name;
    }

    /** Whether the account should exist. */
    public AccountState state() {
        return state;
    }

    @JsonProperty("state")
    String stateYaml() {
        return state.yaml();
    }

    /** The user id, when managed. */
    public OptionalLong uid() {
        return uid == null ? OptionalLong.empty() : OptionalLong.of(uid);
    }

    @JsonProperty("uid")
    Long uidOrNull() {
        return uid;
    }

    /** The primary group's id, when managed by id. */
    public OptionalLong gid() {
        return gid == null ? OptionalLong.empty() : OptionalLong.of(gid);
    }

    @JsonProperty("gid")
    Long gidOrNull() {
        return gid;
    }

    /** The primary group's name, when managed by name. */
    public Optional<String> group() {
        return Optional.ofNullable(group);
    }

    @JsonProperty("group")
    String groupOrNull() {
        return group;
    }

    /** The supplementary groups, exactly, when managed. */
    public Optional<List<String>> groups() {
        return Optional.ofNullable(groups);
    }

    @JsonProperty("groups")
    List<String> groupsOrNull() {
        return groups;
    }

    /** The home directory as given (a trailing {@code /} kept), when managed. */
    public Optional<String> homedir() {
        return Optional.ofNullable(homedir);
    }

    @JsonProperty("homedir")
    String homedirOrNull() {
        return homedir;
    }

    /** The login shell, when managed. */
    public Optional<String> shell() {
        return Optional.ofNullable(shell);
    }

    @JsonProperty("shell")
    String shellOrNull() {
        return shell;
    }

    /** Whether the uid may be another user's too ({@code useradd --non-unique}). */
    @JsonProperty("allowduplicateuid")
    public boolean allowDuplicateUid() {
        return allowDuplicateUid;
    }

    @Override
    @JsonProperty("meta")
    public Meta meta() {
        return meta;
    }

    /** Each problem naming its key; an empty {@code group}, {@code homedir} or {@code shell} is one. */
    @Override
    public List<String> validate() {
        List<String> out = AccountNames.userProblems(this);
        Irreversible.validate(this, irreversible(), out);
        return out;
    }

    /** Changes to {@code /etc/passwd} and {@code /etc/group}; the first element once armed. */
    @Override
    public Flux<?> watch() {
        return AccountSync.watch(EtcAccounts.PASSWD, EtcAccounts.GROUP);
    }

    /** Whether the account matches; reports what differs. Blocks the subscribing thread. */
    @Override
    public Mono<Boolean> check() {
        return AccountSync.check(() -> AccountPlans.user(this, EtcAccounts.read()));
    }

    /** Runs the one tool that makes the account match, then reads the files again to be sure. */
    @Override
    public Mono<Void> apply() {
        return AccountSync.apply(toString(), () -> AccountPlans.user(this, EtcAccounts.read()));
    }

    /** {@code user:<name>}, {@code uid:<uid>}, and for an absent user what the groups it names seek. */
    @Override
    public List<Uid> provides() {
        List<Uid> out = new ArrayList<>(4);
        out.add(Uid.of(KIND, name));
        if (uid != null) {
            out.add(Uid.of(UID, Long.toString(uid)));
        }
        if (state == AccountState.ABSENT) {
            named().forEach(g -> out.add(Uid.of(LEAVING, g)));
            if (gid != null) {
                out.add(Uid.of(LEAVING_GID, Long.toString(gid)));
            }
        }
        return out;
    }

    /** For a user that exists, each group it names, as a need of its own. */
    @Override
    public List<List<Uid>> seeks() {
        if (state == AccountState.ABSENT) {
            return List.of();
        }
        List<List<Uid>> out = new ArrayList<>();
        if (gid != null) {
            out.add(List.of(Uid.of(GroupResource.GID, Long.toString(gid))));
        }
        named().forEach(g -> out.add(List.of(Uid.of(GroupResource.KIND, g))));
        return out;
    }

    /** The group names this user has: its primary {@code group}, then {@code groups}. */
    private List<String> named() {
        List<String> out = new ArrayList<>();
        if (group != null) {
            out.add(group);
        }
        if (groups != null) {
            groups.stream().filter(g -> !out.contains(g)).forEach(out::add);
        }
        return out;
    }

    /**
     * The same user absent ({@code userdel}, which keeps the home directory and the files the
     * user owned elsewhere). An absent user has none: who it was is not known.
     *
     * @throws IllegalStateException when {@code state} is {@code absent}
     */
    @Override
    public UserResource reversed() {
        Irreversible.require(this, irreversible());
        return builder(name).state(AccountState.ABSENT).build();
    }

    private Irreversible irreversible() {
        return state == AccountState.ABSENT ? new Irreversible("state", "state 'exists'",
                "a removed user cannot be put back: its ids, groups and password are not known") : null;
    }

    /** None: every user parameter is allowed explicitly. */
    @Override
    public Set<String> safeFromPeers() {
        return Set.of();
    }

    /** Taking one from a peer at all adds, changes or removes an account here: only with trust. */
    @Override
    public Optional<String> trustNeeded() {
        return Optional.of("it adds, changes or removes a local account as a peer chooses");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UserResource u && u.name.equals(name) && u.state == state && Objects.equals(u.uid, uid)
                && Objects.equals(u.gid, gid) && Objects.equals(u.group, group) && Objects.equals(u.groups, groups)
                && Objects.equals(u.homedir, homedir) && Objects.equals(u.shell, shell)
                && u.allowDuplicateUid == allowDuplicateUid && u.meta.equals(meta);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, state, uid, gid, group, groups, homedir, shell, allowDuplicateUid, meta);
    }

    @Override
    public String toString() {
        return KIND + "[" + name + "]";
    }

    /** Builds a {@link UserResource}; everything but the name is optional, {@code null} leaves it unmanaged. */
    public static final class Builder {
        private final String name;
        private AccountState state = AccountState.EXISTS;
        private Long uid;
        private Long gid;
        private String group;
        private List<String> groups;
        private String homedir;
        private String shell;
        private boolean allowDuplicateUid;
        private Meta meta = Meta.DEFAULTS;

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
        }

        /** {@link AccountState#EXISTS} (the default) or {@link AccountState#ABSENT}. */
        public Builder state(AccountState v) { state = Objects.requireNonNull(v, "state"); return this; }
        /** The user id; unique unless {@link #allowDuplicateUid}. */
        public Builder uid(long v) { uid = v; return this; }
        /** The primary group by id; not with {@link #group}. */
        public Builder gid(long v) { gid = v; return this; }
        /** The primary group by name; not with {@link #gid}. */
        public Builder group(String v) { group = v; return this; }
        /** The supplementary groups, exactly; an empty list for none. */
        public Builder groups(List<String> v) { groups = v; return this; }
        /**
         * Absolute; a trailing {@code /} is allowed (mgmt writes one): it is kept as given and
         * left out when compared with, or written to, {@code /etc/passwd}.
         */
        public Builder homedir(String v) { homedir = v; return this; }
        /** Absolute, such as {@code /bin/bash} or {@code /usr/sbin/nologin}. */
        public Builder shell(String v) { shell = v; return this; }
        /** Whether the uid may be another user's too ({@code --non-unique}). */
        public Builder allowDuplicateUid(boolean v) { allowDuplicateUid = v; return this; }
        /** The meta parameters; {@code null} for the defaults. */
        public Builder meta(Meta v) { meta = v == null ? Meta.DEFAULTS : v; return this; }

        /** The resource; {@link UserResource#validate()} says what is wrong with it. */
        public UserResource build() {
            return new UserResource(this);
        }
    }
}
