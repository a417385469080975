package dev.autorebuild.core.ignore;

/**
 * Editor and version-control noise that never triggers a build, in any folder. Listed in the README;
 * kept as gitignore lines so they obey the same, tested, matcher.
 */
public final class BuiltinIgnores {
    public static final String SOURCE = "<built-in>";

    static final String PATTERNS = String.join("\n",
            ".git/",
            ".hg/",
            ".svn/",
            ".dab/",
            "*.swp",
            "*.swo",
            "*.swx",
            "4913",
            "*~",
            "\\#*#", // a leading # starts a comment: escaped
            ".#*",
            "*___jb_tmp___",
            "*___jb_old___",
            ".DS_Store");

    public static final IgnoreFile FILE = IgnoreFile.parse("", SOURCE, PATTERNS);

    private BuiltinIgnores() {}
}
