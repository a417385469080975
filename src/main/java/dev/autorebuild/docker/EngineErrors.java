package dev.autorebuild.docker;

/** An engine or transport failure as one line: its message, and its root cause's when that says more. */
final class EngineErrors {
    private EngineErrors() {}

    static String message(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = e.getMessage() == null ? root.toString() : e.getMessage();
        if (root != e && root.getMessage() != null && !message.contains(root.getMessage())) {
            message += " (" + root.getMessage() + ")";
        }
        return message.strip();
    }
}
