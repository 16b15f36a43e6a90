package dev.mgmt.engine.resources;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.mgmt.api.Meta;
import dev.mgmt.api.Quoted;
import dev.mgmt.api.Refreshable;
import dev.mgmt.api.Resource;
import dev.mgmt.api.SystemLog;
import dev.mgmt.api.Warnings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Kind {@code msg}: logs its body once, and again on every refresh, as mgmt's {@code msg}.
 * With {@code fail} set its apply fails instead, which makes failure handling easy to
 * demonstrate and test.
 *
 * <p>mgmt's keys for the host's logs:
 * <ul>
 *   <li>{@code journal}: also send it to the systemd journal (identifier {@code mgmt}).</li>
 *   <li>{@code syslog}: also send it to the local syslog daemon ({@code /dev/log}, facility
 *       {@code daemon}).</li>
 *   <li>{@code priority}: one of mgmt's names {@value #PRIORITIES}, exactly so spelled; empty
 *       means {@code Notice}, as in mgmt.</li>
 *   <li>{@code fields}: extra journal fields. As in mgmt, a name has letters, digits and
 *       {@code _} and does not begin with {@code _}; the journal takes only upper-case names
 *       that do not begin with a digit (at most 64 characters), so others are not sent and the
 *       loader warns. {@code MESSAGE}, {@code PRIORITY} and {@code SYSLOG_IDENTIFIER} are msg's
 *       own (from {@code body}, {@code priority} and {@code mgmt}) and refused as fields.</li>
 * </ul>
 * The delivery comes from a {@link SystemLog} found with {@link ServiceLoader}
 * (mgmt-resources-linux has it). When the journal or syslog is missing the apply fails, naming
 * the socket, as mgmt's journal does: the user asked for the message to be there. The body is
 * logged first all the same, and is not logged again when the apply is retried. In noop mode
 * nothing is logged or sent.
 *
 * <p>Equality covers the parameters only; what was delivered yet is run state.
 */
public final class MsgResource implements Resource, Refreshable, Warnings {

    public static final String KIND = "msg";
    /** mgmt's priority names, most severe first; the index is the syslog severity. */
    public static final String PRIORITIES = "Emerg, Alert, Crit, Err, Warning, Notice, Info, Debug";
    private static final List<String> LEVELS = List.of(PRIORITIES.split(", "));
    private static final int NOTICE = 5;
    /** The journal fields every message carries; a user field of one of these names is refused. */
    private static final List<String> OWN_FIELDS = List.of("MESSAGE", "PRIORITY", "SYSLOG_IDENTIFIER");
    private static final String OWN_FIELDS_FROM = "MESSAGE from body, PRIORITY from priority, SYSLOG_IDENTIFIER is mgmt";
    private static final Logger log = LoggerFactory.getLogger("dev.mgmt.msg");

    private final String name;
    private final String body;
    private final boolean fail;
    private final String priority;
    private final Map<String, String> fields;
    private final boolean journal;
    private final boolean syslog;
    private final Meta meta;

    // Run state, outside equality: what this run delivered since the last refresh.
    private boolean logged;
    private boolean journaled;
    private boolean syslogged;

