package dev.autorebuild.cli;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import jakarta.inject.Inject;
import picocli.CommandLine;

/**
 * The entry point. A custom main so that commands which need no runtime (the daemon control client,
 * in a later issue) can be answered before Quarkus boots.
 */
@QuarkusMain
public class Main implements QuarkusApplication {

    @Inject
    CommandLine commandLine; // built by quarkus-picocli with CDI injection into the command

    public static void main(String... args) {
        Quarkus.run(Main.class, args);
    }

    @Override
    public int run(String... args) {
        return commandLine.execute(args);
    }
}
