package dev.autorebuild.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Certificates made with openssl for an engine reached over mutual TLS, as Docker's own guide makes them:
 * a CA, a server certificate for 127.0.0.1 ({@code serverAuth}), and a client certificate ({@code clientAuth})
 * in the layout the Docker CLI reads from DOCKER_CERT_PATH: ca.pem, cert.pem, key.pem.
 */
public final class TlsFiles {
    private TlsFiles() {}

    /** Makes {@code dir} hold ca.pem, ca-key.pem, server-cert.pem, server-key.pem, cert.pem and key.pem; returns it. */
    public static Path make(Path dir, String caName) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca-key.pem", "-out", "ca.pem", "-days", "2", "-subj", "/CN=" + caName);
        Files.writeString(dir.resolve("server.ext"), "subjectAltName = IP:127.0.0.1\nextendedKeyUsage = serverAuth\n");
        openssl(dir, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server-key.pem", "-out", "server.csr", "-subj", "/CN=127.0.0.1");
        openssl(dir, "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca-key.pem", "-CAcreateserial", "-out", "server-cert.pem",
                "-days", "2", "-extfile", "server.ext");
        Files.writeString(dir.resolve("client.ext"), "extendedKeyUsage = clientAuth\n");
        openssl(dir, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "key.pem", "-out", "client.csr", "-subj", "/CN=client");
        openssl(dir, "x509", "-req", "-in", "client.csr", "-CA", "ca.pem", "-CAkey", "ca-key.pem", "-CAcreateserial", "-out", "cert.pem",
                "-days", "2", "-extfile", "client.ext");
        return dir;
    }

    private static void openssl(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Command result = Command.run(Duration.ofMinutes(1), command, dir);
        assertEquals(0, result.exitCode(), String.join(" ", command) + ": " + result.output() + result.errors());
    }
}
