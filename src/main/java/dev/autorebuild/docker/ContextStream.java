package dev.autorebuild.docker;

import dev.autorebuild.engine.ImageBuilder;

import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * A build context as a stream the engine reads while a second thread writes the tar into it: the
 * context is never held whole in memory, and the engine starts reading before the last file is read.
 */
final class ContextStream implements AutoCloseable {
    private static final int PIPE_BUFFER = 256 * 1024;

    private final PipedInputStream in;
    private final Future<?> writer;

    private ContextStream(PipedInputStream in, Future<?> writer) {
        this.in = in;
        this.writer = writer;
    }

    static ContextStream open(ImageBuilder.Request request, ExecutorService writers) throws IOException {
        PipedInputStream in = new PipedInputStream(PIPE_BUFFER);
        PipedOutputStream sink = new PipedOutputStream(in);
        Future<?> writer = writers.submit(() -> {
            try (sink) {
                BuildContextTar.write(request.contextDir(), request.dockerignore(), request.alwaysSent(), request.neverSent(), sink);
            } catch (IOException e) {
                // the engine stopped reading (the build failed or was cancelled): that is its story to tell
                if (!"Pipe closed".equals(e.getMessage()) && !"Read end dead".equals(e.getMessage())) {
                    throw new UncheckedIOException(e);
                }
            }
            return null;
        });
        return new ContextStream(in, writer);
    }

    InputStream input() {
        return in;
    }

    /** Waits for the writer; rethrows what stopped it from writing the whole context. */
    void awaitWritten() throws InterruptedException, ExecutionException {
        writer.get();
    }

    @Override
    public void close() throws IOException {
        writer.cancel(true);
        in.close();
    }
}
