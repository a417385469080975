package dev.autorebuild.docker;

import java.io.IOException;
import java.util.Optional;

/**
 * How a daemon connects to the engine it chose: straight to its address, or, for {@code ssh://}, through
 * an {@link SshTunnel} whose private socket every client (the API client, BuildKit sessions) uses
 * instead. What is shown to the user stays the chosen target.
 */
public final class EngineLink implements AutoCloseable {
    private final EngineTarget connect;
    private final Optional<SshTunnel> tunnel;

    private EngineLink(EngineTarget connect, Optional<SshTunnel> tunnel) {
        this.connect = connect;
        this.tunnel = tunnel;
    }

    public static EngineLink open(EngineTarget chosen) throws IOException {
        if (!chosen.ssh()) {
            return new EngineLink(chosen, Optional.empty());
        }
        SshTunnel tunnel = SshTunnel.open(chosen.host());
        return new EngineLink(new EngineTarget(tunnel.localHost(), Optional.empty(), false, chosen.source()), Optional.of(tunnel));
    }

    /** The address clients connect to (a tunnel's socket for an SSH engine). */
    public EngineTarget connectTo() {
        return connect;
    }

    /** What the transport itself last said went wrong ({@code ssh says "…"}), for a message about a failed connection. */
    public Optional<String> transportError() {
        return tunnel.flatMap(SshTunnel::lastError).map(line -> "ssh says \"" + line + "\"");
    }

    @Override
    public void close() {
        tunnel.ifPresent(SshTunnel::close);
    }
}
