package dev.autorebuild.daemon;

import java.lang.management.ManagementFactory;

/** Run by DaemonArgFileTest in a JVM of its own: prints each option the JVM was given, one a line, as the JVM read them. */
public final class ArgFileProbe {
    private ArgFileProbe() {}

    public static void main(String[] args) {
        ManagementFactory.getRuntimeMXBean().getInputArguments().forEach(option -> System.out.println("option " + option));
    }
}
