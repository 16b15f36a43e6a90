package dev.mgmt.engine.internal;

import dev.mgmt.api.SendKey;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The values one run of a sender sent: written on the work thread, read by the loop once the
 * call has returned (the loop task that learns it happens after).
 */
final class RunSink implements SendKey.Sink {

    private final Set<SendKey<?, ?>> wanted;
    private final Map<SendKey<?, ?>, Object> values = new LinkedHashMap<>(4);

    RunSink(Set<SendKey<?, ?>> wanted) {
        this.wanted = wanted;
    }

    @Override
    public boolean wants(SendKey<?, ?> key) {
        return wanted.contains(key);
    }

    @Override
    public synchronized void sent(SendKey<?, ?> key, Object value) {
        values.put(key, value);
    }

    @Override
    public synchronized void withheld(SendKey<?, ?> key, String why) {
        values.put(key, new Exchange.Withheld(why));
    }

    /** Puts what was sent into {@code last}, replacing what is there per key. */
    synchronized void drainTo(Map<SendKey<?, ?>, Object> last) {
        last.putAll(values);
        values.clear();
    }
}
