package dev.ssexporter.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LabelOrderTest {
    private static final Random RANDOM = new Random(20_261_126);

    @Test
    void rawEndpointLabelsSortAsStrings() {
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            int a = RANDOM.nextInt(256);
            int port = 1 + RANDOM.nextInt(65_535);
            labels.add(i % 3 == 0
                    ? "(SRC#2001:db8::" + Integer.toHexString(a) + "|" + port + ")(DST#::1|8020)"
                    : "(SRC#127." + a + ".0.1|" + port + ")(DST#127." + (a + 1) + ".0.1|" + (port % 1000) + ")");
        }
        assertSortsLikeStrings(labels);
    }

    @Test
    void prefixesEscapesAndNonAsciiSortAsStrings() {
        String alphabet = "ab(|)#\\\"\n\u00e9\u00ff\u0100\u65e5 ";
        List<String> labels = new ArrayList<>(List.of("", "a", "aa", "a\u0000", "ab", "b"));
        while (labels.size() < 5_000) {
            StringBuilder sb = new StringBuilder("(SRC#");
            int n = RANDOM.nextInt(12);
            for (int i = 0; i < n; i++) {
                sb.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
            }
            String s = sb.toString();
            if (!labels.contains(s)) {
                labels.add(s);
            }
        }
        assertSortsLikeStrings(labels);
    }

    @Test
    void charactersBeyondTheBmpSortByCodePoint() {
        // U+1F600 is a surrogate pair in a String, which compareTo puts before U+FF21; by code point it is after.
        List<String> labels = new ArrayList<>(List.of("x\ud83d\ude00", "x\uff21", "x\u00e9", "xz"));
        Collections.shuffle(labels, RANDOM);
        assertThat(sorted(labels)).containsExactly("xz", "x\u00e9", "x\uff21", "x\ud83d\ude00");
    }

    @Test
    void unpairedSurrogatesWithTheSameBytesFallBackToStringOrder() {
        // Both are written as "a?" in UTF-8; the order is still total and reproducible.
        List<String> labels = new ArrayList<>(List.of("a\udc01", "a?", "a\ud800", "a\udbff"));
        for (int round = 0; round < 10; round++) {
            Collections.shuffle(labels, RANDOM);
            assertThat(sorted(labels)).containsExactly("a?", "a\ud800", "a\udbff", "a\udc01");
        }
    }

    @Test
    void adversarialShapesSortWithoutDeepRecursion() {
        // Labels that are prefixes of each other, and labels that differ only in their last byte.
        List<String> labels = new ArrayList<>();
        String longPrefix = "p".repeat(5_000);
        for (int i = 0; i < 3_000; i++) {
            labels.add("q".repeat(i));
            labels.add(longPrefix + (char) ('a' + i % 26) + i);
        }
        assertSortsLikeStrings(labels);
        List<String> descending = new ArrayList<>(labels.stream().sorted(Comparator.reverseOrder()).toList());
        assertThat(sorted(descending)).isEqualTo(labels.stream().sorted().toList());
    }

    @Test
    void keysEndingAtAndAroundEightByteBoundariesAndTrailingNuls() {
        List<String> labels = new ArrayList<>();
        for (String base : List.of("", "a", "abcdefg", "abcdefgh", "abcdefghi", "abcdefghijklmno", "abcdefghijklmnop")) {
            for (String tail : List.of("", "\u0000", "\u0000\u0000", "a", "\u00ff", "\u0000a")) {
                labels.add(base + tail);
            }
        }
        List<String> distinct = new ArrayList<>(labels.stream().distinct().toList());
        for (int round = 0; round < 20; round++) {
            assertSortsLikeStrings(distinct);
        }
    }

    @Test
    void emptyAndSingle() {
        assertThat(sorted(List.of())).isEmpty();
        assertThat(sorted(List.of("only"))).containsExactly("only");
    }

    private static void assertSortsLikeStrings(List<String> labels) {
        List<String> shuffled = new ArrayList<>(labels);
        Collections.shuffle(shuffled, RANDOM);
        assertThat(sorted(shuffled)).isEqualTo(labels.stream().sorted().toList());
    }

    private static List<String> sorted(List<String> labels) {
        FlowSample[] flows = labels.stream().map(l -> new FlowSample(l, 1.0, 10, 0, 0, 0, 1)).toArray(FlowSample[]::new);
        LabelOrder.sort(flows, FlowSample::flow);
        return Arrays.stream(flows).map(FlowSample::flow).toList();
    }
}
