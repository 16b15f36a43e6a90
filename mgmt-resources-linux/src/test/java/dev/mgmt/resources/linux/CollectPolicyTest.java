package dev.mgmt.resources.linux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mgmt.api.Collect;
import dev.mgmt.api.CollectPolicy;
import dev.mgmt.api.CollectPolicy.Admission;
import dev.mgmt.api.CollectPolicy.Refused;
import dev.mgmt.api.CollectPolicy.Taken;
import dev.mgmt.api.Meta;
import dev.mgmt.api.Resource;
import dev.mgmt.api.codec.ResourceCodec;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Issue 11, finding 1: a collected resource takes from its exporter only what the collector
 * allows. One row per parameter a peer must not choose, with the refusal it gets.
 */
class CollectPolicyTest {

    private static final ResourceCodec CODEC = ResourceCodec.standard();
    private static final CollectPolicy POLICY = new CollectPolicy(CODEC);
    private static final Collect FILES = new Collect("file", "/srv/in/");

    private static Resource file(String json) {
        return CODEC.fromJson("file", json);
    }

    private static Admission admit(Collect c, String host, Resource r) {
        return POLICY.admit(c, host, r);
    }

    private static String refusal(Admission a) {
        assertThat(a).isInstanceOf(Refused.class);
        return ((Refused) a).reason();
    }

