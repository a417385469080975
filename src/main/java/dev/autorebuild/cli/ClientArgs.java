package dev.autorebuild.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The arguments of a command for a running daemon, read without picocli: building picocli's model of
 * the whole command costs more than everything else {@code -s status} does. Only the plain forms are
 * read here ({@code -s CMD}, {@code -sCMD}, {@code --signal[=]CMD}, {@code -t DIR}, {@code -tDIR},
 * {@code --target[=]DIR}, and component names after {@code -s redeploy}); anything else, a mistake
 * included, is left to picocli, which reads and reports it as always.
 */
record ClientArgs(DaemonControl.Command command, Optional<Path> target, List<String> names) {

    static Optional<ClientArgs> parse(String... args) {
        DaemonControl.Command command = null;
        Path target = null;
        List<String> names = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String value;
            if (arg.equals("-s") || arg.equals("--signal") || arg.equals("-t") || arg.equals("--target")) {
                if (i + 1 >= args.length) {
                    return Optional.empty();
                }
                value = args[++i];
            } else if (arg.startsWith("--signal=") || arg.startsWith("--target=")) {
                value = arg.substring(arg.indexOf('=') + 1);
            } else if ((arg.startsWith("-s") || arg.startsWith("-t")) && arg.length() > 2 && !arg.startsWith("--")) {
                value = arg.substring(2);
            } else if (!arg.startsWith("-") && !arg.isEmpty()) {
                names.add(arg);
                continue;
            } else {
                return Optional.empty(); // another option, or "--": picocli's business
            }
            boolean isSignal = arg.startsWith("-s") || arg.startsWith("--signal");
            if (isSignal) {
                if (command != null) {
                    return Optional.empty();
                }
                command = commandNamed(value);
                if (command == null) {
                    return Optional.empty();
                }
            } else {
                if (target != null || value.isEmpty()) {
                    return Optional.empty();
                }
                target = Path.of(value);
            }
        }
        if (command == null || (!names.isEmpty() && command != DaemonControl.Command.redeploy)) {
            return Optional.empty();
        }
        return Optional.of(new ClientArgs(command, Optional.ofNullable(target), List.copyOf(names)));
    }

    private static DaemonControl.Command commandNamed(String name) {
        for (DaemonControl.Command command : DaemonControl.Command.values()) {
            if (command.name().equals(name)) {
                return command;
            }
        }
        return null;
    }
}
