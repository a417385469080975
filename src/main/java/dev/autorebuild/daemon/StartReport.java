package dev.autorebuild.daemon;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * How a daemon tells {@code bin/auto-rebuild}, which started it without a launcher JVM, how its start went.
 * The script hands the daemon the write end of a pipe as a file descriptor ({@code --report-fd N}) and
 * reads the other end: the daemon writes one report, either "watching" once its control socket answers or
 * why it will not watch, and the script prints it and exits with its code. A daemon that dies before it
 * reports closes the pipe as it dies, so the script reads the end of it at once, with no polling and no
 * wait for the process to be reaped.
 * <p>
 * The report is lines: {@code out TEXT} (a line for the command's stdout), {@code err TEXT} (for its
 * stderr), and last {@code exit CODE}. The pipe is opened through {@code /proc/self/fd/N} for reading and
 * writing: opened for writing alone, a pipe whose reader has gone (the user pressed Ctrl-C) blocks the open
 * for ever, and with a read end of its own the write always completes, the report being far below a pipe's
 * capacity ({@link #MAX_BYTES}).
 */
public final class StartReport {
    /** A daemon started any other way reports nothing. */
    public static final StartReport NONE = new StartReport(OptionalInt.empty());
    /** Well under a pipe's 64 KiB: a write never waits for a reader that may be gone. */
    static final int MAX_BYTES = 48 * 1024;

    private final OptionalInt descriptor;
    private final AtomicBoolean sent = new AtomicBoolean();

    private StartReport(OptionalInt descriptor) {
        this.descriptor = descriptor;
    }

    public static StartReport toDescriptor(int descriptor) {
        return new StartReport(OptionalInt.of(descriptor));
    }

    /** To {@code descriptor} when the command line named one ({@code --report-fd}), else {@link #NONE}. */
    public static StartReport toDescriptor(OptionalInt descriptor) {
        return descriptor.isPresent() ? toDescriptor(descriptor.getAsInt()) : NONE;
    }

    /** The daemon watches and answers on its control socket: {@code text} is what the command prints. */
    public void ready(String text) {
        send(encode(text, "out", 0));
    }

    /** The daemon will not watch: {@code text} is why, as the user should read it. */
    public void refused(String text) {
        send(encode(text, "err", 1));
    }

    /** Whether a command waits on a pipe for this report; else a launcher JVM reads {@link StartRefusal}'s file. */
    public boolean piped() {
        return descriptor.isPresent();
    }

    /** The report's lines; a text too long for the pipe is cut, and says where the rest is (the daemon's log has all of it). */
    static String encode(String text, String stream, int exitCode) {
        String body = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        StringBuilder report = new StringBuilder();
        for (String line : body.split("\n", -1)) {
            if ((report.length() + line.length()) * 4L > MAX_BYTES - 256) { // 4: the most bytes UTF-8 takes for a char
                report.append(stream).append(" (cut here: the daemon's log has the rest)\n");
                break;
            }
            report.append(stream).append(' ').append(line).append('\n');
        }
        return report.append("exit ").append(exitCode).append('\n').toString();
    }

    private void send(String report) {
        if (descriptor.isEmpty() || !sent.compareAndSet(false, true)) {
            return;
        }
        try (RandomAccessFile pipe = new RandomAccessFile("/proc/self/fd/" + descriptor.getAsInt(), "rw")) {
            pipe.write(report.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // the command that started this daemon has gone: nobody is left to tell, and the log says it all
        }
    }
}