    @JsonCreator
    public MsgResource(@JsonProperty(value = "name", required = true) String name,
                       @JsonProperty("body") String body,
                       @JsonProperty("fail") boolean fail,
                       @JsonProperty("priority") String priority,
                       @JsonProperty("fields") Map<String, String> fields,
                       @JsonProperty("journal") boolean journal,
                       @JsonProperty("syslog") boolean syslog,
                       @JsonProperty("meta") Meta meta) {
        this.name = Objects.requireNonNull(name, "name");
        this.body = body == null ? "" : body;
        this.fail = fail;
        this.priority = priority == null ? "" : priority;
        this.fields = fields == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(fields));
        for (String own : OWN_FIELDS) {
            // The journal would get two values of it: msg's own and this one.
            if (this.fields.containsKey(own)) {
                throw new IllegalArgumentException("fields: " + Quoted.of(own) + " is set by msg itself ("
                        + OWN_FIELDS_FROM + "); give your field another name");
            }
        }
        this.journal = journal;
        this.syslog = syslog;
        this.meta = meta == null ? Meta.DEFAULTS : meta;
    }

    /** A message that logs {@code body}. */
    public static MsgResource of(String name, String body) {
        return new MsgResource(name, body, false, null, null, false, false, Meta.DEFAULTS);
    }

    /** A message whose apply always fails with {@code body} as the reason. */
    public static MsgResource failing(String name, String body) {
        return new MsgResource(name, body, true, null, null, false, false, Meta.DEFAULTS);
    }

    /** This message, also sent to the systemd journal with {@code priority} (mgmt's name) and {@code fields}. */
    public MsgResource toJournal(String priority, Map<String, String> fields) {
        return new MsgResource(name, body, fail, priority, fields, true, syslog, meta);
    }

    /** This message, also sent to syslog. */
    public MsgResource toSyslog() {
        return new MsgResource(name, body, fail, priority, fields, journal, true, meta);
    }

    /** This message with other meta parameters. */
    public MsgResource withMeta(Meta meta) {
        return new MsgResource(name, body, fail, priority, fields, journal, syslog, meta);
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

    @JsonProperty("body")
    public String body() {
        return body;
    }

    @JsonProperty("fail")
    public boolean fail() {
        return fail;
    }

    /** mgmt's priority name as given; empty for the default, {@code Notice}. */
    @JsonProperty("priority")
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public String priority() {
        return priority;
    }

    /** Extra journal fields, by name. */
    @JsonProperty("fields")
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public Map<String, String> fields() {
        return fields;
    }

    @JsonProperty("journal")
    @JsonInclude(JsonInclude.Include.NON_DEFAULT)
    public boolean journal() {
        return journal;
    }

    @JsonProperty("syslog")
    @JsonInclude(JsonInclude.Include.NON_DEFAULT)
    public boolean syslog() {
        return syslog;
    }

    @Override
    @JsonProperty("meta")
    public Meta meta() {
        return meta;
    }

    /** The syslog severity: 0 for {@code Emerg} to 7 for {@code Debug}; {@code Notice} (5) when empty. */
    public int severity() {
        int i = LEVELS.indexOf(priority);
        return i < 0 ? NOTICE : i;
    }

    @Override
    public List<String> validate() {
        List<String> out = new ArrayList<>();
        if (!priority.isEmpty() && !LEVELS.contains(priority)) {
            out.add("priority: " + Quoted.of(priority) + " is not one of " + PRIORITIES);
        }
        for (String f : fields.keySet()) {
            if (f.isEmpty() || !f.chars().allMatch(c -> c == '_' || (c < 128 && Character.isLetterOrDigit(c)))) {
                out.add("fields: " + Quoted.of(f) + " is not a field name (letters, digits and '_')");
            } else if (f.startsWith("_")) {
                out.add("fields: " + Quoted.of(f) + " begins with '_', which the journal keeps for its own fields");
            }
        }
        return out;
    }

    /** Fields the journal would drop (mgmt accepts them); and fields without the journal. */
    @Override
    public List<String> warnings() {
        List<String> out = new ArrayList<>();
        if (!fields.isEmpty() && !journal) {
            out.add("fields: ignored without journal: true (only the journal takes fields)");
        }
        for (String f : fields.keySet()) {
            if (!journalName(f) && validate().stream().noneMatch(m -> m.startsWith("fields: " + Quoted.of(f)))) {
                out.add("fields: " + Quoted.of(f) + " is not sent: the journal takes only upper-case letters,"
                        + " digits and '_', not starting with a digit, at most 64 characters");
            }
        }
        return out;
    }

    private static boolean journalName(String f) {
        return !f.isEmpty() && f.length() <= 64 && !Character.isDigit(f.charAt(0))
                && f.chars().allMatch(c -> c == '_' || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'));
    }

    @Override
    public Flux<?> watch() {
        return Watches.armedThenNever();
    }

    @Override
    public Mono<Boolean> check() {
        return Mono.fromSupplier(this::delivered);
    }

    private synchronized boolean delivered() {
        return logged && (!journal || journaled) && (!syslog || syslogged);
    }

    @Override
    public Mono<Void> apply() {
        return Mono.fromRunnable(this::say);
    }

    @Override
    public Mono<Void> refresh() {
        return Mono.fromRunnable(() -> {
            synchronized (this) {
                logged = false;
                journaled = false;
                syslogged = false;
            }
            say();
        });
    }

    /** Logs, then sends what was not sent yet; a retry after a failed send does not log again. */
    private synchronized void say() {
        if (fail) {
            throw new IllegalStateException("msg[" + name + "] fails as configured: " + body);
        }
        if (!logged) {
            log.info("msg[{}]: {}", name, body);
            logged = true;
        }
        try {
            if (journal && !journaled) {
                Map<String, String> sent = new TreeMap<>(fields);
                sent.keySet().removeIf(f -> !journalName(f));
                systemLog("journal").journal(body, severity(), sent);
                journaled = true;
            }
            if (syslog && !syslogged) {
                systemLog("syslog").syslog(body, severity());
                syslogged = true;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(this + ": " + e.getMessage(), e);
        }
    }

    private static SystemLog systemLog(String key) throws IOException {
        return Delivery.LOG.orElseThrow(() -> new IOException(key
                + ": this build cannot reach the host's logs (mgmt-resources-linux is not on the class path)"));
    }

    /** Looked up once, when a message first goes to the journal or syslog. */
    private static final class Delivery {
        static final Optional<SystemLog> LOG = ServiceLoader.load(SystemLog.class, MsgResource.class.getClassLoader())
                .findFirst();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MsgResource m && m.name.equals(name) && m.body.equals(body) && m.fail == fail
                && m.priority.equals(priority) && m.fields.equals(fields) && m.journal == journal
                && m.syslog == syslog && m.meta.equals(meta);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, body, fail, priority, fields, journal, syslog, meta);
    }

    @Override
    public String toString() {
        return "msg[" + name + "]";
    }
}
