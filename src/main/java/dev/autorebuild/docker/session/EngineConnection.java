package dev.autorebuild.docker.session;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A raw, full-duplex byte connection to the engine, upgraded from HTTP/1.1 by {@link #upgrade}. The
 * streams over a {@link SocketChannel} are our own: the JDK's {@code Channels.newInputStream} and
 * {@code newOutputStream} share one lock, so a blocked read would stop every write.
 */
final class EngineConnection implements Closeable {
    private static final int MAX_HEADER = 64 * 1024;

    private final InputStream in;
    private final OutputStream out;
    private final Closeable closer;

    private EngineConnection(InputStream in, OutputStream out, Closeable closer) {
        this.in = in;
        this.out = out;
        this.closer = closer;
    }

    static EngineConnection over(SocketChannel channel) {
        InputStream in = new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return len == 0 ? 0 : channel.read(ByteBuffer.wrap(b, off, len));
            }
        };
        OutputStream out = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            }
        };
        return new EngineConnection(in, out, channel);
    }

    static EngineConnection over(Socket socket) throws IOException {
        return new EngineConnection(socket.getInputStream(), socket.getOutputStream(), socket);
    }

    InputStream in() {
        return in;
    }

    OutputStream out() {
        return out;
    }

    /**
     * Sends {@code POST path} asking to switch to {@code protocol}, and reads the engine's answer up to
     * the end of its headers, not a byte further: what follows belongs to the new protocol.
     *
     * @throws IOException with the engine's own message when it does not switch
     */
    void upgrade(String path, String protocol, List<Map.Entry<String, String>> headers) throws IOException {
        StringBuilder request = new StringBuilder("POST ").append(path).append(" HTTP/1.1\r\n")
                .append("Host: docker\r\n")
                .append("Connection: Upgrade\r\n")
                .append("Upgrade: ").append(protocol).append("\r\n")
                .append("Content-Length: 0\r\n");
        headers.forEach(h -> request.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n"));
        request.append("\r\n");
        out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        String head = readHead();
        String status = head.lines().findFirst().orElse("");
        if (!status.matches("HTTP/1\\.[01] 101( .*)?")) {
            throw new IOException("the engine refused the session (" + status.strip() + ")" + refusalBody(head));
        }
    }

    private String readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the engine closed the connection before answering");
            }
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
            if (head.size() > MAX_HEADER) {
                throw new IOException("the engine's answer has no end of headers");
            }
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** The body of a refusal, when it says how long it is (the engine answers JSON with a message). */
    private String refusalBody(String head) {
        long length = head.lines()
                .filter(l -> l.toLowerCase(Locale.ROOT).startsWith("content-length:"))
                .mapToLong(l -> Long.parseLong(l.substring(l.indexOf(':') + 1).strip()))
                .findFirst().orElse(0);
        if (length <= 0 || length > MAX_HEADER) {
            return "";
        }
        try {
            String body = new String(in.readNBytes((int) length), StandardCharsets.UTF_8).strip();
            return body.isEmpty() ? "" : ": " + body;
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() throws IOException {
        closer.close();
    }
}
