package dev.autorebuild.engine;

/** The configuration cannot be used; the message lists each problem as {@code file:line:column: message}. */
public final class InvalidConfigException extends RuntimeException {
    public InvalidConfigException(String problems) {
        super(problems);
    }
}
