package dev.autorebuild.core;

/** The labels auto-rebuild puts on what it creates, so it can find its own things and touch no others. */
public final class Labels {
    public static final String WORKSPACE = "dev.autorebuild.workspace";
    public static final String COMPONENT = "dev.autorebuild.component";
    public static final String DIGEST = "dev.autorebuild.digest";

    private Labels() {}
}
