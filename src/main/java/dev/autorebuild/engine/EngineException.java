package dev.autorebuild.engine;

/**
 * The container engine could not answer a question (it is down, or it failed): never the same as
 * "there is no such image" or "no such container", which the ports return as empty.
 */
public final class EngineException extends RuntimeException {
    public EngineException(String message, Throwable cause) {
        super(message, cause);
    }
}
