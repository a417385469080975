package dev.autorebuild.core.ignore;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shapes matched by comparing strings must say what wildmatch says (hand-written cases: a star
 * never crosses a '/'; the subject starts at {@code from}); git's own verdicts on random trees are
 * {@link GitDifferentialTest}'s.
 */
class GlobMatchTest {

    @ParameterizedTest(name = "{0} on {1} from {2}: {3}")
    @CsvSource({
            // a name
            "node_modules, node_modules, 0, true",
            "node_modules, src/node_modules, 4, true",
            "node_modules, node_modules2, 0, false",
            "a/b, a/b, 0, true",
            "a/b, a/b/c, 0, false",
            // an extension: the star's part holds no '/'
            "*.log, x.log, 0, true",
            "*.log, .log, 0, true",
            "*.log, a/x.log, 0, false",
            "*.log, a/x.log, 2, true",
            "*.log, x.log.gz, 0, false",
            "*.log, log, 0, false",
            // a name's start: the star's part holds no '/'
            ".#*, .#x, 0, true",
            ".#*, .#, 0, true",
            "ab*, ab/x, 0, false",
            "ab*, abc, 0, true",
            "ab*, d/abc, 2, true",
            "ab*, d/abc, 0, false",
            // the rest through the regular expression
            "a*b, a/b, 0, false",
            "a*b, axxb, 0, true",
            "**, a/b, 0, true",
            "[ab]*, bz, 0, true",
            "*, a/b, 0, false",
    })
    void matchesAsWildmatchDoes(String glob, String path, int from, boolean expected) {
        assertThat(GlobMatch.of(glob).matches(path, from)).isEqualTo(expected);
    }

    @Test
    void aStarAlone_doesNotCrossASlash_andMatchesAnEmptyRest() {
        assertThat(GlobMatch.of("*").matches("d/", 2)).isTrue();
        assertThat(GlobMatch.of("*").matches("d/x", 0)).isFalse();
    }
}
