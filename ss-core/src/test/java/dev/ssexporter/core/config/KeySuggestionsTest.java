package dev.ssexporter.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeySuggestionsTest {
    private static final List<String> HISTOGRAM_KEYS = List.of("active", "bucketBounds", "bucket_bounds");

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            bucketBound    | bucketBounds
            bucketbounds   | bucketBounds
            BUCKET_BOUNDS  | bucket_bounds
            bucket-bounds  | bucketBounds
            bucket_bound   | bucket_bounds
            actve          | active
            Active         | active
            enabled        | -
            bounds         | -
            """)
    void suggestsTheNearestSpelling(String key, String expected) {
        assertThat(KeySuggestions.nearest(key, HISTOGRAM_KEYS).orElse(null)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"kitten,sitting,3", "'',abc,3", "abc,abc,0", "flaw,lawn,2"})
    void levenshtein(String a, String b, int distance) {
        assertThat(KeySuggestions.distance(a, b)).isEqualTo(distance);
    }
}
