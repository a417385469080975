package dev.autorebuild.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The engine's own record of when images are tagged ({@code docker events}), read from outside every
 * arm: the one clock both a daemon's build and a CLI's build are timed on.
 */
final class ImageTagEvents implements AutoCloseable {
    /** @param wallNanos the engine's time of the tag, epoch nanoseconds */
    record Tag(long wallNanos, String image) {}

    private final Process events;
    private final List<Tag> tags = new CopyOnWriteArrayList<>();

    ImageTagEvents() throws IOException {
        this("unix:///var/run/docker.sock");
    }

    /** @param engine the engine whose tags to follow ({@code docker -H}) */
    ImageTagEvents(String engine) throws IOException {
        events = new ProcessBuilder("docker", "-H", engine, "events", "--filter", "type=image", "--filter", "event=tag",
                "--format", "{{.TimeNano}} {{.Actor.Attributes.name}}").redirectErrorStream(true).start();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(events.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    int space = line.indexOf(' ');
                    if (space > 0 && line.substring(0, space).matches("\\d+")) {
                        tags.add(new Tag(Long.parseLong(line.substring(0, space)), line.substring(space + 1).strip()));
                    }
                }
            } catch (IOException e) {
                // the process ended: no more tags
            }
        }, "bench-docker-events");
        reader.setDaemon(true);
        reader.start();
    }

    /** The first tag of {@code image} at or after {@code afterWallNanos}, waiting up to a minute; its time. */
    long await(String image, long afterWallNanos) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            for (Tag t : tags) {
                if (t.wallNanos() >= afterWallNanos && (t.image().equals(image) || t.image().equals("docker.io/library/" + image))) {
                    return t.wallNanos();
                }
            }
            Thread.sleep(2);
        }
        throw new IllegalStateException("the engine never tagged " + image + "; tags seen: " + tags);
    }

    static long nowWallNanos() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    @Override
    public void close() {
        events.destroy();
    }
}
