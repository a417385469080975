package dev.autorebuild.cli;

import java.io.PrintWriter;
import java.util.Optional;

/**
 * The entry point {@code bin/auto-rebuild} uses for a command to a running daemon ({@code -s ...}): it
 * touches neither picocli's model nor Quarkus, so a JVM that maps its classes from the launcher's
 * class-data archive answers {@code -s status} in a few hundred milliseconds. Any other arguments go
 * to {@link Main}, unchanged.
 */
public final class ClientMain {
    private ClientMain() {
    }

    public static void main(String... args) throws Exception {
        Optional<ClientArgs> client = ClientArgs.parse(args);
        if (client.isEmpty()) {
            Main.main(args);
            return;
        }
        PrintWriter out = new PrintWriter(System.out);
        PrintWriter err = new PrintWriter(System.err);
        int exitCode = new DaemonControl(out, err).run(client.get().command(), client.get().target(), client.get().names());
        out.flush();
        err.flush();
        System.exit(exitCode);
    }
}
