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
 * Kind {@code group}: a local group, as mgmt's {@code group}.
 *
 * <p>Parameters, with mgmt's YAML names: {@code name}, the group name; {@code state},
 * {@code exists} (the default) or {@code absent}; {@code gid}, the group id, left alone when not
 * given. Members are the {@code user} resource's business ({@code groups}).
 *
 * <p><b>Check</b> reads {@code /etc/group} directly, not through NSS (see {@link EtcAccounts});
 * a gid that another group has is an error. <b>Apply</b> runs {@code groupadd},
 * {@code groupmod --gid} or {@code groupdel}, and fails with the tool's stderr (a group that is
 * some user's primary group cannot be removed). <b>Watch</b>: inotify on {@code /etc} for
 * {@code group}, which the tools replace by rename, and {@code passwd}, where a user leaves its
 * primary group (so a {@code groupdel} refused for that is tried again).
 *
 * <p><b>Automatic edges.</b> A group provides {@code group:<name>} and, with a gid,
 * {@code gid:<gid>}: users that exist and name it, and files with it as {@code group}, come
 * after it. It seeks the absent users that name it ({@link UserResource#LEAVING}), which are
 * removed before it.
 *
 * <pre>{@code
 * GroupResource.builder("app").gid(2000).build();
 * }</pre>
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class GroupResource implements Resource, Reversible, Collectable {

    /** The kind name, {@code group}. */
    public static final String KIND = "group";
    /** UID kind of a group's numeric id: a user with that {@code gid}, or a file with that {@code group}, seeks it. */
    public static final String GID = "gid";

    private final String name;
    private final AccountState state;
    private final Long gid;
    private final Meta meta;

    private GroupResource(Builder b) {
        this.name = Objects.requireNonNull(b.name, "name");
        this.state = Objects.requireNonNull(b.state, "state");
        this.gid = b.gid;
        this.meta = b.meta == null ? Meta.DEFAULTS : b.meta;
    }

    /** A builder for the group {@code name}. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** A builder that starts from this resource's parameters. */
    public Builder toBuilder() {
        Builder b = builder(name).state(state).meta(meta);
        b.gid = gid;
        return b;
    }

    /** This resource with other meta parameters. */
    public GroupResource withMeta(Meta meta) {
        return toBuilder().meta(meta).build();
    }

    /** Decodes mgmt's YAML form. */
    @JsonCreator
    static GroupResource decode(@JsonProperty(value = "name", required = true) String name,
                                @JsonProperty("state") String state,
                                @JsonProperty("gid") Long gid,
                                @JsonProperty("meta") Meta meta) {
        Builder b = builder(name).state(AccountState.parse(state)).meta(meta);
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

    /** Whether the group should exist. */
    public AccountState state() {
        return state;
    }

    @JsonProperty("state")
    String stateYaml() {
        return state.yaml();
    }

    /** The group id, when managed. */
    public OptionalLong gid() {
        return gid == null ? OptionalLong.empty() : OptionalLong.of(gid);
    }

    @JsonProperty("gid")
    Long gidOrNull() {
        return gid;
    }

    @Override
    @JsonProperty("meta")
    public Meta meta() {
        return meta;
    }

    @Override
    public List<String> validate() {
        List<String> out = new ArrayList<>();
        AccountNames.nameProblem("name", name, "group").ifPresent(out::add);
        if (gid != null) {
            AccountNames.idProblem("gid", gid, "group").ifPresent(out::add);
        }
        Irreversible.validate(this, irreversible(), out);
        return out;
    }

    /**
     * Changes to {@code /etc/group} and {@code /etc/passwd}; the first element once armed. A
     * {@code groupdel} refused because the group is some user's primary group is tried again when
     * that user moves off it, which changes {@code /etc/passwd} only.
     */
    @Override
    public Flux<?> watch() {
        return AccountSync.watch(EtcAccounts.GROUP, EtcAccounts.PASSWD);
    }

    /** Whether the group matches; reports what differs. Blocks the subscribing thread. */
    @Override
    public Mono<Boolean> check() {
        return AccountSync.check(() -> AccountPlans.group(this, EtcAccounts.read()));
    }

    /** Runs the one tool that makes the group match, then reads the file again to be sure. */
    @Override
    public Mono<Void> apply() {
        return AccountSync.apply(toString(), () -> AccountPlans.group(this, EtcAccounts.read()));
    }

    /** {@code group:<name>} and, with a gid, {@code gid:<gid>}. */
    @Override
    public List<Uid> provides() {
        return gid == null ? List.of(Uid.of(KIND, name))
                : List.of(Uid.of(KIND, name), Uid.of(GID, Long.toString(gid)));
    }

    /** The absent users that name this group, by name and by gid, each a need of its own. */
    @Override
    public List<List<Uid>> seeks() {
        return gid == null ? List.of(List.of(Uid.of(UserResource.LEAVING, name)))
                : List.of(List.of(Uid.of(UserResource.LEAVING, name)),
                        List.of(Uid.of(UserResource.LEAVING_GID, Long.toString(gid))));
    }

    /**
     * The same group absent ({@code groupdel}). An absent group has none: its gid and members
     * are not known.
     *
     * @throws IllegalStateException when {@code state} is {@code absent}
     */
    @Override
    public GroupResource reversed() {
        Irreversible.require(this, irreversible());
        return builder(name).state(AccountState.ABSENT).build();
    }

    private Irreversible irreversible() {
        return state == AccountState.ABSENT ? new Irreversible("state", "state 'exists'",
                "a removed group cannot be put back: its gid and members are not known") : null;
    }

    /** None: every group parameter is allowed explicitly. */
    @Override
    public Set<String> safeFromPeers() {
        return Set.of();
    }

    /** Taking one from a peer at all adds, changes or removes a group here: only with trust. */
    @Override
    public Optional<String> trustNeeded() {
        return Optional.of("it adds, changes or removes a local group as a peer chooses");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GroupResource g && g.name.equals(name) && g.state == state && Objects.equals(g.gid, gid)
                && g.meta.equals(meta);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, state, gid, meta);
    }

    @Override
    public String toString() {
        return KIND + "[" + name + "]";
    }

    /** Builds a {@link GroupResource}; everything but the name is optional. */
    public static final class Builder {
        private final String name;
        private AccountState state = AccountState.EXISTS;
        private Long gid;
        private Meta meta = Meta.DEFAULTS;

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
        }

        /** {@link AccountState#EXISTS} (the default) or {@link AccountState#ABSENT}. */
        public Builder state(AccountState v) { state = Objects.requireNonNull(v, "state"); return this; }
        /** The group id; another group's is an error at check. */
        public Builder gid(long v) { gid = v; return this; }
        /** The meta parameters; {@code null} for the defaults. */
        public Builder meta(Meta v) { meta = v == null ? Meta.DEFAULTS : v; return this; }

        /** The resource; {@link GroupResource#validate()} says what is wrong with it. */
        public GroupResource build() {
            return new GroupResource(this);
        }
    }
}
