package dev.ssexporter.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
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
    void labelsWithTheSameBytesKeepTheirIndexOrder() {
        byte[] bytes = "bbaabbaa".getBytes(StandardCharsets.US_ASCII);
        int[] starts = {0, 2, 4, 6, 8};
        assertThat(LabelOrder.sort(bytes, starts, 4).order()).containsExactly(1, 3, 0, 2);
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            many.add(i % 2 == 0 ? "same" : "same" + (i % 7));
        }
        byte[] arena = String.join("", many).getBytes(StandardCharsets.US_ASCII);
        int[] offsets = offsets(many.stream().map(l -> l.getBytes(StandardCharsets.US_ASCII)).toList());
        int[] order = LabelOrder.sort(arena, offsets, many.size()).order();
        for (int k = 1; k < order.length; k++) {
            String prev = many.get(order[k - 1]);
            String cur = many.get(order[k]);
            assertThat(prev.compareTo(cur) < 0 || (prev.equals(cur) && order[k - 1] < order[k]))
                    .as("%s (#%d) before %s (#%d)", prev, order[k - 1], cur, order[k]).isTrue();
        }
    }

    @Test
    void onlyTheFirstCountLabelsAreSorted() {
        byte[] bytes = "cba".getBytes(StandardCharsets.US_ASCII);
        assertThat(LabelOrder.sort(bytes, new int[] {0, 1, 2, 3}, 2).order()).containsExactly(1, 0);
        assertThatThrownBy(() -> LabelOrder.sort(bytes, new int[] {0, 1}, 2))
                .isInstanceOf(IllegalArgumentException.class);
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

    /** The labels in the order LabelOrder sorts their UTF-8 bytes, laid out one after the other. */
    private static List<String> sorted(List<String> labels) {
        List<byte[]> keys = labels.stream().map(l -> l.getBytes(StandardCharsets.UTF_8)).toList();
        int[] starts = offsets(keys);
        byte[] arena = new byte[starts[keys.size()] + 3];  // slack after the last label is not read
        for (int i = 0; i < keys.size(); i++) {
            System.arraycopy(keys.get(i), 0, arena, starts[i], keys.get(i).length);
        }
        LabelOrder.Sorted sorted = LabelOrder.sort(arena, starts, keys.size());
        for (int i = 0; i < keys.size(); i++) {
            assertThat(sorted.from()[i]).isEqualTo(starts[sorted.order()[i]]);
            assertThat(sorted.to()[i]).isEqualTo(starts[sorted.order()[i] + 1]);
        }
        return Arrays.stream(sorted.order()).mapToObj(labels::get).toList();
    }

    private static int[] offsets(List<byte[]> keys) {
        int[] starts = new int[keys.size() + 1];
        for (int i = 0; i < keys.size(); i++) {
            starts[i + 1] = starts[i] + keys.get(i).length;
        }
        return starts;
    }
}
