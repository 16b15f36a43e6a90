package dev.mgmt.cli.status;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import dev.mgmt.api.MachineName;
import dev.mgmt.api.Quoted;
import java.io.IOException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Answers only requests addressed to this listener by an IP address, {@code localhost}, this
 * host's name or the name it was given, else 421 with one line: a web page whose own name was made to resolve to this
 * host (DNS rebinding) must not read {@code /health} or {@code /vertices} in the user's browser.
 * A request without a Host header (HTTP/1.0, a script) is answered.
 */
final class HostCheck extends Filter {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern PORT = Pattern.compile(":\\d{1,5}$");

    private final Set<String> names;

    /** @param name the host name the listener was given (an address is allowed anyway), or null */
    HostCheck(String name) {
        this(name, machineName());
    }

    /** This machine's name; null when it cannot be read (the other names still answer). */
    private static String machineName() {
        try {
            return MachineName.read();
        } catch (IOException e) {
            return null;
        }
    }

    HostCheck(String name, String local) {
        Set<String> n = new HashSet<>();
        n.add("localhost");
        // A scraper that names this host as its target (a listener on every address).
        if (local != null && !local.isBlank()) {
            n.add(local.trim().toLowerCase(Locale.ROOT));
        }
        if (name != null && !name.isBlank()) {
            n.add(name.trim().toLowerCase(Locale.ROOT));
        }
        this.names = Set.copyOf(n);
    }

    /** Whether a request with this Host header is answered. */
    boolean allows(String host) {
        if (host == null) {
            return true;
        }
        String h = host.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int close = h.indexOf(']');
            return close > 1 && (close == h.length() - 1 || PORT.matcher(h.substring(close + 1)).matches());
        }
        h = PORT.matcher(h).replaceFirst("");
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        return IPV4.matcher(h).matches() || names.contains(h);
    }

    @Override
    public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        // No response is to be read as anything but its declared type (a DOT or JSON body as a script, say).
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        String host = exchange.getRequestHeaders().getFirst("Host");
        if (allows(host)) {
            chain.doFilter(exchange);
            return;
        }
        try (exchange) {
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            PageFiles.text(exchange, 421, "this listener answers to an IP address, localhost, this host's name or "
                    + "the name given in --prometheus-listen, not to " + Quoted.of(host) + "\n");
        }
    }

    @Override
    public String description() {
        return "Host header check";
    }
}
