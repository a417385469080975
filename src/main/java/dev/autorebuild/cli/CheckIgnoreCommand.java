package dev.autorebuild.cli;

import dev.autorebuild.config.ConfigReader;
import dev.autorebuild.core.config.DabConfig;
import dev.autorebuild.core.ignore.TriggerFilter;
import dev.autorebuild.fs.ComponentFinder;
import dev.autorebuild.fs.IgnoreLoader;
import dev.autorebuild.fs.PathNames;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code auto-rebuild check-ignore PATH…}: why a file does or does not trigger a build, in the format
 * of {@code git check-ignore -v}. Covers the built-in ignores, .dabignore (and .gitignore when
 * configured), each component's .dockerignore, and dab.yml's whitelist/blacklist. Needs no daemon.
 */
@Command(name = "check-ignore", mixinStandardHelpOptions = true,
        description = {"Says why each PATH does not trigger a build: one line 'source:line:pattern<TAB>path'",
                "for each ignored PATH, as git check-ignore -v prints it. A PATH that belongs to no",
                "component is shown as '" + TriggerFilter.NO_COMPONENT + "'."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:at least one PATH is ignored", "1:no PATH is ignored", "128:error (bad configuration, PATH outside the workspace)"})
public class CheckIgnoreCommand implements Callable<Integer> {
    static final int FATAL = 128;

    @Option(names = {"-t", "--target"}, paramLabel = "DIR", description = "the workspace (default: the current folder)")
    Path target;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "the configuration (default: DIR/dab.yml)")
    Path config;

    @Option(names = {"-v", "--verbose"}, description = "accepted for git's sake: the source is always shown")
    boolean verbose;

    @Option(names = {"-n", "--non-matching"}, description = "also list the paths that do trigger a build, as '::<TAB>path'")
    boolean nonMatching;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "files or folders, relative to the current folder or absolute")
    List<String> paths;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        Path workspace = (target == null ? Path.of("") : target).toAbsolutePath().normalize();
        ConfigReader.Result read = ConfigReader.read(workspace, Optional.ofNullable(config));
        if (read instanceof ConfigReader.Invalid invalid) {
            err.println("fatal: the configuration is invalid:\n" + invalid.describe());
            return FATAL;
        }
        DabConfig dab = ((ConfigReader.Loaded) read).config();
        TriggerFilter filter = IgnoreLoader.load(workspace, ComponentFinder.find(workspace, dab), dab);
        boolean anyIgnored = false;
        for (String given : paths) {
            Path absolute = Path.of(given).toAbsolutePath().normalize();
            if (!absolute.startsWith(workspace) || absolute.equals(workspace)) {
                err.println("fatal: " + given + " is outside the workspace " + workspace);
                return FATAL;
            }
            Optional<String> why = filter.whyNoBuild(PathNames.relative(workspace, absolute), Files.isDirectory(absolute));
            if (why.isPresent()) {
                anyIgnored = true;
                out.println(why.get() + "\t" + given);
            } else if (nonMatching) {
                out.println("::\t" + given);
            }
        }
        return anyIgnored ? 0 : 1;
    }
}
