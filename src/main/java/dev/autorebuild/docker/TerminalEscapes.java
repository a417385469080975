package dev.autorebuild.docker;

import java.util.regex.Pattern;

/** Builders paint a RUN step's stderr with terminal escapes: they belong to no log, page or JSON. */
final class TerminalEscapes {
    private static final Pattern ESCAPE = Pattern.compile("\u001b\\[[0-9;?]*[A-Za-z]");

    private TerminalEscapes() {}

    static String strip(String line) {
        return ESCAPE.matcher(line).replaceAll("");
    }
}
