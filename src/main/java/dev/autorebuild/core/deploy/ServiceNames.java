package dev.autorebuild.core.deploy;

import dev.autorebuild.core.DockerName;

/**
 * Names on a Swarm: a component's service is {@code <workspace>_<component>} (as {@code docker stack}
 * names a stack's services), and with {@code deployment.registry} its images are pushed as
 * {@code <registry>/<repository>:<short digest>}.
 */
public final class ServiceNames {
    /** Hex digits of the content digest in a pushed tag: as many as a short image ID. */
    static final int SHORT_DIGEST = 12;

    private ServiceNames() {}

    public static String service(String workspaceFolderName, String componentFolder) {
        return DockerName.sanitize(workspaceFolderName) + "_" + DockerName.sanitize(componentFolder);
    }

    /**
     * The repository an image is pushed to: the registry (with its optional path prefix) and the image's
     * own repository without any registry host it names ({@code ghcr.io/acme/web:dev} → {@code acme/web}).
     */
    public static String pushedRepository(String registry, String image) {
        String repository = withoutTag(image);
        int slash = repository.indexOf('/');
        if (slash > 0) {
            String first = repository.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                repository = repository.substring(slash + 1);
            }
        }
        String base = registry.endsWith("/") ? registry.substring(0, registry.length() - 1) : registry;
        return base + "/" + repository;
    }

    /** {@code sha256:0123456789abcdef…} → {@code 0123456789ab}: a tag that names the content it was built from. */
    public static String shortDigest(String contentDigest) {
        String hex = contentDigest.startsWith("sha256:") ? contentDigest.substring("sha256:".length()) : contentDigest;
        return hex.substring(0, Math.min(SHORT_DIGEST, hex.length()));
    }

    /** An image reference without its tag or digest ({@code host:5000/a/b:tag} → {@code host:5000/a/b}). */
    public static String withoutTag(String image) {
        int at = image.indexOf('@');
        String name = at < 0 ? image : image.substring(0, at);
        int colon = name.lastIndexOf(':');
        return colon > name.lastIndexOf('/') ? name.substring(0, colon) : name;
    }
}
