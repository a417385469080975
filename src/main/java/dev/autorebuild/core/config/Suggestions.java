package dev.autorebuild.core.config;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/** "Did you mean …?" for a misspelt key: the nearest valid key by edit distance, if it is near enough. */
public final class Suggestions {
    private Suggestions() {}

    public static Optional<String> nearest(String wrong, Collection<String> valid) {
        return valid.stream()
                .min(Comparator.comparingInt((String v) -> distance(wrong, v)).thenComparing(Comparator.naturalOrder()))
                .filter(best -> distance(wrong, best) <= Math.max(2, best.length() / 3));
    }

    /** Levenshtein distance, case-insensitive (a wrong case is one of the commonest slips). */
    static int distance(String a, String b) {
        String x = a.toLowerCase(java.util.Locale.ROOT);
        String y = b.toLowerCase(java.util.Locale.ROOT);
        int[] previous = new int[y.length() + 1];
        int[] current = new int[y.length() + 1];
        for (int j = 0; j <= y.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= x.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= y.length(); j++) {
                int substitution = previous[j - 1] + (x.charAt(i - 1) == y.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[y.length()];
    }
}
