package dev.mgmt.cluster;

import dev.mgmt.api.Collectable;
import dev.mgmt.api.Meta;
import dev.mgmt.api.Resource;
import dev.mgmt.api.ResourceKind;
import dev.mgmt.api.Reversible;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Test kind {@code bell}, like {@code exec}: it writes {@code marker} when it rings, its
 * reversal removes it, it has no placement (collected under its own name), and taking one from
 * a peer needs trust.
 */
public record Bell(String name, String marker, Meta meta) implements Resource, Collectable, Reversible {

    public static final String KIND = "bell";

    public Bell {
        marker = marker == null ? "" : marker;
        meta = meta == null ? Meta.DEFAULTS : meta;
    }

    public static Bell of(String name, Path marker) {
        return new Bell(name, marker.toString(), Meta.DEFAULTS);
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Flux<?> watch() {
        return Flux.concat(Flux.just(Boolean.TRUE), Flux.never());
    }

    @Override
    public Mono<Boolean> check() {
        return Mono.fromCallable(() -> marker.startsWith("-") ? !Files.exists(Path.of(marker.substring(1)))
                : Files.exists(Path.of(marker)));
    }

    @Override
    public Mono<Void> apply() {
        return Mono.fromRunnable(() -> {
            try {
                if (marker.startsWith("-")) {
                    Files.deleteIfExists(Path.of(marker.substring(1)));
                } else {
                    Files.writeString(Path.of(marker), name + "\n");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @Override
    public Set<String> safeFromPeers() {
        return Set.of("marker");
    }

    @Override
    public Optional<String> trustNeeded() {
        return Optional.of("it rings a bell a peer chooses on this host");
    }

    /** The bell that takes its marker away ({@code -path}). */
    @Override
    public Bell reversed() {
        return new Bell(name, "-" + marker, Meta.DEFAULTS);
    }

    /** Registers kind {@code bell}. */
    public static final class Kind implements ResourceKind<Bell> {
        @Override
        public String kind() {
            return KIND;
        }

        @Override
        public Class<Bell> type() {
            return Bell.class;
        }
    }
}
