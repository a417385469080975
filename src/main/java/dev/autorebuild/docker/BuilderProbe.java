package dev.autorebuild.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Version;
import com.github.dockerjava.transport.DockerHttpClient;
import dev.autorebuild.core.build.Builder;
import dev.autorebuild.core.build.BuilderPreference;
import dev.autorebuild.engine.ImageBuilder.Resolution;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Decides what {@code build.builder: auto} means on this engine: BuildKit when it is a Linux engine
 * speaking API 1.39 or later and it accepts a BuildKit build of a probe context, else the classic
 * builder, with the reason. The engine's {@code Builder-Version} header is not enough (20.10 does not
 * send it). The probe's Dockerfile has no instruction, so it builds nothing and leaves no image: the
 * engine answers a BuildKit trace and then that error, or refuses {@code version=2} outright.
 *
 * <p>The answer is kept until the engine goes away (it may come back as another engine); a probe that
 * could not reach the engine decides nothing and is tried again at the next build.
 */
final class BuilderProbe {
    static final String PROBE_DOCKERFILE = ".auto-rebuild-probe.Dockerfile";
    private static final int MIN_API_MINOR = 39;

    private final DockerClient docker;
    private final DockerHttpClient http;
    private volatile Resolution auto;

    BuilderProbe(DockerClient docker, DockerHttpClient http) {
        this.docker = docker;
        this.http = http;
    }

    Resolution resolve(BuilderPreference preference) {
        return switch (preference) {
            case BUILDKIT -> new Resolution(Builder.BUILDKIT, Optional.empty());
            case CLASSIC -> new Resolution(Builder.CLASSIC, Optional.empty());
            case AUTO -> auto();
        };
    }

    /** The engine went away: what it could do is asked again when it is back. */
    void forget() {
        auto = null;
    }

    /** One probe at a time: the builds that start together at launch wait for one answer instead of each asking. */
    private synchronized Resolution auto() {
        Resolution known = auto;
        if (known != null) {
            return known;
        }
        try {
            Resolution found = probe();
            auto = found;
            return found;
        } catch (RuntimeException | IOException e) {
            // no engine to ask: the build that follows fails on the same cause and the engine's recovery takes over
            return new Resolution(Builder.CLASSIC, Optional.empty());
        }
    }

    private Resolution probe() throws IOException {
        Version version = docker.versionCmd().exec();
        String os = Optional.ofNullable(version.getOperatingSystem()).orElse("");
        if (!os.equalsIgnoreCase("linux")) {
            return classic("the engine runs on " + (os.isEmpty() ? "an unnamed system" : os) + ", where BuildKit builds are not offered");
        }
        String api = Optional.ofNullable(version.getApiVersion()).orElse("0.0");
        if (apiBelow(api)) {
            return classic("the engine speaks API " + api + "; BuildKit builds need 1.39 (Docker 18.09) or later");
        }
        DockerHttpClient.Request request = DockerHttpClient.Request.builder()
                .method(DockerHttpClient.Request.Method.POST)
                .path("/build?version=2&dockerfile=" + PROBE_DOCKERFILE)
                .putHeader("Content-Type", "application/x-tar")
                .body(probeContext())
                .build();
        try (DockerHttpClient.Response response = http.execute(request)) {
            if (response.getStatusCode() != 200) {
                return classic(BuildKitBuild.refusal(response).replace("the build", "a BuildKit build"));
            }
            byte[] answer = response.getBody().readNBytes(64 * 1024);
            if (new String(answer, StandardCharsets.UTF_8).contains("\"" + BuildKitBuild.TRACE + "\"")) {
                return new Resolution(Builder.BUILDKIT, Optional.empty());
            }
            return classic("the engine answered a BuildKit build without BuildKit's progress (API " + api + ")");
        }
    }

    private static boolean apiBelow(String api) {
        String[] parts = api.split("\\.");
        try {
            int major = Integer.parseInt(parts[0]);
            int minor = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
            return major < 1 || (major == 1 && minor < MIN_API_MINOR);
        } catch (NumberFormatException e) {
            return true;
        }
    }

    private static Resolution classic(String why) {
        return new Resolution(Builder.CLASSIC, Optional.of(why));
    }

    /** A context holding only a Dockerfile without instructions: the engine cannot build an image from it. */
    private static InputStream probeContext() throws IOException {
        byte[] dockerfile = "# auto-rebuild asks whether this engine builds with BuildKit; nothing is built\n".getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            TarArchiveEntry entry = new TarArchiveEntry(PROBE_DOCKERFILE);
            entry.setSize(dockerfile.length);
            tar.putArchiveEntry(entry);
            tar.write(dockerfile);
            tar.closeArchiveEntry();
        }
        return new ByteArrayInputStream(bytes.toByteArray());
    }
}
