package dev.autorebuild.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The background start as people type it, {@code auto-rebuild [-t DIR] [-c FILE]} (long names too, in
 * either order), recognised by hand so that the launcher does not build picocli's model of the command:
 * picocli's classes cannot be mapped from a class-data archive (Java 5 class files), and the model and
 * the parse were about 65 ms of the launcher's 0.25 s before it spawns the daemon. Any other form, a
 * value that looks like an option included, gives empty, and picocli reads it as before (its errors,
 * help and every other option stay picocli's).
 */
final class PlainStartArgs {
    private PlainStartArgs() {}

    /** The command with its workspace and configuration set, as picocli would have set them. */
    static Optional<AutoRebuildCommand> parse(String... args) {
        List<String> all = List.of(args);
        if (all.size() % 2 != 0 || all.size() > 4) {
            return Optional.empty();
        }
        AutoRebuildCommand command = new AutoRebuildCommand();
        for (int i = 0; i < all.size(); i += 2) {
            String option = all.get(i);
            String value = all.get(i + 1);
            if (value.isEmpty() || value.startsWith("-")) {
                return Optional.empty();
            }
            if ((option.equals("-t") || option.equals("--target")) && command.target == null) {
                command.target = Path.of(value);
            } else if ((option.equals("-c") || option.equals("--config")) && command.config == null) {
                command.config = Path.of(value);
            } else {
                return Optional.empty();
            }
        }
        return Optional.of(command);
    }
}
