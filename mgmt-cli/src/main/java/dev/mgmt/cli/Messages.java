package dev.mgmt.cli;

import java.net.BindException;
import java.net.UnknownHostException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * A failure in the user's words. Java exceptions carry a class name, a {@code null} message or
 * the JDK's own phrasing ("Cannot assign requested address"); none of that may reach a user.
 */
final class Messages {

    private Messages() {
    }

    /** The first cause that says something, said plainly; never {@code null}, never a class name. */
    static String of(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String said = plain(t);
            if (said != null) {
                return said;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return "an unexpected error (run with -v to log its details)";
    }

    private static String plain(Throwable t) {
        if (t instanceof NoSuchFileException f) {
            return f.getFile() + ": no such file or directory";
        }
        if (t instanceof AccessDeniedException f) {
            return f.getFile() + ": permission denied";
        }
        if (t instanceof NotDirectoryException f) {
            return f.getFile() + ": not a directory";
        }
        if (t instanceof FileSystemException f && f.getReason() != null) {
            return (f.getFile() != null ? f.getFile() + ": " : "") + lower(f.getReason());
        }
        if (t instanceof UnknownHostException) {
            return t.getMessage() == null ? "unknown host" : "cannot resolve " + t.getMessage().replaceFirst(":.*", "");
        }
        if (t instanceof BindException) {
            return "cannot bind: " + (t.getMessage() == null ? "address unavailable" : lower(t.getMessage()
                    .replaceFirst(" \\(Bind failed\\)$", "")));
        }
        String m = t.getMessage();
        if (m == null || m.isBlank() || t instanceof NullPointerException || t instanceof ClassCastException) {
            return null;
        }
        // A wrapper's message is its cause's toString(): "java.io.IOException: ...".
        if (t.getCause() != null && m.equals(t.getCause().toString())) {
            return null;
        }
        return m;
    }

    private static String lower(String s) {
        return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }
}
