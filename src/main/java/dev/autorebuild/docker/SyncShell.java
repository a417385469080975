package dev.autorebuild.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A shell kept running in a container for live sync ({@code sh}, run as root as the engine's archive
 * upload writes). A small batch of files goes down its stdin as base64 here-documents, each written to a
 * temporary name and moved into place: a few milliseconds, where the engine's archive upload costs
 * about 100 ms per call (it extracts in a helper process it starts each time). A container without
 * {@code sh} and {@code base64}, or a shell that ends or stops answering, leaves the batch to the upload.
 */
public final class SyncShell implements AutoCloseable {
    private static final String DONE = "dab-sync-done ";
    private static final String END_OF_FILE = "DAB_SYNC_EOF"; // not in base64's alphabet, so never inside a body

    private final Feed stdin = new Feed();
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuilder stdout = new StringBuilder();
    private final StringBuilder stderr = new StringBuilder();
    private volatile boolean ended;
    private long sequence;

    private SyncShell() {}

    /** A shell in the container, or empty when the container cannot run one with the tools a copy needs. */
    static Optional<SyncShell> open(DockerClient docker, String id, Duration timeout) {
        String exec = docker.execCreateCmd(id).withCmd("sh").withUser("0").withAttachStdin(true).withAttachStdout(true)
                .withAttachStderr(true).exec().getId();
        SyncShell shell = new SyncShell();
        docker.execStartCmd(exec).withStdIn(shell.stdin).exec(shell.new Output());
        if (shell.run("command -v base64 && command -v mkdir && command -v mv && command -v chmod", timeout) != 0) {
            shell.close();
            return Optional.empty();
        }
        return Optional.of(shell);
    }

    /**
     * docker-java's thread that copies a hijacked stream's input (this shell's) ends on an I/O error
     * whenever the container's end closes first (a restart, a replaced container): expected, and no
     * reason for a stack trace in the log.
     */
    public static boolean isExpectedEnd(Thread thread, Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return thread.getName().startsWith("docker-java-httpclient5-hijacking-stream") && root instanceof IOException;
    }

    boolean ended() {
        return ended;
    }

    /**
     * Writes the files (target in the container to source on disk); false when the shell could not (the
     * caller uploads them instead, and closes this shell).
     */
    boolean write(Map<String, Path> files, Duration timeout) {
        StringBuilder script = new StringBuilder("(set -e\n");
        int n = 0;
        for (var file : files.entrySet()) {
            String target = file.getKey();
            int slash = target.lastIndexOf('/');
            String folder = slash <= 0 ? "/" : target.substring(0, slash);
            String temporary = folder + "/.dab-sync-" + (n++);
            script.append("mkdir -p ").append(quoted(folder)).append('\n')
                    .append("base64 -d > ").append(quoted(temporary)).append(" <<'").append(END_OF_FILE).append("'\n")
                    .append(Base64.getMimeEncoder(76, new byte[] {'\n'}).encodeToString(read(file.getValue()))).append('\n')
                    .append(END_OF_FILE).append('\n')
                    .append("chmod ").append(Integer.toOctalString(mode(file.getValue()))).append(' ').append(quoted(temporary)).append('\n')
                    .append("mv -f ").append(quoted(temporary)).append(' ').append(quoted(target)).append('\n');
        }
        script.append(")");
        return run(script.toString(), timeout) == 0;
    }

    /** Removes the paths ({@code rm -rf}); empty when done, else what went wrong (the caller then uses an exec). */
    Optional<String> delete(java.util.List<String> paths, Duration timeout) {
        StringBuilder script = new StringBuilder("rm -rf");
        paths.forEach(p -> script.append(' ').append(quoted(p)));
        int code = run(script.toString(), timeout);
        return code == 0 ? Optional.empty() : Optional.of("rm exited " + code + ": " + errors());
    }

    /** What the shell last said on stderr, for a log line when a write failed. */
    String errors() {
        synchronized (stderr) {
            return stderr.toString().strip();
        }
    }

    private synchronized int run(String script, Duration timeout) {
        long id = ++sequence;
        synchronized (stderr) {
            stderr.setLength(0);
        }
        stdin.feed((script + "\necho \"" + DONE + id + " $?\"\n").getBytes(StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (!ended || !lines.isEmpty()) {
                String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null) {
                    break; // no answer in time: the caller gives up on this shell
                }
                if (line.startsWith(DONE + id + " ")) {
                    return Integer.parseInt(line.substring((DONE + id + " ").length()).strip());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ended = true;
        return -1;
    }

    @Override
    public void close() {
        ended = true;
        // docker-java's unix socket cannot half-close, so the shell never reads an end of input: it is told
        // to exit, after the end of a here-document and of the subshell it may have been left in
        stdin.feed(("\n" + END_OF_FILE + "\n)\nexit 0\n").getBytes(StandardCharsets.UTF_8));
        stdin.close(); // and docker-java's thread copying stdin ends
    }

    static String quoted(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int mode(Path file) {
        try {
            return ContainerFiles.mode(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The shell's output, cut into lines as it arrives; its end marks the shell ended. */
    private final class Output extends ResultCallback.Adapter<Frame> {
        @Override
        public void onNext(Frame frame) {
            String text = new String(frame.getPayload(), StandardCharsets.UTF_8);
            if (frame.getStreamType() == StreamType.STDERR) {
                synchronized (stderr) {
                    stderr.append(text);
                    if (stderr.length() > 4000) {
                        stderr.delete(0, stderr.length() - 2000);
                    }
                }
                return;
            }
            stdout.append(text);
            for (int nl = stdout.indexOf("\n"); nl >= 0; nl = stdout.indexOf("\n")) {
                lines.add(stdout.substring(0, nl));
                stdout.delete(0, nl + 1);
            }
        }

        @Override
        public void onError(Throwable throwable) {
            ended = true;
            lines.add("");
        }

        @Override
        public void onComplete() {
            ended = true;
            lines.add("");
        }
    }

    /** The shell's stdin: what {@link #feed} is given, in order, read by docker-java's copying thread. */
    private static final class Feed extends InputStream {
        private static final byte[] END = new byte[0];
        private final BlockingQueue<byte[]> chunks = new LinkedBlockingQueue<>();
        private byte[] current = new byte[0];
        private int position;
        private boolean closed;

        void feed(byte[] bytes) {
            chunks.add(bytes);
        }

        @Override
        public void close() {
            chunks.add(END);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] into, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            while (position >= current.length) {
                if (closed) {
                    return -1;
                }
                try {
                    current = chunks.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
                position = 0;
                if (current == END) {
                    closed = true;
                    return -1;
                }
            }
            int n = Math.min(length, current.length - position);
            System.arraycopy(current, position, into, offset, n);
            position += n;
            return n;
        }
    }
}
