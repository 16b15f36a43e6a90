package dev.mgmt.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.mgmt.api.Meta;
import dev.mgmt.api.Resource;
import dev.mgmt.api.codec.ResourceCodec;
import dev.mgmt.api.codec.ResourceDecodeException;
import dev.mgmt.engine.resources.MsgResource;
import dev.mgmt.engine.resources.NoopResource;
import dev.mgmt.engine.resources.TimerResource;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PortableResourceCodecTest {

    private final ResourceCodec codec = ResourceCodec.standard();
    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());

    private Resource decode(String kind, String text) throws Exception {
        return codec.decode(kind, yaml.readTree(text));
    }

    @Test
    void registryFindsThePortableKinds() {
        assertThat(codec.registry().kinds()).contains("noop", "timer", "msg");
    }

    @Test
    void decodesMgmtSpelling() throws Exception {
        assertThat(decode("timer", "name: t\ninterval: 3\nmeta: {retry: 2, delay: 500, poll: 0, limit: 0}\n"))
                .isEqualTo(new TimerResource("t", Duration.ofSeconds(3),
                        Meta.builder().retry(2).delay(Duration.ofMillis(500)).build()));
        assertThat(decode("noop", "name: n1\n")).isEqualTo(NoopResource.of("n1"));
        assertThat(decode("msg", "name: m\nbody: hi\n")).isEqualTo(MsgResource.of("m", "hi"));
    }

    @Test
    void roundTripsThroughJson() {
        for (Resource r : new Resource[] {
                NoopResource.of("n"),
                MsgResource.failing("m", "boom").withMeta(Meta.builder().sema("a:2").limit(5).burst(1).build()),
                TimerResource.every("t", Duration.ofSeconds(7))}) {
            assertThat(codec.fromJson(r.kind(), codec.toJson(r))).isEqualTo(r);
        }
    }

    @Test
    void unknownKeyIsNamed() {
        assertThatThrownBy(() -> decode("msg", "name: m\nbdy: hi\n"))
                .isInstanceOf(ResourceDecodeException.class)
                .hasMessageStartingWith("msg[m]: unknown key 'bdy'")
                .satisfies(e -> assertThat(((ResourceDecodeException) e).key()).isEqualTo("bdy"));
        assertThatThrownBy(() -> decode("msg", "name: m\nmeta: {retrys: 1}\n"))
                .hasMessageStartingWith("msg[m]: unknown key 'meta.retrys'");
    }

    @Test
    void badValueAndUnknownKindAreNamed() {
        assertThatThrownBy(() -> decode("timer", "name: t\ninterval: soon\n"))
                .hasMessageContaining("timer[t]: bad value for 'interval'");
        assertThatThrownBy(() -> decode("msg", "name: m\nmeta: {retry: x}\n"))
                .hasMessage("msg[m]: bad value for 'meta.retry': expected a whole number, found 'x'");
        assertThatThrownBy(() -> decode("nope", "name: x\n"))
                .hasMessageStartingWith("unknown resource kind 'nope' (known kinds: ");
    }
}
