package dev.autorebuild.daemon;

/** A control-socket line that is not the JSON object expected; the message says what was wrong with it. */
public final class MalformedControlMessage extends Exception {
    public MalformedControlMessage(String message) {
        super(message);
    }
}
