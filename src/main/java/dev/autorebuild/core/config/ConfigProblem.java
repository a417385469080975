package dev.autorebuild.core.config;

/**
 * What is wrong with a configuration file, where: printed as {@code file:line:column: message}, the
 * form editors and terminals turn into a link.
 */
public record ConfigProblem(String file, int line, int column, String message) {
    @Override
    public String toString() {
        return line > 0 ? file + ":" + line + ":" + column + ": " + message : file + ": " + message;
    }
}