    @Test
    void byDefaultPathContentAndAPlainModeAreTaken() {
        Resource r = file("{\"name\":\"x\",\"path\":\"/etc/x\",\"content\":\"hi\\n\",\"mode\":\"0640\"}");
        assertThat(admit(FILES, "a", r)).isEqualTo(new Taken(r));
        Resource bare = file("{\"name\":\"y\"}");
        assertThat(admit(FILES, "a", bare)).isEqualTo(new Taken(bare));
        // state: exists is the default, so saying it is not setting anything.
        Resource exists = file("{\"name\":\"z\",\"path\":\"/z\",\"state\":\"exists\",\"content\":\"\"}");
        assertThat(admit(FILES, "a", exists)).isInstanceOf(Taken.class);
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of("{\"name\":\"x\",\"source\":\"/usr/bin/id\",\"mode\":\"0755\"}",
                        "it sets source to '/usr/bin/id'", "source"),
                Arguments.of("{\"name\":\"x\",\"owner\":\"root\"}", "it sets owner to 'root'", "owner"),
                Arguments.of("{\"name\":\"x\",\"group\":\"0\"}", "it sets group to '0'", "group"),
                Arguments.of("{\"name\":\"x/\",\"force\":true}", "it sets force to 'true'", "force"),
                Arguments.of("{\"name\":\"x/\",\"recurse\":true}", "it sets recurse to 'true'", "recurse"),
                Arguments.of("{\"name\":\"x\",\"state\":\"absent\"}", "it sets state to 'absent'", "state"),
                Arguments.of("{\"name\":\"x\",\"content\":\"#!\",\"mode\":\"4755\"}",
                        "its mode '4755' sets the setuid bit", "mode"),
                Arguments.of("{\"name\":\"x\",\"mode\":\"2755\"}", "its mode '2755' sets the setgid bit", "mode"),
                Arguments.of("{\"name\":\"x\",\"mode\":\"1777\"}", "its mode '1777' sets the sticky bit", "mode"),
                Arguments.of("{\"name\":\"x\",\"mode\":\"06755\"}",
                        "its mode '06755' sets the setuid and setgid bits", "mode"),
                // The value is shown escaped, in one line.
                Arguments.of("{\"name\":\"x\",\"owner\":\"ro\\not\\u202e\"}", "it sets owner to 'ro\\not\\u202e'",
                        "owner"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void refused(String json, String reason, String param) {
        String why = refusal(admit(FILES, "a", file(json)));
        assertThat(why).contains(reason)
                .contains("which this host does not take from peers")
                .endsWith("(to take it, the collect must allow it: allow: [" + param + "])");
        assertThat(why).doesNotContain("\n").doesNotContain("\u202e");
    }

    @Test
    void everyOffendingParameterIsNamedInOneRefusal() {
        String why = refusal(admit(FILES, "a",
                file("{\"name\":\"x\",\"source\":\"/etc/shadow\",\"mode\":\"0644\",\"owner\":\"root\"}")));
        assertThat(why).contains("it sets source to '/etc/shadow'").contains("it sets owner to 'root'")
                .contains("allow: [").contains("source").contains("owner");
        assertThat(why).doesNotContain("mode");
    }

    @Test
    void metaIsReplacedByTheDefaultsUnlessAllowed() {
        Meta wild = Meta.builder().retry(-1).delay(Duration.ZERO).build();
        FileResource r = FileResource.builder("x").content("hi").meta(wild).build();
        Admission a = admit(FILES, "a", r);
        assertThat(a).isInstanceOf(Taken.class);
        FileResource taken = (FileResource) ((Taken) a).resource();
        assertThat(taken.meta()).isEqualTo(Meta.DEFAULTS);
        assertThat(taken.withMeta(wild)).isEqualTo(r);

        assertThat(admit(FILES.allow("meta"), "a", r)).isEqualTo(new Taken(r));
        assertThat(((Taken) admit(FILES.allow("meta", "b"), "a", r)).resource().meta()).isEqualTo(Meta.DEFAULTS);
    }

    @Test
    void grantsArePerHost() {
        Collect c = FILES.allow("owner", "a").allow("mode", "a");
        Resource r = file("{\"name\":\"x\",\"owner\":\"root\",\"mode\":\"4755\"}");
        assertThat(admit(c, "a", r)).isEqualTo(new Taken(r));
        String why = refusal(admit(c, "b", r));
        assertThat(why).contains("it sets owner to 'root'").contains("setuid").contains("allow: [owner, mode]");
        // A grant with no hosts is for every host.
        assertThat(admit(FILES.allow("owner").allow("mode"), "b", r)).isEqualTo(new Taken(r));
        assertThat(c.allows("owner", "a")).isTrue();
        assertThat(c.allows("owner", "b")).isFalse();
        assertThat(c.allows("group", "a")).isFalse();
    }

    @Test
    void aKindWithoutCollectableRefusesAnyParameterThatIsNotItsDefault() {
        Collect msgs = new Collect("msg", "");
        Resource msg = CODEC.fromJson("msg", "{\"name\":\"x\",\"body\":\"hello\"}");
        assertThat(msg).isNotInstanceOf(dev.mgmt.api.Collectable.class);
        assertThat(refusal(admit(msgs, "a", msg))).contains("it sets body to 'hello'").contains("allow: [body]");
        assertThat(admit(msgs.allow("body"), "a", msg)).isInstanceOf(Taken.class);
    }

    /** Issue 13: exec is refused whatever it sets unless the collect trusts its peers; then it is taken whole. */
    @Test
    void execNeedsTrustAndThenTakesEveryParameter() {
        Collect execs = new Collect("exec", "");
        Resource exec = CODEC.fromJson("exec", "{\"name\":\"x\",\"cmd\":\"touch /tmp/pwned\"}");
        assertThat(refusal(admit(execs, "a", exec))).startsWith("it runs a command a peer chooses on this host")
                .contains("trust: true");
        assertThat(refusal(admit(execs.allow("cmd"), "a", exec))).contains("trust: true");
        assertThat(admit(execs.trust(), "a", exec)).isEqualTo(new Taken(exec));
    }

    @Test
    void anotherKindThanTheCollectsIsRefused() {
        assertThat(refusal(admit(new Collect("exec", ""), "a", file("{\"name\":\"x\"}"))))
                .isEqualTo("it is a 'file', not a exec");
    }
}
