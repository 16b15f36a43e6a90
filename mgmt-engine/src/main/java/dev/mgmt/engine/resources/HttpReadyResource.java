package dev.mgmt.engine.resources;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import dev.mgmt.api.Durations;
import dev.mgmt.api.Meta;
import dev.mgmt.api.Quoted;
import dev.mgmt.api.Refreshable;
import dev.mgmt.api.Report;
import dev.mgmt.api.Resource;
import dev.mgmt.api.Warnings;
import dev.mgmt.api.codec.DurationParams;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Kind {@code http:ready}: a URL answers as expected, waited for. The "deploy, then wait until
 * healthy" step: resources after it run only once the service answers.
 *
 * <p>Parameters:
 * <ul>
 *   <li>{@code url}: {@code http://} or {@code https://}, with a host. User-info
 *       ({@code user:password@}) is sent as {@code Authorization: Basic} and never shown in a
 *       message or log.</li>
 *   <li>{@code status}: the expected status, or a list of them; default {@code 200}.</li>
 *   <li>{@code contains}: text (UTF-8) the body must contain, a plain substring of its first
 *       MiB, not a pattern; default: the body does not matter.</li>
 *   <li>{@code headers}: extra request headers.</li>
 *   <li>{@code timeout}: how long the apply waits, default 60 s; {@code interval}: the pause
 *       after each answer that is not the expected one, default 1 s; {@code request_timeout}:
 *       for one request, from sending it until its status, headers and the body looked at have
 *       all come (a server that stalls mid-body is not ready), default 5 s. In YAML a bare number counts
 *       seconds, or a duration such as {@code 500ms} or {@code 2m}.</li>
 * </ul>
 *
 * <p><b>Check</b>: one GET; {@code true} when it answers as expected. <b>Apply</b>: GET again,
 * {@code interval} after each other answer, until one is as expected, or fails after
 * {@code timeout} naming the last answer ({@code status 503}, {@code could not connect ...}).
 * A refresh over a {@code notify} edge (the service was redeployed) waits the same way.
 * <b>Watch</b>: none of its own; with {@code meta.poll: N} the engine checks every N seconds
 * (and a URL that stops answering is waited for again), without it the URL is checked when the
 * graph starts and on refresh. Redirects are not followed, no proxy is used; see
 * {@link HttpProbe}.
 *
 * <p>Why not mgmt's name {@code http:client}: mgmt's is a download (of a URL into a file,
 * with {@code file}, {@code method}, {@code sha256}, long polling); this is a readiness check,
 * and an mgmt graph's {@code http:client} should fail as unknown, not be run as something else.
 *
 * <p>Equality covers the parameters and meta.
 *
 * <pre>{@code
 * HttpReadyResource up = HttpReadyResource.builder("app-up").url("http://127.0.0.1:8080/actuator/health")
 *         .contains("\"UP\"").timeout(Duration.ofMinutes(2)).build();
 * }</pre>
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class HttpReadyResource implements Resource, Refreshable, Warnings {

    /** The kind name, {@code http:ready}. */
    public static final String KIND = "http:ready";

    private final String name;
    private final String url;
    private final List<Integer> status;
    private final String contains;
    private final Map<String, String> headers;
    private final Duration timeout;
    private final Duration interval;
    private final Duration requestTimeout;
    private final Meta meta;

    private HttpReadyResource(Builder b) {
        this.name = Objects.requireNonNull(b.name, "name");
        this.url = b.url == null ? "" : b.url;
        this.status = List.copyOf(new TreeSet<>(b.status));
        this.contains = b.contains == null || b.contains.isEmpty() ? null : b.contains;
        this.headers = Collections.unmodifiableMap(new TreeMap<>(b.headers));
        this.timeout = Objects.requireNonNull(b.timeout, "timeout");
        this.interval = Objects.requireNonNull(b.interval, "interval");
        this.requestTimeout = Objects.requireNonNull(b.requestTimeout, "requestTimeout");
        this.meta = b.meta == null ? Meta.DEFAULTS : b.meta;
    }

    /** Decodes the YAML form. */
    @JsonCreator
    static HttpReadyResource decode(@JsonProperty(value = "name", required = true) String name,
                                    @JsonProperty("url") String url,
                                    @JsonProperty("status")
                                    @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
                                    List<Integer> status,
                                    @JsonProperty("contains") String contains,
                                    @JsonProperty("headers") Map<String, String> headers,
                                    @JsonProperty("timeout") @JsonDeserialize(using = DurationParams.Seconds.class)
                                    Duration timeout,
                                    @JsonProperty("interval") @JsonDeserialize(using = DurationParams.Seconds.class)
                                    Duration interval,
                                    @JsonProperty("request_timeout")
                                    @JsonDeserialize(using = DurationParams.Seconds.class) Duration requestTimeout,
                                    @JsonProperty("meta") Meta meta) {
        Builder b = builder(name).url(url).contains(contains).meta(meta);
        if (status != null) {
            b.status(status.stream().mapToInt(Integer::intValue).toArray());
        }
        if (headers != null) {
            b.headers(headers);
        }
        if (timeout != null) {
            b.timeout(timeout);
        }
        if (interval != null) {
            b.interval(interval);
        }
        if (requestTimeout != null) {
            b.requestTimeout(requestTimeout);
        }
        return b.build();
    }

    /** A builder for a check named {@code name}; set at least {@link Builder#url}. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** {@code url} answering status 200, waited for with the defaults. */
    public static HttpReadyResource of(String name, String url) {
        return builder(name).url(url).build();
    }

    /** A builder holding this resource's parameters. */
    public Builder toBuilder() {
        return builder(name).url(url).status(status.stream().mapToInt(Integer::intValue).toArray()).contains(contains)
                .headers(headers).timeout(timeout).interval(interval).requestTimeout(requestTimeout).meta(meta);
    }

    /** This resource with other meta parameters. */
    public HttpReadyResource withMeta(Meta meta) {
        return toBuilder().meta(meta).build();
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

    /** The URL as given, user-info included. */
    @JsonProperty("url")
    public String url() {
        return url;
    }

    /** The expected statuses, ascending. */
    @JsonProperty("status")
    public List<Integer> status() {
        return status;
    }

    /** Text the body must contain, or {@code null}. */
    @JsonProperty("contains")
    public String contains() {
        return contains;
    }

    /** Extra request headers, by name. */
    @JsonProperty("headers")
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public Map<String, String> headers() {
        return headers;
    }

    /** How long the apply waits for the expected answer. */
    @JsonIgnore
    public Duration timeout() {
        return timeout;
    }

    /** The pause after each answer that is not the expected one. */
    @JsonIgnore
    public Duration interval() {
        return interval;
    }

    /** The bound on one request, from sending it until the status, headers and body looked at have come. */
    @JsonIgnore
    public Duration requestTimeout() {
        return requestTimeout;
    }

    @JsonProperty("timeout")
    String timeoutYaml() {
        return Durations.format(timeout);
    }

    @JsonProperty("interval")
    String intervalYaml() {
        return Durations.format(interval);
    }

    @JsonProperty("request_timeout")
    String requestTimeoutYaml() {
        return Durations.format(requestTimeout);
    }

    @Override
    @JsonProperty("meta")
    public Meta meta() {
        return meta;
    }

    @Override
    public List<String> validate() {
        List<String> out = new ArrayList<>();
        HttpTarget target = null;
        try {
            target = HttpTarget.parse(url);
        } catch (IllegalArgumentException e) {
            out.add(e.getMessage());
        }
        if (status.isEmpty()) {
            out.add("status: must list at least one status");
        }
        for (int s : status) {
            if (s < 100 || s > 599) {
                out.add("status: " + s + " is not an HTTP status (100 to 599)");
            }
        }
        positive("timeout", timeout, out);
        positive("interval", interval, out);
        positive("request_timeout", requestTimeout, out);
        HttpReadyHeaders.problems(headers, target, out);
        return out;
    }

    /** User-info in an {@code http://} URL: the password crosses the network in clear. */
    @Override
    public List<String> warnings() {
        try {
            HttpTarget t = HttpTarget.parse(url);
            return t.authorization() != null && t.request().getScheme().equals("http")
                    ? List.of("url: its user-info (a password) is sent in clear over http://; use https://") : List.of();
        } catch (IllegalArgumentException e) {
            return List.of(); // validate() says what is wrong
        }
    }

    private static void positive(String key, Duration d, List<String> out) {
        if (d.isZero() || d.isNegative()) {
            out.add(key + ": must be positive, was " + Durations.format(d));
        }
    }

    /** Armed, then silent: {@code meta.poll} replaces it to check at an interval. */
    @Override
    public Flux<?> watch() {
        return Watches.armedThenNever();
    }

    @Override
    public Mono<Boolean> check() {
        return Mono.defer(() -> probe(Schedulers.parallel()).ask()).map(HttpAnswer::ready);
    }

    @Override
    public Mono<Void> apply() {
        return Mono.defer(() -> await(Schedulers.parallel(), probe(Schedulers.parallel())::ask));
    }

    /** The service may have been redeployed: wait for it again. */
    @Override
    public Mono<Void> refresh() {
        return apply();
    }

    /** The wait of {@link #apply()}, on {@code time}, asking through {@code ask}; for tests in virtual time. */
    Mono<Void> await(Scheduler time, Supplier<Mono<HttpAnswer>> ask) {
        return HttpWait.until(ask, interval, timeout, time).flatMap(p -> switch (p.phase()) {
            case READY -> Report.say(shown() + " answered as expected after " + p.attempts()
                    + (p.attempts() == 1 ? " request" : " requests") + ": " + p.last().said());
            default -> Mono.error(new IOException(this + ": " + shown() + " did not answer as expected (" + expected()
                    + ") within " + Durations.format(timeout) + " (" + p.attempts()
                    + (p.attempts() == 1 ? " answer" : " answers") + "); " + (p.last() == null
                    ? "no answer came (the first request was still out)" : "last: " + p.last().said())));
        });
    }

    private HttpProbe probe(Scheduler time) {
        return new HttpProbe(HttpTarget.parse(url), headers, Set.copyOf(status), contains, requestTimeout, time);
    }

    /** The URL without its user-info. */
    private String shown() {
        try {
            return HttpTarget.parse(url).shown();
        } catch (IllegalArgumentException e) {
            return "(invalid url)";
        }
    }

    private String expected() {
        String s = "status " + status.stream().map(String::valueOf).collect(Collectors.joining(" or "));
        return contains == null ? s : s + " with a body containing " + Quoted.of(contains);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HttpReadyResource h && h.name.equals(name) && h.url.equals(url) && h.status.equals(status)
                && Objects.equals(h.contains, contains) && h.headers.equals(headers) && h.timeout.equals(timeout)
                && h.interval.equals(interval) && h.requestTimeout.equals(requestTimeout) && h.meta.equals(meta);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, url, status, contains, headers, timeout, interval, requestTimeout, meta);
    }

    @Override
    public String toString() {
        return KIND + "[" + name + "]";
    }

    /** Builds an {@link HttpReadyResource}; everything but the name and the URL has a default. */
    public static final class Builder {
        private String name;
        private String url;
        private List<Integer> status = List.of(200);
        private String contains;
        private Map<String, String> headers = Map.of();
        private Duration timeout = Duration.ofSeconds(60);
        private Duration interval = Duration.ofSeconds(1);
        private Duration requestTimeout = Duration.ofSeconds(5);
        private Meta meta = Meta.DEFAULTS;

        private Builder(String name) {
            this.name = name;
        }

        /** The resource's name. */
        public Builder name(String v) { name = v; return this; }
        /** {@code http://} or {@code https://}, with a host. */
        public Builder url(String v) { url = v; return this; }
        /** The expected statuses (any of them); default 200. */
        public Builder status(int... v) {
            status = java.util.Arrays.stream(v).boxed().collect(Collectors.toList());
            return this;
        }
        /** Text the body must contain; {@code null} when the body does not matter. */
        public Builder contains(String v) { contains = v; return this; }
        /** Extra request headers, by name; a {@code null} value is an error of {@code validate()}. */
        public Builder headers(Map<String, String> v) { headers = new TreeMap<>(v); return this; }
        /** How long the apply waits; default 60 s. */
        public Builder timeout(Duration v) { timeout = v; return this; }
        /** The pause after an answer that is not the expected one; default 1 s. */
        public Builder interval(Duration v) { interval = v; return this; }
        /** For one request, until its status, headers and the body looked at have come; default 5 s. */
        public Builder requestTimeout(Duration v) { requestTimeout = v; return this; }
        /** The meta parameters; default {@link Meta#DEFAULTS}. */
        public Builder meta(Meta v) { meta = v; return this; }

        /** The resource (the name must be set); {@link HttpReadyResource#validate()} checks the rest. */
        public HttpReadyResource build() {
            return new HttpReadyResource(this);
        }
    }
}
