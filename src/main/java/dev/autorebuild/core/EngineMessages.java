package dev.autorebuild.core;

/** An engine's error as one line of a log or status: its first line, at most 160 characters. */
public final class EngineMessages {
    private EngineMessages() {
    }

    public static String oneLine(RuntimeException e) {
        String message = String.valueOf(e.getMessage()).strip();
        int end = message.indexOf('\n');
        message = end < 0 ? message : message.substring(0, end);
        return message.length() <= 160 ? message : message.substring(0, 160) + "...";
    }
}
