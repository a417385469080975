package dev.autorebuild.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code auto-rebuild manpage}: the help as a man page (troff), written from picocli's model of the
 * same command, so the two never disagree. picocli's own generator writes AsciiDoc, which needs
 * Asciidoctor to become a man page; troff is a handful of macros. Install it with
 * {@code auto-rebuild manpage > ~/.local/share/man/man1/auto-rebuild.1}.
 */
@Command(name = "manpage", mixinStandardHelpOptions = true,
        description = {"Print the help as a man page: auto-rebuild manpage > ~/.local/share/man/man1/auto-rebuild.1"})
public class ManPageCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getOut().print(render(spec.root()));
        spec.commandLine().getOut().flush();
        return 0;
    }

    static String render(CommandSpec command) {
        StringBuilder man = new StringBuilder();
        String name = command.name();
        String[] description = command.usageMessage().description();
        man.append(".TH ").append(name.toUpperCase()).append(" 1 \"\" \"").append(text(command.version()[0])).append("\" \"User Commands\"\n");
        man.append(".SH NAME\n").append(text(name)).append(" \\- ").append(text(description[0])).append('\n');
        man.append(".SH SYNOPSIS\n");
        for (String usage : List.of("[\\fIOPTIONS\\fR]", "\\fB\\-s\\fR \\fICOMMAND\\fR [\\fB\\-t\\fR \\fIDIR\\fR] [\\fINAME\\fR...]")) {
            man.append(".B ").append(name).append('\n').append(usage).append("\n.br\n");
        }
        command.subcommands().keySet().forEach(sub -> man.append(".B ").append(name).append(' ').append(sub).append("\n.br\n"));
        man.append(".SH DESCRIPTION\n");
        for (String line : description) {
            man.append(line.isBlank() ? ".PP" : line.startsWith("  ") ? ".nf\n" + text(line.strip()) + "\n.fi" : text(line)).append('\n');
        }
        man.append(".SH OPTIONS\n");
        for (OptionSpec option : command.options()) {
            if (option.hidden()) {
                continue;
            }
            man.append(".TP\n").append(optionNames(option)).append('\n');
            man.append(text(String.join(" ", option.description()).replace("${COMPLETION-CANDIDATES}", candidates(option)))).append('\n');
        }
        command.positionalParameters().forEach(p -> man.append(".TP\n\\fI").append(text(p.paramLabel())).append("\\fR...\n")
                .append(text(String.join(" ", p.description()))).append('\n'));
        man.append(".SH COMMANDS\n");
        for (Map.Entry<String, CommandLine> sub : command.subcommands().entrySet()) {
            man.append(".TP\n\\fB").append(text(sub.getKey())).append("\\fR\n")
                    .append(text(String.join(" ", sub.getValue().getCommandSpec().usageMessage().description()))).append('\n');
        }
        man.append(".SH SIGNALS\n");
        for (String line : command.usageMessage().footer()) {
            man.append(text(line.strip())).append("\n.br\n");
        }
        man.append(".SH EXIT STATUS\n");
        for (Map.Entry<String, String> code : command.usageMessage().exitCodeList().entrySet()) {
            man.append(".TP\n\\fB").append(text(code.getKey().strip())).append("\\fR\n").append(text(code.getValue())).append('\n');
        }
        man.append(".SH SEE ALSO\n").append(text("README.md and dab.yml.example in the project; auto-rebuild -s status; the dashboard it names."))
                .append('\n');
        return man.toString();
    }

    private static String optionNames(OptionSpec option) {
        StringBuilder names = new StringBuilder();
        for (String alias : option.names()) {
            names.append(names.length() == 0 ? "" : ", ").append("\\fB").append(text(alias)).append("\\fR");
        }
        if (option.arity().max() > 0) {
            names.append(" \\fI").append(text(option.paramLabel())).append("\\fR");
        }
        return names.toString();
    }

    private static String candidates(OptionSpec option) {
        return option.completionCandidates() == null ? "" : String.join(", ", option.completionCandidates());
    }

    /** Text as troff prints it: backslashes and hyphens escaped, and no line read as a request. */
    static String text(String plain) {
        String escaped = plain.replace("\\", "\\e").replace("-", "\\-");
        return escaped.startsWith(".") || escaped.startsWith("'") ? "\\&" + escaped : escaped;
    }
}
