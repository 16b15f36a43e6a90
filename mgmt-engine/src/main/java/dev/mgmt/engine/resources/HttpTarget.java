package dev.mgmt.engine.resources;

import dev.mgmt.api.Quoted;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/**
 * The URL of an {@code http:ready}, taken apart: what is requested and shown (without the
 * user-info), and the user-info as an {@code Authorization: Basic} header value. Messages and
 * logs only ever see {@link #shown()}.
 *
 * @param request       the URL without its user-info
 * @param shown         the same, as text for messages
 * @param authorization {@code Basic ...} from the user-info, or {@code null} when there is none
 * @param secret        the user-info as written, to scrub from any message; {@code null} when none
 */
record HttpTarget(URI request, String shown, String authorization, String secret) {

    /**
     * Parses {@code url}: {@code http} or {@code https}, with a host, without a fragment.
     *
     * @throws IllegalArgumentException with a message that starts {@code url:} and never holds the user-info
     */
    static HttpTarget parse(String url) {
        if (url == null || url.isEmpty()) {
            throw new IllegalArgumentException("url: must be given (http:// or https://, with a host)");
        }
        URI u;
        try {
            u = new URI(url);
        } catch (URISyntaxException e) {
            // Not echoed: the text may hold a password.
            throw new IllegalArgumentException("url: is not a URL (" + e.getReason() + " at index " + e.getIndex() + ")");
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("url: must start with http:// or https://, was "
                    + (u.getScheme() == null ? "no scheme" : Quoted.of(u.getScheme() + ":")));
        }
        if (u.getHost() == null) {
            throw new IllegalArgumentException("url: has no host (or one that is not a valid host name), after "
                    + Quoted.of(scheme + "://"));
        }
        String shown = scheme + "://" + u.getHost() + (u.getPort() >= 0 ? ":" + u.getPort() : "")
                + (u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath())
                + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
        if (u.getRawFragment() != null) {
            throw new IllegalArgumentException("url: " + Quoted.of(shown + "#" + u.getRawFragment()) + " has a fragment"
                    + " ('#...'), which is never sent to the server; remove it, or write '#' as %23");
        }
        String userInfo = u.getRawUserInfo() == null || u.getRawUserInfo().isEmpty() ? null : u.getRawUserInfo();
        String auth = userInfo == null ? null : "Basic " + Base64.getEncoder()
                .encodeToString(u.getUserInfo().getBytes(StandardCharsets.UTF_8));
        return new HttpTarget(URI.create(shown), shown, auth, userInfo);
    }

    /**
     * {@code text} with the user-info, as written or decoded, replaced by {@code ***} where it
     * stands as in a URL, before an {@code @}; the rest of the text is left as it is, so a short
     * user-info ({@code u}) never garbles a word that happens to contain it.
     */
    String scrub(String text) {
        if (secret == null || text == null) {
            return text;
        }
        String decoded = URI.create("http://" + secret + "@h/").getUserInfo();
        String out = text.replace(secret + "@", "***@");
        return decoded == null || decoded.isEmpty() ? out : out.replace(decoded + "@", "***@");
    }

    @Override
    public String toString() {
        return shown;
    }
}
