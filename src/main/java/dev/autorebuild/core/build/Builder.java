package dev.autorebuild.core.build;

/** The engine's image builder a build runs on. */
public enum Builder {
    /** BuildKit, through the Engine API's {@code version=2} builds: modern Dockerfile syntax, labels as metadata. */
    BUILDKIT("buildkit", "BuildKit"),
    /** The engine's classic builder (deprecated by Docker): one committed step per instruction and per label. */
    CLASSIC("classic", "the classic builder");

    private final String key;
    private final String shown;

    Builder(String key, String shown) {
        this.key = key;
        this.shown = shown;
    }

    /** As written in dab.yml, the API and metrics labels: {@code buildkit}, {@code classic}. */
    public String key() {
        return key;
    }

    /** As a sentence names it: {@code BuildKit}, {@code the classic builder}. */
    public String shown() {
        return shown;
    }
}
