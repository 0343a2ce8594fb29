package dev.ssexporter.core.engine;

import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * Sorts a scrape's flows by label, the order {@link SocketStatsEngine} returns them in.
 *
 * <p>The order is that of the labels' UTF-8 bytes compared as unsigned numbers, which is Unicode
 * code point order: for labels without characters outside the Basic Multilingual Plane (every
 * label made of addresses, ports and process names in practice) it is exactly
 * {@link String#compareTo}'s order. Two labels with the same bytes (possible only with unpaired
 * surrogates, which UTF-8 writes as {@code ?}) are ordered by {@link String#compareTo}, so the
 * order is total and the same for the same set of labels.
 *
 * <p>Flow labels share long prefixes ({@code (SRC#10.0.0.1|}...), which a comparison sort pays
 * for in every comparison, on labels scattered over the heap. This is a three-way radix
 * quicksort (Bentley and Sedgewick's multikey quicksort) over the label bytes: each byte of a
 * common prefix is looked at about once per label, and the keys are one {@code byte[]} per
 * label. It recurses into the two smaller of its three partitions and loops on the largest, so
 * the stack depth stays below log<sub>2</sub> of the flow count whatever the labels are.
 */
final class LabelOrder {
    /** Partitions smaller than this are insertion-sorted. */
    private static final int INSERTION_SORT_BELOW = 12;

    private LabelOrder() {}

    /** Sorts {@code items} in place by their {@code label}, in the order described above. */
    static <T> void sort(T[] items, Function<? super T, String> label) {
        int n = items.length;
        if (n < 2) {
            return;
        }
        byte[][] keys = new byte[n][];
        String[] labels = new String[n];
        for (int i = 0; i < n; i++) {
            labels[i] = label.apply(items[i]);
            keys[i] = labels[i].getBytes(StandardCharsets.UTF_8);
        }
        new Sorter<>(keys, labels, items).sort(0, n, 0);
    }

    /** One sort's keys, labels and items, swapped together. */
    private record Sorter<T>(byte[][] keys, String[] labels, T[] items) {

        /** Sorts {@code [lo, hi)}, whose keys are known to agree on their first {@code depth} bytes. */
        void sort(int lo, int hi, int depth) {
            while (hi - lo >= INSERTION_SORT_BELOW) {
                int pivot = byteAt(keys[lo + (hi - lo) / 2], depth);
                int lt = lo;
                int gt = hi;
                int i = lo;
                while (i < gt) {
                    int c = byteAt(keys[i], depth);
                    if (c < pivot) {
                        swap(lt++, i++);
                    } else if (c > pivot) {
                        swap(i, --gt);
                    } else {
                        i++;
                    }
                }
                // [lo, lt) below the pivot byte, [lt, gt) equal to it, [gt, hi) above it.
                int below = lt - lo;
                int equal = gt - lt;
                int above = hi - gt;
                if (below == 0 && above == 0 && pivot >= 0) {
                    // All agree on this byte: skip the rest of what they share in one pass.
                    depth = commonPrefix(lo, hi, depth + 1);
                    continue;
                }
                if (equal >= below && equal >= above) {
                    sort(lo, lt, depth);
                    sort(gt, hi, depth);
                    if (pivot < 0) {
                        sortEqualKeys(lt, gt);
                        return;
                    }
                    lo = lt;
                    hi = gt;
                    depth++;
                } else {
                    sortEqual(lt, gt, pivot, depth);
                    if (below >= above) {
                        sort(gt, hi, depth);
                        hi = lt;
                    } else {
                        sort(lo, lt, depth);
                        lo = gt;
                    }
                }
            }
            insertionSort(lo, hi, depth);
        }

        /**
         * How many leading bytes the keys of {@code [lo, hi)}, known to agree on their first
         * {@code depth}, have in common: they all agree with the first key that far.
         */
        private int commonPrefix(int lo, int hi, int depth) {
            byte[] first = keys[lo];
            int common = first.length;
            for (int i = lo + 1; i < hi && common > depth; i++) {
                byte[] k = keys[i];
                int end = Math.min(common, k.length);
                int m = depth >= end ? -1 : java.util.Arrays.mismatch(first, depth, end, k, depth, end);
                common = m < 0 ? end : depth + m;
            }
            return Math.max(common, depth);
        }

        /** The partition whose byte at {@code depth} is {@code pivot} (-1: the keys ended there). */
        private void sortEqual(int lo, int hi, int pivot, int depth) {
            if (pivot < 0) {
                sortEqualKeys(lo, hi);
            } else {
                sort(lo, hi, depth + 1);
            }
        }

        /** Keys that are all the same bytes: by the labels as strings. */
        private void sortEqualKeys(int lo, int hi) {
            for (int i = lo + 1; i < hi; i++) {
                for (int j = i; j > lo && labels[j - 1].compareTo(labels[j]) > 0; j--) {
                    swap(j - 1, j);
                }
            }
        }

        private void insertionSort(int lo, int hi, int depth) {
            for (int i = lo + 1; i < hi; i++) {
                for (int j = i; j > lo && compare(j - 1, j, depth) > 0; j--) {
                    swap(j - 1, j);
                }
            }
        }

        private int compare(int a, int b, int depth) {
            byte[] x = keys[a];
            byte[] y = keys[b];
            int c = java.util.Arrays.compareUnsigned(x, Math.min(depth, x.length), x.length,
                    y, Math.min(depth, y.length), y.length);
            return c != 0 ? c : labels[a].compareTo(labels[b]);
        }

        private void swap(int a, int b) {
            byte[] k = keys[a];
            keys[a] = keys[b];
            keys[b] = k;
            String l = labels[a];
            labels[a] = labels[b];
            labels[b] = l;
            T item = items[a];
            items[a] = items[b];
            items[b] = item;
        }

        private static int byteAt(byte[] key, int depth) {
            return depth < key.length ? key[depth] & 0xff : -1;
        }
    }
}
