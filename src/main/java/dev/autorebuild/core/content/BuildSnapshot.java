package dev.autorebuild.core.content;

/**
 * The files of a component as they were when a build started, and their digest. When the build
 * succeeds this becomes the component's built state.
 */
public record BuildSnapshot(FileTable files, String digest, int changedFiles) {
}
