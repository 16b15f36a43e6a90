package dev.mgmt.api;

/**
 * Capability of a resource kind whose collected copy is placed on the collecting host rather
 * than taken as it is: a {@code file} exported as {@code /etc/ssh/key.pub} is written into the
 * collect's directory, named after its exporter. The placement is also where the kind confines
 * what a peer may reach: a {@code file} refuses a path that climbs out with {@code ..}, a name
 * that is not plain, or a symlink where the copy would go.
 *
 * <p>A kind that does not implement this is collected as it is, under its own name. Its name
 * is then its identity on the collecting host (a package, a service): two hosts exporting the
 * same {@code kind[name]} are one resource here, taken from the first exporter by host name;
 * an export that differs from the one taken is refused with the reason.
 *
 * <pre>{@code
 * if (exported instanceof Placeable p && p.placed("/srv/keys/", "b") instanceof CollectPolicy.Taken t) {
 *     graph.add(t.resource());   // file[b:key] at /srv/keys/key.pub
 * }
 * }</pre>
 */
public interface Placeable {

    /**
     * The resource this host manages for this collected copy, or why it is refused. Its name
     * must be unique among every exporter's copies of the kind (a {@code file} is named
     * {@code exporter:name}).
     *
     * @param pattern  the collect's pattern, this host's own choice (for {@code file}, a directory)
     * @param exporter the host that exported it, a plain name
     */
    CollectPolicy.Admission placed(String pattern, String exporter);
}
