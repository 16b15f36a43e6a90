package dev.mgmt.cli.status;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.mgmt.api.EngineEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * {@code /events}: the engine's events as server-sent events, to at most {@link #MAX_CLIENTS}
 * pages at once (503 beyond). Each page gets a thread of its own that writes to it, so an open
 * page holds no thread of the server's executor, and a slow one never delays the engine's event
 * delivery: the subscriber only queues. A page whose connection broke is dropped at the next
 * write that fails (at the latest the keep-alive comment). A page that is connected but does not
 * read makes a write block rather than fail: one that has blocked for twice the keep-alive period
 * is ended (its writer is interrupted, which closes the connection), checked every keep-alive
 * period and whenever its backlog overflows. Either way its subscription and its slot go with it.
 */
final class EventStream implements HttpHandler, AutoCloseable {

    static final int MAX_CLIENTS = 16;
    static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
    /** Events a page may fall behind by before they are dropped and it is told to redraw. */
    private static final int BACKLOG = 4096;
    /** Queued to end a stream; compared by identity, so no event can be mistaken for it. */
    @SuppressWarnings("StringOperationCanBeSimplified")
    private static final String END = new String("end");

    private final Flux<EngineEvent> events;
    private final Supplier<String> graphName;
    private final String host;
    private final Duration keepAlive;
    private final Semaphore slots = new Semaphore(MAX_CLIENTS);
    private final Set<Client> clients = ConcurrentHashMap.newKeySet();
    private final AtomicInteger counter = new AtomicInteger();
    private final Scheduler clock;
    private final Disposable watchdog;
    /**
     * The last event made into a message, and the message: the engine hands each event to every
     * page in turn on its one delivery thread, so it is made once, not once per page.
     */
    private volatile Made last = new Made(null, null);

    private record Made(EngineEvent event, String message) {
    }
    private volatile boolean closed;

    EventStream(Flux<EngineEvent> events, Supplier<String> graphName, String host, Duration keepAlive) {
        this(events, graphName, host, keepAlive, Schedulers.parallel());
    }

    /** @param clock tells the time and runs the check for stuck pages (a virtual one in tests) */
    EventStream(Flux<EngineEvent> events, Supplier<String> graphName, String host, Duration keepAlive,
                Scheduler clock) {
        this.events = events;
        this.graphName = graphName;
        this.host = host;
        this.keepAlive = keepAlive;
        this.clock = clock;
        this.watchdog = Flux.interval(keepAlive, clock).subscribe(t -> clients.forEach(Client::endIfStuck));
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        if (!exchange.getRequestMethod().equals("GET")) {
            try (exchange) {
                exchange.getResponseHeaders().set("Allow", "GET");
                PageFiles.text(exchange, 405, "only GET here\n");
            }
            return;
        }
        if (closed || !slots.tryAcquire()) {
            try (exchange) {
                exchange.getResponseHeaders().set("Retry-After", "10");
                PageFiles.text(exchange, 503, "too many live pages are open (at most " + MAX_CLIENTS
                        + "); close one and reload\n");
            }
            return;
        }
        try {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(200, 0);
        } catch (IOException | RuntimeException e) {
            slots.release();
            exchange.close();
            throw e;
        }
        Client client = new Client(exchange);
        clients.add(client);
        Thread t = new Thread(client::run, "mgmt-live-page-" + counter.incrementAndGet());
        t.setDaemon(true);
        t.start();
    }

    /** How many pages are connected now. */
    int clients() {
        return clients.size();
    }

    /** Ends every stream; later requests get 503. */
    @Override
    public void close() {
        closed = true;
        watchdog.dispose();
        clients.forEach(Client::end);
    }

    /** One page: the engine's events queue here, and its thread writes them out. */
    private String message(EngineEvent event) {
        Made l = last;
        if (l.event() != event) {
            l = new Made(event, EventMessages.of(event));
            last = l;
        }
        return l.message();
    }

    private final class Client {
        private final HttpExchange exchange;
        private final BlockingQueue<String> queue = new ArrayBlockingQueue<>(BACKLOG);
        private final AtomicBoolean dropped = new AtomicBoolean();
        private volatile Disposable subscription;
        private volatile Thread writer;
        /** When the write under way began (the clock's nanoseconds), or {@link Long#MIN_VALUE} when none is. */
        private volatile long writingSince = Long.MIN_VALUE;

        Client(HttpExchange exchange) {
            this.exchange = exchange;
        }

        void run() {
            writer = Thread.currentThread();
            try (OutputStream out = exchange.getResponseBody()) {
                // Subscribed first, so that nothing that happens after the Hello is missed.
                subscription = events.subscribe(this::offer, e -> end(), this::end);
                if (closed) {
                    end();
                }
                // retry: how soon the browser reconnects after the stream ends (a restart of mgmt).
                write(out, "retry: 2000\n" + EventMessages.hello(graphName.get(), host));
                StringBuilder batch = new StringBuilder();
                while (true) {
                    String next = queue.poll(keepAlive.toMillis(), TimeUnit.MILLISECONDS);
                    if (next == null) {
                        write(out, ": keep-alive\n\n");
                        continue;
                    }
                    batch.setLength(0);
                    boolean end = drain(next, batch);
                    if (dropped.getAndSet(false)) {
                        batch.append(EventMessages.resync());
                    }
                    if (batch.length() > 0) {
                        write(out, batch.toString());
                    }
                    if (end) {
                        return;
                    }
                }
            } catch (IOException e) {
                // The page went away (closed, reloaded, or its connection broke), or it was stuck.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                Disposable s = subscription;
                if (s != null) {
                    s.dispose();
                }
                exchange.close();
                // The slot first: a page counted as gone has given its slot back.
                slots.release();
                clients.remove(this);
            }
        }

        /** Appends {@code first} and whatever else waits; true when the stream is to end. */
        private boolean drain(String first, StringBuilder batch) {
            for (String m = first; m != null; m = queue.poll()) {
                if (m == END) {
                    return true;
                }
                batch.append(m);
            }
            return false;
        }

        private void offer(EngineEvent event) {
            String m = message(event);
            if (m != null && !queue.offer(m)) {
                dropped.set(true);
                endIfStuck();
            }
        }

        /** Ends the page when its write has blocked for twice the keep-alive period: it does not read. */
        void endIfStuck() {
            long since = writingSince;
            Thread t = writer;
            if (since != Long.MIN_VALUE && t != null
                    && clock.now(TimeUnit.NANOSECONDS) - since > 2 * keepAlive.toNanos()) {
                // A blocked write on the connection's channel ends when its thread is interrupted.
                t.interrupt();
            }
        }

        void end() {
            // Room is made for END: what it displaces was going to be dropped by the page anyway.
            while (!queue.offer(END)) {
                queue.poll();
            }
        }

        private void write(OutputStream out, String text) throws IOException {
            writingSince = clock.now(TimeUnit.NANOSECONDS);
            try {
                out.write(text.getBytes(StandardCharsets.UTF_8));
                out.flush();
            } finally {
                writingSince = Long.MIN_VALUE;
            }
        }
    }
}
