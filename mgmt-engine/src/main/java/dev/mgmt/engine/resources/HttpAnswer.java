package dev.mgmt.engine.resources;

/**
 * What one request of {@code http:ready} found.
 *
 * @param ready whether it is the expected answer (status, and body when one is expected)
 * @param said  what it was, for messages: {@code status 503}, {@code connection refused};
 *              never holds the URL's user-info
 */
record HttpAnswer(boolean ready, String said) {
}
