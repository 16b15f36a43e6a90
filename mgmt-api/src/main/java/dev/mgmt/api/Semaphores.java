package dev.mgmt.api;

/** Parses the {@code id} / {@code id:N} semaphore notation of {@link Meta#sema()}. */
public final class Semaphores {

    private Semaphores() {
    }

    /** A named counting semaphore with its size. */
    public record Spec(String id, int size) {
    }

    /**
     * Parses {@code id} (size 1) or {@code id:N}.
     *
     * @throws IllegalArgumentException naming the bad text
     */
    public static Spec parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("semaphore id must not be blank");
        }
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            return new Spec(text, 1);
        }
        String id = text.substring(0, colon);
        String n = text.substring(colon + 1);
        int size;
        try {
            size = Integer.parseInt(n);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("semaphore '" + text + "' must be id or id:N with N a whole number");
        }
        if (id.isBlank() || size < 1) {
            throw new IllegalArgumentException("semaphore '" + text + "' must be id or id:N with N >= 1");
        }
        return new Spec(id, size);
    }
}
