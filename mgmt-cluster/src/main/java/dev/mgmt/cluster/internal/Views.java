package dev.mgmt.cluster.internal;

import dev.mgmt.api.Quoted;
import dev.mgmt.api.Resource;
import dev.mgmt.api.codec.ResourceCodec;
import dev.mgmt.cluster.Exported;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

/** Live views of the {@link Mirror}: the entries under a prefix, and other hosts' exports decoded. */
final class Views {

    private static final Logger log = LoggerFactory.getLogger(Views.class);

    private final String host;
    private final Mirror mirror;
    private final Supplier<ResourceCodec> makeCodec;
    private final Timing timing;
    /** Parts of other hosts' exports that cannot be decoded, as last logged, per kind. */
    private final OncePerKey undecodable = new OncePerKey();
    private volatile ResourceCodec codec;

    Views(String host, Mirror mirror, Supplier<ResourceCodec> makeCodec, Timing timing) {
        this.host = host;
        this.mirror = mirror;
        this.makeCodec = makeCodec;
        this.timing = timing;
    }

    /** The codec, made on first use: loading every resource kind costs start-up time. */
    ResourceCodec codec() {
        ResourceCodec c = codec;
        if (c == null) {
            synchronized (this) {
                if (codec == null) {
                    codec = makeCodec.get();
                }
                c = codec;
            }
        }
        return c;
    }

    /** Other hosts' exported resources of {@code kind}, at once and on each change. */
    Flux<List<Exported>> collect(String kind) {
        return view(StoreKeys.EXPORTED)
                .map(docs -> decodeOthers(docs, kind))
                .distinctUntilChanged();
    }

    private List<Exported> decodeOthers(Map<String, String> docs, String kind) {
        List<Exported> out = new ArrayList<>();
        Set<String> problems = new LinkedHashSet<>();
        for (Map.Entry<String, String> e : docs.entrySet()) {
            String from = e.getKey();
            if (from.equals(host)) {
                continue;
            }
            for (ExportDoc.Item i : ExportDoc.decodeItems(codec(), e.getValue(), kind,
                    (why, ex) -> problems.add(Quoted.of(from) + "'s export: " + why))) {
                out.add(new Exported(from, i.resource(), i.to()));
            }
        }
        // Every change of any export decodes them all again: a bad part is logged once while it lasts.
        for (String p : undecodable.fresh(kind, problems)) {
            log.warn("{}: skipping part of {}", host, p);
        }
        out.sort(Comparator.comparing(Exported::host).thenComparing(x -> x.resource().name()));
        return List.copyOf(out);
    }

    /** The entries under {@code prefix} (cut off): the current map at once, then each change. */
    Flux<Map<String, String>> view(String prefix) {
        Flux<Map<String, String>> raw = Flux.create(sink -> {
            Mirror.Listener l = new Mirror.Listener() {
                @Override
                public void changed(Set<String> keys) {
                    for (String k : keys) {
                        if (k.startsWith(prefix)) {
                            sink.next(mirror.snapshot(prefix));
                            return;
                        }
                    }
                }

                @Override
                public void closed() {
                    sink.complete();
                }
            };
            if (mirror.subscribe(l, () -> sink.next(mirror.snapshot(prefix)))) {
                sink.onDispose(() -> mirror.unsubscribe(l));
            }
        }, FluxSink.OverflowStrategy.BUFFER);
        // Deliver off the store's event thread: a slow subscriber must not stall the mirror.
        return raw.distinctUntilChanged().publishOn(timing.delivery());
    }
}
