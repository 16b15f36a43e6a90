package dev.mgmt.engine;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.mgmt.api.Meta;
import dev.mgmt.api.Resource;
import dev.mgmt.api.ResourceKind;
import dev.mgmt.api.Warnings;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** A resource with one parameter of each type, for tests of how YAML values are read. */
record ProbeResource(String name, String text, Integer count, Double ratio, Boolean flag, List<String> items,
                     Meta meta) implements Resource, Warnings {

    static final ResourceKind<ProbeResource> KIND = new ResourceKind<>() {
        @Override
        public String kind() {
            return "probe";
        }

        @Override
        public Class<ProbeResource> type() {
            return ProbeResource.class;
        }
    };

    @JsonCreator
    ProbeResource(@JsonProperty(value = "name", required = true) String name,
                  @JsonProperty("text") String text,
                  @JsonProperty("count") Integer count,
                  @JsonProperty("ratio") Double ratio,
                  @JsonProperty("flag") Boolean flag,
                  @JsonProperty("items") List<String> items,
                  @JsonProperty("meta") Meta meta) {
        this.name = name;
        this.text = text;
        this.count = count;
        this.ratio = ratio;
        this.flag = flag;
        this.items = items;
        this.meta = meta == null ? Meta.DEFAULTS : meta;
    }

    @Override
    public String kind() {
        return "probe";
    }

    @Override
    public List<String> warnings() {
        return Boolean.TRUE.equals(flag) && text != null ? List.of("text: ignored when flag is set") : List.of();
    }

    @Override
    public Flux<?> watch() {
        return Flux.never();
    }

    @Override
    public Mono<Boolean> check() {
        return Mono.just(true);
    }

    @Override
    public Mono<Void> apply() {
        return Mono.empty();
    }
}
