package dev.autorebuild.cli;

import com.github.dockerjava.api.DockerClient;
import dev.autorebuild.config.FileConfigSource;
import dev.autorebuild.docker.DockerClients;
import dev.autorebuild.docker.EngineLink;
import dev.autorebuild.docker.EngineTarget;
import dev.autorebuild.docker.EngineTargets;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * The engine a start will use, chosen and checked before anything starts: a context that does not
 * exist, TLS files that are missing or invalid, a certificate the engine refuses, or a TLS engine asked
 * without TLS will not fix themselves, so each is one line and exit 1. An engine that does not answer
 * yet is waited for later.
 */
final class EngineChoice {
    private EngineChoice() {}

    static EngineTarget resolve(FileConfigSource config) throws EngineTargets.Unusable {
        return EngineTargets.resolve(config.engine(), System.getenv(), Path.of(System.getProperty("user.home")));
    }

    /**
     * The engine to use; empty, with the reason printed, when it cannot be used. With {@code ask}, an
     * engine over TCP or SSH is also asked once (a TLS handshake, an ssh login), which can take up to
     * 10 s or 40 s when it does not answer.
     */
    static Optional<EngineTarget> checked(FileConfigSource config, PrintWriter err, boolean ask) {
        try {
            EngineTarget target = resolve(config);
            DockerClients.check(target);
            if (ask && target.host().startsWith("tcp://")) {
                handshake(target);
            } else if (ask && target.ssh()) {
                sshLogin(target);
            }
            return Optional.of(target);
        } catch (EngineTargets.Unusable e) {
            err.println("auto-rebuild: " + e.getMessage() + "; nothing was started");
            err.flush();
            return Optional.empty();
        }
    }

    /**
     * A TLS engine that takes connections but refuses our certificate (or we refuse its): the one
     * failure a wait would not end. With TLS 1.3 the engine's refusal arrives after the handshake, as a
     * broken connection, so any failure on a port that accepts connections counts.
     */
    private static void handshake(EngineTarget target) throws EngineTargets.Unusable {
        try (DockerClient client = DockerClients.forTarget(target)) {
            java.util.concurrent.CompletableFuture.runAsync(() -> client.pingCmd().exec()).get(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            return; // slow to answer is not refused: the daemon waits for it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | RuntimeException | IOException failure) {
            Throwable e = failure instanceof java.util.concurrent.ExecutionException ? failure.getCause() : failure;
            if (acceptsConnections(target.host())) {
                String why = e.getMessage();
                for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                    if (cause instanceof SSLException || cause instanceof java.net.SocketException) {
                        why = cause.getMessage();
                    }
                }
                if (!target.tls()) {
                    throw new EngineTargets.Unusable("the engine " + target.describe() + " takes connections but refused our request ("
                            + firstLine(why) + "): " + (String.valueOf(why).contains("HTTPS") ? "it wants TLS with a client certificate: set "
                            + "DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH to the folder with ca.pem, cert.pem and key.pem (or engine.cert-path "
                            + "in dab.yml)" : "check that DOCKER_HOST names a Docker engine"));
                }
                throw new EngineTargets.Unusable("the engine " + target.describe() + " takes connections but the TLS exchange failed (" + why
                        + "): it refused our client certificate, or its certificate is not signed by ca.pem; check that cert.pem and key.pem "
                        + "were issued by the CA the engine trusts (dockerd --tlscacert) and that ca.pem signed the engine's own certificate");
            }
            // not answering (yet): the daemon waits for it, as for a local engine
        }
    }

    /**
     * An SSH engine whose login fails (a key the host refuses, a host not in known_hosts, no docker
     * there) will not fix itself either: ssh's own line says which. One that does not answer yet is
     * waited for, as any engine.
     */
    private static void sshLogin(EngineTarget target) throws EngineTargets.Unusable {
        // a ping whose answer is bounded: ssh's ConnectTimeout is 30 s, so a slow login still answers within it
        try (EngineLink link = EngineLink.open(target);
             DockerClient client = DockerClients.forTarget(link.connectTo(), java.time.Duration.ofSeconds(40))) {
            try {
                client.pingCmd().exec();
            } catch (RuntimeException failure) {
                java.util.Optional<String> said = link.transportError();
                // "ssh: connect to host … Connection refused / timed out": the machine is not answering (yet), which
                // the daemon waits out as for any engine; everything else ssh says is a refusal
                // without a word from ssh (no answer in time, say) it is not a refusal either: the daemon waits for it
                if (said.isPresent() && !said.get().contains("connect to host")) {
                    throw new EngineTargets.Unusable("cannot reach the engine " + target.describe() + " over SSH: " + said.get()
                            + "; the daemon runs ssh without a terminal (BatchMode), so the login must need no prompt: a key ssh finds "
                            + "(~/.ssh or an agent) that the host accepts, the host already in known_hosts (ssh it once by hand), and docker "
                            + "on the remote PATH");
                }
            }
        } catch (IOException e) {
            throw new EngineTargets.Unusable("cannot set up the SSH connection to " + target.describe() + ": " + e.getMessage());
        }
    }

    private static String firstLine(String text) {
        String line = String.valueOf(text).strip();
        return line.contains("\n") ? line.substring(0, line.indexOf('\n')) : line;
    }

    private static boolean acceptsConnections(String host) {
        java.net.URI uri = java.net.URI.create(host);
        if (!"tcp".equals(uri.getScheme()) || uri.getHost() == null) {
            return false;
        }
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress(uri.getHost(), uri.getPort() < 0 ? 2376 : uri.getPort()), 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
