package dev.autorebuild.docker;

import javax.net.ssl.SSLException;
import java.io.FileNotFoundException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Why the engine does not answer, as one line a person can act on: where we looked and what we got
 * (no such socket, permission denied, connection refused, a TLS error), never a stack trace.
 */
public final class EngineProblems {
    private EngineProblems() {}

    public static String describe(String address, Throwable failure) {
        return address + ": " + what(failure);
    }

    static String what(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
            if (message.contains("no such file") || t instanceof FileNotFoundException) {
                return "no such socket (is the engine installed and started?)";
            }
            if (message.contains("permission denied") || message.contains("access denied")) {
                return "permission denied";
            }
            if (message.contains("connection refused") || t instanceof ConnectException) {
                return "connection refused";
            }
            if (t instanceof UnknownHostException) {
                return "unknown host " + t.getMessage();
            }
            if (t instanceof SSLException) {
                return "a TLS error: " + t.getMessage();
            }
            if (message.contains("timed out") || message.contains("timeout")) {
                return "no answer (timed out)";
            }
            if (message.contains("failed to respond")) {
                return "the connection closed without an answer";
            }
        }
        return EngineErrors.message(failure);
    }

    /** What to do about it, for the paragraph a start prints. */
    public static String advice(String problem) {
        if (problem.contains("permission denied")) {
            return "add yourself to the docker group (sudo usermod -aG docker $USER, then log in again), or run as a user who may use the engine";
        }
        if (problem.contains("no such socket") || problem.contains("connection refused")) {
            return "start the engine (sudo systemctl start docker, or scripts/setup-debian on a bare Debian machine),"
                    + " or point DOCKER_HOST at one that runs";
        }
        if (problem.contains("TLS")) {
            return "check DOCKER_CERT_PATH (ca.pem, cert.pem, key.pem) and that the engine trusts that certificate";
        }
        return "check that the engine runs and that DOCKER_HOST names it";
    }
}
