package dev.mgmt.cluster.internal.atomix;

import dev.mgmt.cluster.ClusterException;
import dev.mgmt.cluster.StoreLimitException;
import dev.mgmt.cluster.internal.Causes;
import dev.mgmt.cluster.internal.Store;
import dev.mgmt.cluster.internal.StoreUnavailableException;
import io.atomix.cluster.messaging.MessagingException;
import io.atomix.primitive.PrimitiveException;
import io.atomix.storage.StorageException;
import java.io.IOException;
import java.util.concurrent.TimeoutException;

/**
 * Turns Atomix's failures into the {@link Store}'s: {@link StoreUnavailableException} for what
 * a retry may cure, {@link StoreLimitException} for an entry the store refused as too large,
 * {@link ClusterException} for the rest. Belongs with {@link RaftStore}.
 */
final class AtomixFailures {

    private AtomixFailures() {
    }

    static RuntimeException translate(Throwable e) {
        Throwable t = unwrap(e);
        if (tooLarge(t)) {
            return new StoreLimitException("the store refused the entry as too large: " + RaftStore.rootMessage(t));
        }
        if (t instanceof ClusterException c) {
            return c;
        }
        if (t instanceof IllegalArgumentException i) {
            return i;
        }
        if (t instanceof TimeoutException || t instanceof PrimitiveException.Timeout) {
            return new StoreUnavailableException(message(t, "the store did not answer in time"), t, false);
        }
        if (t instanceof MessagingException.NoRemoteHandler) {
            return new StoreUnavailableException(message(t, "the store server the client talks to has stopped"),
                    t, true);
        }
        if (t instanceof PrimitiveException.UnknownSession || t instanceof PrimitiveException.ClosedSession) {
            return new StoreUnavailableException(message(t, "the store session was lost"), t, false);
        }
        if (t instanceof PrimitiveException.Unavailable || t instanceof PrimitiveException.QueryFailure
                || t instanceof PrimitiveException.CommandFailure
                // "Connection reset by peer" when the leader dies mid-write; the writes are idempotent
                || t instanceof IOException) {
            return new StoreUnavailableException(message(t, "the store is unavailable"), t, false);
        }
        return new ClusterException(message(t, "the store failed"), t);
    }

    private static String message(Throwable t, String otherwise) {
        String m = RaftStore.rootMessage(t);
        return m == null || m.equals(t.getClass().getSimpleName()) ? otherwise : m;
    }

    private static boolean tooLarge(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof StorageException.TooLarge) {
                return true;
            }
        }
        return false;
    }

    private static Throwable unwrap(Throwable e) {
        return Causes.unwrap(e);
    }
}
