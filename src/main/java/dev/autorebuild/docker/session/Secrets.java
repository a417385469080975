package dev.autorebuild.docker.session;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import dev.autorebuild.core.config.DabConfig;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * One {@code Secrets/GetSecret} call: the engine asks for a secret by id while a step with
 * {@code RUN --mount=type=secret} runs. The value is read at that moment from the file or variable
 * dab.yml names, and never kept. Our reading of the two messages, from their field numbers:
 * {@code GetSecretRequest { string ID = 1; }}, {@code GetSecretResponse { bytes data = 1; }}.
 */
final class Secrets implements GrpcCall {
    /** BuildKit refuses larger secrets. */
    static final int MAX_SIZE = 500 * 1024;

    private final Map<String, DabConfig.Secret> secrets;
    private final Reply reply;
    private String id = "";

    Secrets(Map<String, DabConfig.Secret> secrets, Reply reply) {
        this.secrets = secrets;
        this.reply = reply;
    }

    @Override
    public void message(byte[] message) {
        try {
            CodedInputStream in = CodedInputStream.newInstance(message);
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                if (WireFormat.getTagFieldNumber(tag) == 1) {
                    id = in.readString();
                } else {
                    in.skipField(tag);
                }
            }
        } catch (IOException e) {
            id = "";
        }
    }

    @Override
    public void halfClosed(boolean reset) {
        if (reset) {
            return;
        }
        DabConfig.Secret secret = secrets.get(id);
        if (secret == null) { // BuildKit runs the step without it, unless the mount says required=true
            reply.finish(NOT_FOUND, "secret " + id + " not found: dab.yml names no secret '" + id + "' (build.secrets." + id + ")");
            return;
        }
        byte[] value;
        try {
            value = read(secret);
        } catch (IOException e) {
            reply.finish(UNKNOWN, "secret " + id + " (" + secret + " in dab.yml): " + e.getMessage());
            return;
        }
        reply.send(response(value));
        reply.finish(OK, "");
    }

    private static byte[] read(DabConfig.Secret secret) throws IOException {
        byte[] value;
        if (secret.kind() == DabConfig.Secret.Kind.ENV) {
            String text = System.getenv(secret.source());
            if (text == null) {
                throw new IOException("the daemon's environment has no " + secret.source()
                        + "; the daemon keeps the environment it was started in: set it and start the daemon again");
            }
            value = text.getBytes(StandardCharsets.UTF_8);
        } else {
            try {
                Path file = Path.of(secret.source());
                if (Files.size(file) > MAX_SIZE) {
                    throw new IOException("the file is larger than BuildKit's limit for a secret (500 KiB)");
                }
                value = Files.readAllBytes(file);
            } catch (NoSuchFileException e) {
                throw new IOException("no such file");
            }
        }
        if (value.length > MAX_SIZE) {
            throw new IOException("the value is larger than BuildKit's limit for a secret (500 KiB)");
        }
        return value;
    }

    private static byte[] response(byte[] value) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(value.length + 8);
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            out.writeByteArray(1, value);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // a byte array does not fail
        }
    }
}
