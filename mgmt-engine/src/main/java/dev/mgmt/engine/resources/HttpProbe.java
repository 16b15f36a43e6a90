package dev.mgmt.engine.resources;

import dev.mgmt.api.Durations;
import dev.mgmt.api.Quoted;
import java.io.ByteArrayOutputStream;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * One GET of an {@code http:ready}'s URL, answered as an {@link HttpAnswer}: never an error,
 * since a URL that cannot be reached is simply not ready yet.
 *
 * <p>One client for the JVM, with the JDK's {@code java.net.http}: HTTP/1.1, redirects never
 * followed (a {@code 3xx} is a status like any other), no proxy (neither
 * {@code -Dhttp.proxyHost} nor the environment), the JVM's trust store and host name
 * verification for {@code https}. Of the body only the first {@value #BODY_LIMIT} bytes are
 * read, and only when a body is expected and the status is; then the connection is dropped.
 *
 * <p>One deadline covers the whole exchange: connecting, the status and headers, and the part
 * of the body that is read. A server that sends its headers and then stalls or trickles the
 * body is not ready, and is dropped when the deadline passes.
 */
final class HttpProbe {

    /** Bytes of a body looked at, at most; the rest is not read. */
    static final int BODY_LIMIT = 1 << 20;

    private final HttpTarget target;
    private final HttpRequest request;
    private final Set<Integer> statuses;
    private final byte[] contains;
    private final Duration timeout;
    private final Scheduler time;

    /**
     * @param contains text the body must contain, or {@code null} when the body does not matter
     * @param timeout  for one request: from sending it until the status, the headers and the
     *                 body looked at have all come
     * @param time     keeps that deadline
     */
    HttpProbe(HttpTarget target, Map<String, String> headers, Set<Integer> statuses, String contains,
              Duration timeout, Scheduler time) {
        this.target = target;
        this.statuses = statuses;
        this.contains = contains == null ? null : contains.getBytes(StandardCharsets.UTF_8);
        this.timeout = timeout;
        this.time = time;
        HttpRequest.Builder b = HttpRequest.newBuilder(target.request()).GET().timeout(timeout);
        headers.forEach(b::header);
        if (target.authorization() != null) {
            b.header("Authorization", target.authorization());
        }
        this.request = b.build();
    }

    /** Asks once, within the timeout; cancelling the Mono cancels the request. */
    Mono<HttpAnswer> ask() {
        return Mono.defer(() -> {
            AtomicReference<Prefix> reading = new AtomicReference<>();
            return Mono.fromFuture(Client.SHARED.sendAsync(request, info -> {
                        Prefix p = new Prefix(info.statusCode(),
                                contains != null && statuses.contains(info.statusCode()) ? BODY_LIMIT : 0);
                        reading.set(p);
                        return p;
                    }), false)
                    .doOnCancel(() -> {
                        Prefix p = reading.get();
                        if (p != null) {
                            p.cancel(); // the body's connection too, not only the future
                        }
                    })
                    .timeout(timeout, time)
                    .map(r -> answer(r.statusCode(), r.body()))
                    .onErrorResume(TimeoutException.class, e -> Mono.just(timedOut(reading.get())))
                    .onErrorResume(e -> Mono.just(new HttpAnswer(false, target.scrub(failure(e)))));
        });
    }

    /** @param reading the body being read, or {@code null} when the headers had not come */
    private HttpAnswer timedOut(Prefix reading) {
        String within = " within " + Durations.format(timeout);
        return new HttpAnswer(false, reading == null ? "no answer" + within
                : "status " + reading.status + ", but the body did not come" + within);
    }

    private HttpAnswer answer(int status, byte[] body) {
        if (!statuses.contains(status)) {
            return new HttpAnswer(false, "status " + status);
        }
        if (contains != null && indexOf(body, contains) < 0) {
            return new HttpAnswer(false, "status " + status + ", but the body" + (body.length >= BODY_LIMIT
                    ? " (its first " + BODY_LIMIT / 1024 + " KiB)" : "") + " does not contain "
                    + Quoted.of(new String(contains, StandardCharsets.UTF_8)));
        }
        return new HttpAnswer(true, "status " + status);
    }

    private String failure(Throwable e) {
        Throwable t = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (t instanceof HttpConnectTimeoutException) {
            return "no connection within " + Durations.format(timeout);
        }
        if (t instanceof HttpTimeoutException) {
            return "no answer within " + Durations.format(timeout);
        }
        String said = null;
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof UnresolvedAddressException || c instanceof UnknownHostException) {
                return "could not resolve the host name " + Quoted.of(target.request().getHost());
            }
            if (said == null && c.getMessage() != null && !c.getMessage().isEmpty()) {
                said = c.getMessage();
            }
        }
        if (t instanceof ConnectException) {
            // The JDK's client says nothing more for a refused connection.
            return "could not connect" + (said == null ? " (refused or unreachable)" : ": " + said);
        }
        return t.getClass().getSimpleName() + (said == null ? "" : ": " + said);
    }

    /**
     * Where {@code needle} first occurs in {@code hay}, or {@code -1}: Knuth-Morris-Pratt, so
     * linear in both lengths whatever the body holds (a naive search costs body × needle).
     */
    static int indexOf(byte[] hay, byte[] needle) {
        if (needle.length == 0) {
            return 0;
        }
        // fail[j]: the length of the longest proper prefix of needle[0..j] that is also its suffix.
        int[] fail = new int[needle.length];
        for (int j = 1, k = 0; j < needle.length; j++) {
            while (k > 0 && needle[j] != needle[k]) {
                k = fail[k - 1];
            }
            if (needle[j] == needle[k]) {
                k++;
            }
            fail[j] = k;
        }
        for (int i = 0, k = 0; i < hay.length; i++) {
            while (k > 0 && hay[i] != needle[k]) {
                k = fail[k - 1];
            }
            if (hay[i] == needle[k]) {
                k++;
            }
            if (k == needle.length) {
                return i - k + 1;
            }
        }
        return -1;
    }

    /** Made on first use: a JVM that never asks starts no client threads. */
    private static final class Client {
        static final HttpClient SHARED = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .proxy(HttpClient.Builder.NO_PROXY)
                .build();
    }

    /** The first {@code limit} bytes of a body; then the rest is refused (the connection dropped). */
    private static final class Prefix implements HttpResponse.BodySubscriber<byte[]> {
        final int status;
        private final int limit;
        private final ByteArrayOutputStream got = new ByteArrayOutputStream();
        private final CompletableFuture<byte[]> body = new CompletableFuture<>();
        private volatile Flow.Subscription subscription;
        private volatile boolean cancelled;

        Prefix(int status, int limit) {
            this.status = status;
            this.limit = limit;
        }

        /** Drops the body (and so the connection), now or as soon as it is subscribed. */
        void cancel() {
            cancelled = true;
            Flow.Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return body;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (cancelled) {
                s.cancel();
            } else if (limit == 0) {
                s.cancel();
                body.complete(new byte[0]);
            } else {
                s.request(1);
            }
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            for (ByteBuffer b : items) {
                int n = Math.min(b.remaining(), limit - got.size());
                byte[] chunk = new byte[n];
                b.get(chunk);
                got.write(chunk, 0, n);
            }
            if (got.size() >= limit) {
                subscription.cancel();
                body.complete(got.toByteArray());
            } else {
                subscription.request(1);
            }
        }

        @Override
        public void onError(Throwable t) {
            body.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            body.complete(got.toByteArray());
        }
    }
}
