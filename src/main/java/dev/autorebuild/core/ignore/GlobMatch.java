package dev.autorebuild.core.ignore;

import java.util.regex.Pattern;

/**
 * A gitignore glob made ready to match. Most lines in ignore files are a name ({@code node_modules}),
 * an extension ({@code *.log}) or a name's start ({@code .#*}); those are matched by comparing strings.
 * Every other glob goes through its regular expression ({@link GitignorePattern#compile}). Why: every
 * file event and every file of a scan is asked of every line, once per parent folder too, and a
 * regular expression's matcher is an allocation each time. On 100,000 files and five first builds
 * the matchers were 1.2 of the 4.6 GB the daemon allocated (JFR).
 */
public final class GlobMatch {
    private enum Shape { LITERAL, PREFIX, SUFFIX, REGEX }

    /** What a literal part may not hold: anything wildmatch treats specially, and the separator. */
    private static final String SPECIAL = "*?[\\/";

    private final Shape shape;
    private final String text;
    private final Pattern regex;

    private GlobMatch(Shape shape, String text, Pattern regex) {
        this.shape = shape;
        this.text = text;
        this.regex = regex;
    }

    /** @param glob a line's pattern without its {@code !}, its leading and its trailing {@code /} */
    static GlobMatch of(String glob) {
        if (plain(glob, "*?[\\")) {
            return new GlobMatch(Shape.LITERAL, glob, null);
        }
        if (glob.length() > 1 && glob.charAt(0) == '*' && plain(glob.substring(1), SPECIAL)) {
            return new GlobMatch(Shape.SUFFIX, glob.substring(1), null);
        }
        if (glob.length() > 1 && glob.charAt(glob.length() - 1) == '*' && plain(glob.substring(0, glob.length() - 1), SPECIAL)) {
            return new GlobMatch(Shape.PREFIX, glob.substring(0, glob.length() - 1), null);
        }
        return new GlobMatch(Shape.REGEX, null, GitignorePattern.compile(glob));
    }

    /** Whether the glob matches all of {@code path} from index {@code from} on ({@code *} never matching a {@code /}). */
    boolean matches(String path, int from) {
        int length = path.length() - from;
        return switch (shape) {
            case LITERAL -> length == text.length() && path.startsWith(text, from);
            // "*" + text: the rest ends with text and the star's part holds no '/' (nor does text)
            case SUFFIX -> length >= text.length() && path.endsWith(text) && path.indexOf('/', from) < 0;
            case PREFIX -> path.startsWith(text, from) && path.indexOf('/', from + text.length()) < 0;
            case REGEX -> regex.matcher(from == 0 ? path : path.substring(from)).matches();
        };
    }

    private static boolean plain(String part, String special) {
        for (int i = 0; i < part.length(); i++) {
            if (special.indexOf(part.charAt(i)) >= 0) {
                return false;
            }
        }
        return true;
    }
}
