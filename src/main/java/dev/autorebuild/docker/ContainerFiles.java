package dev.autorebuild.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import dev.autorebuild.engine.ContainerRuntime;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * Live sync's side of the engine API: files into a running container (one archive upload), a command
 * run in it, a restart. The archive is built in memory: a sync is the few files a save touched.
 */
final class ContainerFiles {
    /** What an exec's output keeps: its end, where the error is. */
    private static final int OUTPUT_CHARS = 4000;

    private ContainerFiles() {}

    static void copyInto(DockerClient docker, String id, Map<String, Path> files) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            Set<String> folders = new TreeSet<>();
            for (String target : files.keySet()) {
                String relative = target.replaceFirst("^/+", "");
                for (int slash = relative.indexOf('/'); slash > 0; slash = relative.indexOf('/', slash + 1)) {
                    folders.add(relative.substring(0, slash + 1));
                }
            }
            for (String folder : folders) { // the archive makes missing folders; existing ones keep their mode (docker cp does the same)
                TarArchiveEntry entry = new TarArchiveEntry(folder);
                entry.setMode(040755);
                tar.putArchiveEntry(entry);
                tar.closeArchiveEntry();
            }
            for (var file : files.entrySet()) {
                Path source = file.getValue();
                TarArchiveEntry entry = new TarArchiveEntry(file.getKey().replaceFirst("^/+", ""));
                byte[] content = Files.readAllBytes(source);
                entry.setSize(content.length);
                entry.setMode(0100000 | mode(source));
                entry.setModTime(Files.getLastModifiedTime(source).toMillis());
                tar.putArchiveEntry(entry);
                tar.write(content);
                tar.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        docker.copyArchiveToContainerCmd(id).withRemotePath("/").withTarInputStream(new ByteArrayInputStream(bytes.toByteArray())).exec();
    }

    static int mode(Path file) throws IOException {
        int mode = 0;
        for (PosixFilePermission p : Files.getPosixFilePermissions(file)) {
            mode |= 1 << (8 - p.ordinal()); // OWNER_READ is ordinal 0, the 0400 bit; OTHERS_EXECUTE ordinal 8, the 01 bit
        }
        return mode;
    }

    static ContainerRuntime.ExecResult exec(DockerClient docker, String id, List<String> command, Duration limit) {
        String exec = docker.execCreateCmd(id).withCmd(command.toArray(String[]::new)).withAttachStdout(true).withAttachStderr(true).exec().getId();
        StringBuilder out = new StringBuilder();
        try {
            boolean done = docker.execStartCmd(exec).exec(new ResultCallback.Adapter<Frame>() {
                @Override
                public void onNext(Frame frame) {
                    synchronized (out) {
                        out.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                        if (out.length() > 2 * OUTPUT_CHARS) {
                            out.delete(0, out.length() - OUTPUT_CHARS);
                        }
                    }
                }
            }).awaitCompletion(limit.toMillis(), TimeUnit.MILLISECONDS);
            if (!done) {
                return new ContainerRuntime.ExecResult(-1, "still running after " + limit.toSeconds() + " s: " + tail(out));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ContainerRuntime.ExecResult(-1, "interrupted");
        }
        Long code = docker.inspectExecCmd(exec).exec().getExitCodeLong();
        return new ContainerRuntime.ExecResult(code == null ? -1 : code.intValue(), tail(out));
    }

    private static String tail(StringBuilder out) {
        synchronized (out) {
            String text = out.toString().strip();
            return text.length() <= OUTPUT_CHARS ? text : "..." + text.substring(text.length() - OUTPUT_CHARS);
        }
    }

    static void restart(DockerClient docker, String id, Duration timeout) {
        docker.restartContainerCmd(id).withTimeout((int) Math.max(0, timeout.toSeconds())).exec();
    }
}
