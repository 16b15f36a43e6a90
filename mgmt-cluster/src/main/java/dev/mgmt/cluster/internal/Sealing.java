package dev.mgmt.cluster.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mgmt.api.Quoted;
import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * End-to-end identity for the store's values. Atomix's Raft server cannot tell which TLS peer
 * sent a command, so in a secured cluster every value is <em>sealed</em> by its writer: a JSON
 * envelope with the value, the time it was sealed, the writer's certificate chain and a
 * signature (the writer's private key) over the key, the time and the value. Every reader
 * <em>opens</em> it: the chain must be trusted by the reader's truststore, the signature must
 * verify, and the signer must be allowed to write that key ({@link KeyRules}). A value that
 * fails is treated as absent and logged once per key and reason.
 *
 * <p><b>Replays.</b> A member can write any bytes under any key, so it could store again an
 * older envelope the rightful writer sealed for the same key. The time in the envelope (epoch
 * milliseconds of the writer's clock, made strictly increasing per key by the writer) orders
 * them: a reader keeps, per key, the highest time it accepted and refuses anything older as a
 * replay, keeping the value it accepted before. Owned keys ({@code exported/<h>} and the like)
 * have one writer, so only that host's clock matters, and a restarted host's clock has moved
 * on. Keys with several writers compare the clocks of different machines: {@code config/*}
 * (admins), {@code elastic/volunteer/<h>} (the host or an admin) — a write from a machine whose
 * clock is behind the last accepted write's is refused as a replay until its clock catches
 * up. {@code elastic/state} is ordered per signer (each chooser's own clock), so a new chooser
 * is never refused for its clock. {@code kv/*} is not ordered: any member may write it anyway.
 *
 * <p>Membership keys ({@code elastic/state}, {@code config/*}) are also checked strictly
 * ({@link MembershipKeys}) on write and on read, with or without TLS. Without TLS values are
 * stored as they are: there is no identity to check.
 */
public final class Sealing {

    private static final Logger log = LoggerFactory.getLogger(Sealing.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int FORMAT = 2;
    /** The refusal of an envelope older than one already accepted for its key. */
    static final String REPLAY = "an older value than the one already accepted: a replay";
    private static final int CACHE_LIMIT = 4096;

    /** The envelope of a sealed value. */
    record Envelope(int sealed, String value, long ts, List<String> chain, String sig) {
    }

    /** A verified signer: its certificate's names, whether it has the admin role, and its key. */
    record Signer(Set<String> names, boolean adminRole, PublicKey key, Date notAfter) {
    }

    /** What opening a value found: the value, or why it was refused (and the signer, when known). */
    record Opened(String value, Signer signer, String refusal, long ts) {
        Opened(String value, Signer signer, String refusal) {
            this(value, signer, refusal, 0);
        }

        boolean ok() {
            return refusal == null;
        }

        boolean replay() {
            return REPLAY.equals(refusal);
        }
    }

    /** The last value a reader accepted for a key, and its stored envelope (to put back after a replay). */
    record Accepted(String value, String raw) {
    }

    private record Cached(String raw, Opened opened) {
    }

    private final Identity identity;
    private final Set<String> admins;
    private final String ownChain;
    private final String host;
    private final Map<String, Signer> verified = new ConcurrentHashMap<>();
    private final Map<String, Cached> byKey = new ConcurrentHashMap<>();
    private final Set<String> logged = ConcurrentHashMap.newKeySet();
    /**
     * The last accepted value of each ordered key (and of each cluster setting without TLS):
     * kept while a refused setting or a replay is stored.
     */
    private final Map<String, Accepted> lastGood = new ConcurrentHashMap<>();
    /** Reader: the highest seal time accepted per ordered key (per signer for elastic/state); kept after removal. */
    private final Map<String, Long> acceptedTs = new ConcurrentHashMap<>();
    /** Writer: the last seal time used per key, so that times are strictly increasing per key. */
    private final Map<String, Long> sealedTs = new ConcurrentHashMap<>();
    private final java.time.Clock clock;
    private volatile Supplier<Set<String>> voterHosts = Set::of;
    /** The hosts of the voters in the last {@code elastic/state} this reader accepted. */
    private volatile Set<String> stateVoterHosts = Set.of();

    private Sealing(String host, Identity identity, Set<String> admins, java.time.Clock clock) {
        this.host = host;
        this.clock = clock;
        this.identity = identity;
        this.admins = Set.copyOf(admins);
        this.ownChain = identity == null ? null : SealSignature.encodeChain(identity.chain());
    }

    /** No TLS: values stay as they are; membership keys are still checked. */
    static Sealing plain(String host) {
        return new Sealing(host, null, Set.of(), java.time.Clock.systemUTC());
    }

    /** TLS: seals with {@code identity}; {@code admins} is this reader's allow-list of admin names. */
    static Sealing of(String host, Identity identity, Set<String> admins) {
        return of(host, identity, admins, java.time.Clock.systemUTC());
    }

    /** As {@link #of(String, Identity, Set)}, with the clock that times this writer's seals. */
    static Sealing of(String host, Identity identity, Set<String> admins, java.time.Clock clock) {
        return new Sealing(host, identity, admins, clock);
    }

    /** Whether values are sealed (TLS is on). */
    boolean secured() {
        return identity != null;
    }

    /** Where the hosts that are store voters now come from (for {@code elastic/state}). */
    void voters(Supplier<Set<String>> hosts) {
        this.voterHosts = hosts;
    }

    /** Whether this host's own certificate is an admin's (always true without TLS: nothing to check). */
    boolean localAdmin() {
        return identity == null || identity.isAdmin(admins);
    }

    /** The names of this host's certificate (empty without TLS). */
    Set<String> localNames() {
        return identity == null ? Set.of() : identity.names();
    }

    /**
     * The value as it is to be stored.
     *
     * @throws IllegalArgumentException when a membership key's value is bad
     */
    public String seal(String key, String value) {
        MembershipKeys.checkWrite(key, value);
        if (identity == null) {
            return value;
        }
        long now = clock.millis();
        // Strictly increasing per key: two writes in one millisecond, or a clock stepped back
        // while this host runs, still order as written. kv/* is not ordered by readers.
        long ts = key.startsWith(StoreKeys.KV) ? now : sealedTs.merge(key, now, (last, n) -> Math.max(n, last + 1));
        try {
            String sig = Base64.getEncoder().encodeToString(SealSignature.sign(identity.key(), key, ts, value));
            return JSON.writeValueAsString(new Envelope(FORMAT, value, ts, chainList(), sig));
        } catch (GeneralSecurityException | JsonProcessingException e) {
            throw new IllegalStateException("cannot seal " + key + ": " + e.getMessage(), e);
        }
    }

    private List<String> chainList() {
        return List.of(ownChain.split(","));
    }

    /** The value a reader may use, or null when the stored value is refused (logged once) or absent. */
    public String open(String key, String raw) {
        if (raw == null) {
            return null;
        }
        Opened o = check(key, raw);
        boolean setting = key.startsWith("config/");
        if (!o.ok()) {
            refused(key, o);
            // A refused setting does not undo an admin's, nor a replay the newer value: the
            // previous good value stands.
            Accepted a = setting || o.replay() ? lastGood.get(key) : null;
            return a == null ? null : a.value();
        }
        if (ordered(key)) {
            acceptedTs.merge(tsKey(key, o.signer()), o.ts(), Math::max);
        }
        if (setting || ordered(key)) {
            lastGood.put(key, new Accepted(o.value(), raw));
        }
        return o.value();
    }

    /** Whether this reader refuses {@code raw} for {@code key} now (for any reason). */
    boolean refuses(String key, String raw) {
        return raw != null && !check(key, raw).ok();
    }

    /** Whether this reader refuses {@code raw} for {@code key} now as older than one it accepted. */
    boolean replayed(String key, String raw) {
        return raw != null && check(key, raw).replay();
    }

    /** The value and envelope this reader last accepted for an ordered key or setting, or null. */
    Accepted lastAccepted(String key) {
        return lastGood.get(key);
    }

    /** Whether readers order {@code key}'s values by their seal time (TLS, every key but {@code kv/*}). */
    private boolean ordered(String key) {
        return identity != null && !key.startsWith(StoreKeys.KV);
    }

    /** Per key; per key and signer for the chooser's state, which each chooser seals with its own clock. */
    private static String tsKey(String key, Signer s) {
        return key.equals(ElasticState.KEY) && s != null ? key + "\0" + new java.util.TreeSet<>(s.names()) : key;
    }

    /** Opens and judges one stored value. */
    Opened check(String key, String raw) {
        String shape = KeyRules.shapeProblem(key);
        if (shape != null) {
            return new Opened(null, null, shape);
        }
        Opened crypto;
        if (identity == null) {
            crypto = new Opened(raw, null, null);
        } else {
            Cached c = byKey.get(key);
            if (c != null && c.raw().equals(raw)) {
                crypto = c.opened();
            } else {
                crypto = unseal(key, raw);
                if (byKey.size() > CACHE_LIMIT) {
                    byKey.clear();
                }
                byKey.put(key, new Cached(raw, crypto));
            }
            if (!crypto.ok()) {
                return crypto;
            }
            Signer s = crypto.signer();
            if (s.notAfter().before(new Date())) {
                return new Opened(null, s, "the signer's certificate has expired");
            }
            String why = KeyRules.refusal(key, s.names(), s.adminRole() || anyIn(s.names(), admins),
                    key.equals(ElasticState.KEY) ? voterHosts.get() : Set.of());
            if (why != null) {
                return new Opened(null, s, why);
            }
            Long seen = acceptedTs.get(tsKey(key, s));
            if (seen != null && crypto.ts() < seen) {
                return new Opened(null, s, REPLAY, crypto.ts());
            }
        }
        String bad = MembershipKeys.problem(key, crypto.value());
        if (bad != null) {
            return new Opened(null, crypto.signer(), bad);
        }
        if (key.equals(ElasticState.KEY)) {
            Set<String> hosts = new HashSet<>();
            ElasticState.parse(crypto.value()).voters().forEach(id -> hosts.add(hostOf(id)));
            stateVoterHosts = Set.copyOf(hosts);
        }
        return crypto;
    }

    private Opened unseal(String key, String raw) {
        Envelope env;
        try {
            env = JSON.readValue(raw, Envelope.class);
        } catch (JsonProcessingException | RuntimeException e) {
            return new Opened(null, null, "not sealed (a value written without a certificate)");
        }
        if (env.sealed() != FORMAT) {
            return new Opened(null, null, "not sealed in this version's format (" + env.sealed() + ", not " + FORMAT + ")");
        }
        if (env.value() == null || env.ts() <= 0 || env.chain() == null || env.chain().isEmpty()
                || env.sig() == null) {
            return new Opened(null, null, "not sealed (an incomplete envelope)");
        }
        Signer signer;
        try {
            signer = signer(env.chain());
        } catch (CertificateException | IllegalArgumentException e) {
            return new Opened(null, null, "the signer's certificate is not trusted (" + Quoted.escape(e.getMessage()) + ")");
        }
        try {
            if (!SealSignature.verify(signer.key(), key, env.ts(), env.value(), Base64.getDecoder().decode(env.sig()))) {
                return new Opened(null, signer, "the signature does not match the key and value");
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return new Opened(null, signer, "the signature cannot be checked (" + Quoted.escape(e.getMessage()) + ")");
        }
        return new Opened(env.value(), signer, null, env.ts());
    }

    /** The chain's signer, checked against the truststore once per chain. */
    private Signer signer(List<String> chain) throws CertificateException {
        String id = String.join(",", chain);
        Signer s = verified.get(id);
        if (s != null) {
            return s;
        }
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        List<X509Certificate> certs = new ArrayList<>();
        for (String b64 : chain) {
            certs.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(Base64.getDecoder().decode(b64))));
        }
        X509Certificate leaf = certs.get(0);
        identity.trust().checkClientTrusted(certs.toArray(X509Certificate[]::new), leaf.getPublicKey().getAlgorithm());
        s = new Signer(Identity.names(leaf), Identity.hasAdminRole(leaf), leaf.getPublicKey(), leaf.getNotAfter());
        if (verified.size() > CACHE_LIMIT) {
            verified.clear();
        }
        verified.put(id, s);
        return s;
    }

    private void refused(String key, Opened o) {
        String signer = o.signer() == null ? "unknown" : o.signer().names().stream().map(Quoted::of).toList().toString();
        String once = key + "\0" + o.refusal() + "\0" + signer;
        if (logged.size() < CACHE_LIMIT && logged.add(once)) {
            log.warn("{}: ignoring {} in the store (written by {}): {}", host, Quoted.of(key), signer,
                    o.refusal());
        }
    }

    private static boolean anyIn(Set<String> names, Set<String> set) {
        for (String n : names) {
            if (set.contains(n)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The hosts that are store voters as {@code store} knows them: a server reads the Raft
     * configuration first hand; a client trusts membership's voter advertisement and the
     * voters of the last chooser's state it accepted.
     */
    Set<String> voterHosts(Store store) {
        Set<String> out = new HashSet<>();
        if (store.isServer()) {
            store.raftMembers().forEach((id, type) -> {
                if (type == Store.Role.VOTER) {
                    out.add(hostOf(id));
                }
            });
            if (!out.isEmpty()) {
                return out;
            }
        }
        store.advertisedVoters().forEach(id -> out.add(hostOf(id)));
        out.addAll(stateVoterHosts);
        return out;
    }

    private static String hostOf(String memberId) {
        int at = memberId.lastIndexOf('@');
        return at > 0 ? memberId.substring(0, at) : memberId;
    }
}
