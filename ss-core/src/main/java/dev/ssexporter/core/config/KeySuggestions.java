package dev.ssexporter.core.config;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * "Did you mean" for unknown keys: the valid key nearest to a misspelt one, when it is near
 * enough. Keys are compared case-insensitively and without {@code _} or {@code -}, so
 * {@code bucketBound}, {@code Bucket_Bounds} and {@code bucketbonds} all lead to {@code bucketBounds}.
 */
final class KeySuggestions {
    /** The largest edit distance still offered as a suggestion. */
    static final int MAX_DISTANCE = 2;

    private KeySuggestions() {
    }

    /** The message for an unknown key among {@code valid} (all spellings, in schema order). */
    static String unknownKey(String key, List<String> valid) {
        return nearest(key, valid)
                .map(s -> "unknown key; did you mean '" + s + "'?")
                .orElseGet(() -> "unknown key; expected one of: " + String.join(", ", valid));
    }

    /** The valid key nearest to {@code key}, if within {@link #MAX_DISTANCE} edits after normalising. */
    static Optional<String> nearest(String key, List<String> valid) {
        String k = normalise(key);
        String lower = key.toLowerCase(Locale.ROOT);
        return valid.stream()
                .filter(v -> distance(k, normalise(v)) <= MAX_DISTANCE)
                .min(Comparator.<String>comparingInt(v -> distance(k, normalise(v)))
                        .thenComparingInt(v -> distance(lower, v.toLowerCase(Locale.ROOT))));
    }

    private static String normalise(String s) {
        return s.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
    }

    /** Levenshtein distance, two rows. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(substitution, Math.min(prev[j], cur[j - 1]) + 1);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
