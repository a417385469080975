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
            removeLeftoversOfAbortedRuns();
        }
        return client;
    }

    /**
     * Containers and images an aborted test run left behind (a killed JVM runs no clean-up), found by
     * our workspace label pointing into a JUnit temporary folder that no longer exists. They would hold
     * the container names the next run's tests use. Nothing else is touched: never a user's workspace.
     */
    private static void removeLeftoversOfAbortedRuns() {
        String junitTemp = Path.of(System.getProperty("java.io.tmpdir"), "junit").toString();
        java.util.function.Predicate<java.util.Map<String, String>> leftover = labels -> {
            String workspace = labels == null ? null : labels.get(Labels.WORKSPACE);
            return workspace != null && workspace.startsWith(junitTemp) && !java.nio.file.Files.exists(Path.of(workspace));
        };
        for (var container : client.listContainersCmd().withShowAll(true).withLabelFilter(List.of(Labels.WORKSPACE)).exec()) {
            if (leftover.test(container.getLabels())) {
                try {
                    client.removeContainerCmd(container.getId()).withForce(true).exec();
                } catch (RuntimeException e) {
                    // gone meanwhile
                }
            }
        }
        for (Image image : client.listImagesCmd().withLabelFilter(Labels.WORKSPACE).exec()) {
            if (leftover.test(image.getLabels())) {
                try {
                    client.removeImageCmd(image.getId()).withForce(true).exec();
                } catch (RuntimeException e) {
                    // in use or gone meanwhile
                }
            }
        }
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

    /** Removes every container created for {@code workspace}, found by label: nothing else is touched. */
    public static void removeContainersOf(Path workspace) {
        var containers = client().listContainersCmd().withShowAll(true)
                .withLabelFilter(java.util.Map.of(Labels.WORKSPACE, workspace.toAbsolutePath().normalize().toString()))
                .exec();
        for (var container : containers) {
            try {
                client().removeContainerCmd(container.getId()).withForce(true).exec();
            } catch (RuntimeException e) {
                // already gone
            }
        }
    }

    /** A TCP port free on 127.0.0.1 right now, to publish a test container on. */
    public static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** What GET http://127.0.0.1:port/path answers now, or empty when nothing answers. */
    public static java.util.Optional<String> httpGet(int port, String path) {
        try {
            var connection = (java.net.HttpURLConnection) java.net.URI.create("http://127.0.0.1:" + port + path).toURL().openConnection();
            connection.setConnectTimeout(500);
            connection.setReadTimeout(1000);
            if (connection.getResponseCode() != 200) {
                return java.util.Optional.empty();
            }
            try (var in = connection.getInputStream()) {
                return java.util.Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).strip());
            }
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
    }

    /** Runs a command in a throwaway container of {@code image} and returns its output. */
    public static String runIn(String image, String shellCommand) throws IOException, InterruptedException {
        return cli("run", "--rm", "--network", "none", image, "sh", "-c", shellCommand);
    }

    /**
     * What {@code image} holds under {@code folder}, read inside the image itself (busybox's find and
     * sha256sum): relative path to SHA-256. The oracle for what a build sent: none of our code is involved.
     */
    public static java.util.Map<String, String> filesIn(String image, String folder) throws IOException, InterruptedException {
        java.util.Map<String, String> files = new java.util.TreeMap<>();
        // one NUL-terminated "hash ./path" record per file: a name may hold a newline, and busybox's sha256sum does not escape it
        String listing = runIn(image, "cd '" + folder + "' && find . -type f -exec sh -c "
                + "'for f; do printf \"%s %s\\0\" \"$(sha256sum < \"$f\" | cut -d\" \" -f1)\" \"$f\"; done' _ {} +");
        for (String record : listing.split("\0")) {
            int gap = record.indexOf(" ./");
            if (gap > 0) {
                files.put(record.substring(gap + 3), record.substring(0, gap).strip());
            }
        }
        return files;
    }

    /** Runs the docker CLI (at most a minute) and returns its output; fails the test if it fails. */
    public static String cli(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("docker"));
        command.addAll(List.of(args));
        Command result = Command.run(java.time.Duration.ofMinutes(1), command, null);
        Assertions.assertEquals(0, result.exitCode(), String.join(" ", command) + " failed: " + result.output());
        return result.output().strip();
    }
}
