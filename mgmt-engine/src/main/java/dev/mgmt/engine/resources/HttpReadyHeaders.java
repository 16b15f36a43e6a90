package dev.mgmt.engine.resources;

import dev.mgmt.api.Quoted;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The checks of an {@code http:ready}'s extra request headers, for {@link HttpReadyResource#validate()}. */
final class HttpReadyHeaders {

    private static final Set<String> CLIENT_HEADERS = Set.of("connection", "content-length", "expect", "host", "upgrade");

    private HttpReadyHeaders() {
    }

    /**
     * Adds to {@code out} what is wrong with {@code headers}, each message starting {@code headers:}.
     *
     * @param target the parsed URL, or {@code null} when it is invalid
     */
    static void problems(Map<String, String> headers, HttpTarget target, List<String> out) {
        for (Map.Entry<String, String> h : headers.entrySet()) {
            String k = h.getKey();
            if (k.isEmpty() || !k.chars().allMatch(HttpReadyHeaders::tokenChar)) {
                out.add("headers: " + Quoted.of(k) + " is not a header name (letters, digits and !#$%&'*+-.^_`|~)");
            } else if (CLIENT_HEADERS.contains(k.toLowerCase(Locale.ROOT))) {
                out.add("headers: " + Quoted.of(k) + " is set by the HTTP client itself");
            } else if (target != null && target.authorization() != null && k.equalsIgnoreCase("authorization")) {
                out.add("headers: Authorization is given twice, here and as the url's user-info");
            }
            if (h.getValue() == null) {
                // YAML 'X-A:' with nothing after it: not taken as an empty value, which may not be what was meant.
                out.add("headers: the value of " + Quoted.of(k) + " is missing (write '' for an empty one)");
            } else if (!h.getValue().chars().allMatch(c -> c == '\t' || c >= 0x20 && c < 0x7f)) {
                // Sent as bytes on the wire: anything else would be misread, or split the request.
                out.add("headers: the value of " + Quoted.of(k) + " has a line break, a control character or"
                        + " a character outside ASCII");
            }
        }
    }

    private static boolean tokenChar(int c) {
        return c < 128 && (Character.isLetterOrDigit(c) || "!#$%&'*+-.^_`|~".indexOf(c) >= 0);
    }
}
