package dev.mgmt.cluster;

import dev.mgmt.api.Claims;
import dev.mgmt.api.CollectPolicy;
import dev.mgmt.api.Collectable;
import dev.mgmt.api.Meta;
import dev.mgmt.api.Placeable;
import dev.mgmt.api.Quoted;
import dev.mgmt.api.Resource;
import dev.mgmt.api.ResourceKind;
import dev.mgmt.api.Reversible;
import dev.mgmt.api.Uid;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Test kind {@code slot}: a small file-like resource (a real file holding {@code content}, or
 * none when {@code state} is {@code absent}) with every capability the cluster uses: claims,
 * safe parameters, placement into the collect's directory as {@code host:name}, and reversal.
 * It keeps the cluster's tests free of the Linux resources (the real {@code file} is tested
 * through the CLI).
 */
public record Slot(String name, String path, String content, String state, String mode, Meta meta)
        implements Resource, Claims, Collectable, Placeable, Reversible {

    public static final String KIND = "slot";

    public Slot {
        path = path == null ? "" : path;
        content = content == null ? "" : content;
        state = state == null ? "" : state;
        mode = mode == null ? "" : mode;
        meta = meta == null ? Meta.DEFAULTS : meta;
    }

    /** A slot holding {@code content} at {@code path}. */
    public static Slot of(String name, String path, String content) {
        return new Slot(name, path, content, "", "", Meta.DEFAULTS);
    }

    /** A slot at {@code path}, named after it, holding {@code content}. */
    public static Slot at(String path, String content) {
        return of(path, path, content);
    }

    public Slot withMeta(Meta m) {
        return new Slot(name, path, content, state, mode, m);
    }

    public Slot absent() {
        return new Slot(name, path, "", "absent", mode, Meta.DEFAULTS);
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public List<String> validate() {
        List<String> out = new ArrayList<>();
        if (!path.startsWith("/")) {
            out.add("path: must be absolute, was " + Quoted.of(path));
        }
        if (!mode.isEmpty() && !mode.matches("[0-7]{3,4}")) {
            out.add("mode: " + Quoted.of(mode) + " is not an octal file mode");
        }
        if (!state.isEmpty() && !state.equals("absent")) {
            out.add("state: must be absent or left out, was " + Quoted.of(state));
        }
        return out;
    }

    @Override
    public Flux<?> watch() {
        return Flux.concat(Flux.just(Boolean.TRUE), Flux.never());
    }

    @Override
    public Mono<Boolean> check() {
        return Mono.fromCallable(() -> {
            Path p = Path.of(path);
            if (state.equals("absent")) {
                return !Files.exists(p);
            }
            return Files.isRegularFile(p) && Files.readString(p).equals(content);
        });
    }

    @Override
    public Mono<Void> apply() {
        return Mono.fromRunnable(() -> {
            try {
                Path p = Path.of(path);
                if (state.equals("absent")) {
                    Files.deleteIfExists(p);
                } else {
                    Files.createDirectories(p.getParent());
                    // Replaced in one step, as a file is: a reader never sees it half written.
                    Path tmp = Files.createTempFile(p.getParent(), ".slot", ".tmp");
                    Files.writeString(tmp, content);
                    Files.move(tmp, p, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                            java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @Override
    public List<Uid> claims() {
        return List.of(Uid.of("path", path));
    }

    @Override
    public Set<String> safeFromPeers() {
        return Set.of("path", "content", "mode");
    }

    /** Into the pattern directory under its base name, named {@code host:name}; no way out. */
    @Override
    public CollectPolicy.Admission placed(String pattern, String exporter) {
        if (path.contains("..") || !Quoted.isPlain(path) || path.indexOf('\0') >= 0 || path.endsWith("/")) {
            return new CollectPolicy.Refused("its path " + Quoted.of(path) + " cannot be placed");
        }
        String base = Path.of(path).getFileName() == null ? "" : Path.of(path).getFileName().toString();
        if (base.isEmpty()) {
            return new CollectPolicy.Refused("its path " + Quoted.of(path) + " cannot be placed");
        }
        return new CollectPolicy.Taken(new Slot(exporter + ":" + name,
                Path.of(pattern).resolve(base).toString(), content, state, mode, meta));
    }

    @Override
    public Slot reversed() {
        if (state.equals("absent")) {
            throw new IllegalStateException("an absent slot has no reversal");
        }
        return absent();
    }

    /** Registers kind {@code slot}. */
    public static final class Kind implements ResourceKind<Slot> {
        @Override
        public String kind() {
            return KIND;
        }

        @Override
        public Class<Slot> type() {
            return Slot.class;
        }
    }
}
