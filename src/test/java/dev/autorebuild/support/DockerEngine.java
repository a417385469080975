package dev.autorebuild.support;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Image;
import dev.autorebuild.core.Labels;
import dev.autorebuild.docker.DockerClients;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real Docker engine for tests. Where none answers, a test fails under {@code CI=true} (CI must
 * prove the Docker behaviour) and is skipped, with the reason, on a developer's machine.
 */
public final class DockerEngine {
    private static DockerClient client;

    private DockerEngine() {}

    public static synchronized DockerClient client() {
        if (client == null) {
            DockerClient candidate = DockerClients.fromEnvironment();
            try {
                candidate.pingCmd().exec();
            } catch (RuntimeException e) {
                String why = "no Docker engine answers (" + e.getMessage() + "); start dockerd or run .ci/run";
                if ("true".equals(System.getenv("CI"))) {
                    Assertions.fail(why);
                }
                Assumptions.abort(why);
            }
            try {
                candidate.inspectImageCmd("busybox:stable").exec();
            } catch (RuntimeException e) {
                Assertions.fail("the base image busybox:stable is missing: run scripts/base-image");
            }
            client = candidate;
        }
        return client;
    }

    /** Removes every image built for {@code workspace}, found by label: nothing else is touched. */
    public static void removeImagesOf(Path workspace) {
        List<Image> images = client().listImagesCmd()
                .withLabelFilter(java.util.Map.of(Labels.WORKSPACE, workspace.toAbsolutePath().normalize().toString()))
                .exec();
        for (Image image : images) {
            try {
                client().removeImageCmd(image.getId()).withForce(true).exec();
            } catch (RuntimeException e) {
                // already gone
            }
        }
    }

    /** Runs a command in a throwaway container of {@code image} and returns its output. */
    public static String runIn(String image, String shellCommand) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("docker", "run", "--rm", "--network", "none", image, "sh", "-c", shellCommand)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        Assertions.assertTrue(p.waitFor(60, TimeUnit.SECONDS), "docker run did not finish");
        Assertions.assertEquals(0, p.exitValue(), "docker run failed: " + out);
        return out.strip();
    }
}
