package dev.mgmt.cluster;

/**
 * An export or a value is over one of the {@link StoreLimits}: nothing was written, and trying
 * again cannot help. The message is one line for the operator, naming what is too large, its
 * size and the limit, for example {@code cannot export: host 'b' exports 2.0 MiB, over the limit
 * of 256 KiB per host (StoreLimits.maxExportBytes); largest: file[big] 2.0 MiB}.
 */
public class StoreLimitException extends IllegalArgumentException {

    public StoreLimitException(String message) {
        super(message);
    }
}
