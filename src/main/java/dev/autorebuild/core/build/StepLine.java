package dev.autorebuild.core.build;

import java.util.regex.Pattern;

/** How the classic builder announces a step ("Step 2/5 : COPY . /app/"), read by the build adapter and the live view alike. */
public final class StepLine {
    /** Group 1: "2/5"; group 2: the instruction. */
    public static final Pattern CLASSIC = Pattern.compile("^Step (\\d+/\\d+) : (.*)$");

    private StepLine() {
    }
}
