package dev.ssexporter.core.engine;

import java.util.Arrays;

/**
 * Sorts a scrape's flows by label, the order {@link SocketStatsEngine} returns them in. The
 * labels are byte strings lying one after the other in one array, label {@code r} from
 * {@code starts[r]} to {@code starts[r + 1]}, as {@link FlowTable} keeps them.
 *
 * <p>The order is that of the bytes compared as unsigned numbers. For UTF-8 that is Unicode code
 * point order, and for ASCII (every flow label: addresses, ports and pids) exactly
 * {@link String#compareTo}'s order. Labels with the same bytes are ordered by their index, so the
 * order is total and the same for the same labels.
 *
 * <p>Flow labels share long prefixes ({@code (SRC#10.0.0.1|}...), which a comparison sort pays
 * for in every comparison. This is a three-way radix quicksort (Bentley and Sedgewick's multikey
 * quicksort) over the label bytes: each byte of a common prefix is looked at about once per
 * label. It moves three {@code int}s per label (index, start, end), never the bytes, and reads the
 * keys from the one array. It recurses into the two smaller of its three partitions and loops on
 * the largest, so the stack depth stays below log<sub>2</sub> of the flow count whatever the
 * labels are.
 */
final class LabelOrder {
    /** Partitions smaller than this are insertion-sorted. */
    private static final int INSERTION_SORT_BELOW = 12;

    private LabelOrder() {}

    /**
     * The indices {@code 0..count-1} of the labels in {@code bytes}, in the order described above,
     * with their byte ranges in that order.
     *
     * @param starts {@code count + 1} ascending offsets: label {@code r} is
     *     {@code bytes[starts[r] .. starts[r + 1])}
     */
    static Sorted sort(byte[] bytes, int[] starts, int count) {
        if (starts.length <= count || (count > 0 && starts[count] > bytes.length)) {
            throw new IllegalArgumentException(count + " labels need " + (count + 1) + " offsets within "
                    + bytes.length + " bytes");
        }
        int[] order = new int[count];
        int[] from = new int[count];
        int[] to = new int[count];
        for (int r = 0; r < count; r++) {
            order[r] = r;
            from[r] = starts[r];
            to[r] = starts[r + 1];
        }
        if (count > 1) {
            new Sorter(bytes, order, from, to).sort(0, count, 0);
        }
        return new Sorted(order, from, to);
    }

    /**
     * A sort's result: the {@code i}th label in order is label {@code order[i]}, and its bytes
     * are {@code bytes[from[i] .. to[i])}.
     */
    record Sorted(int[] order, int[] from, int[] to) {}

    /** One sort's keys, swapped together: label index, first byte, end. */
    private record Sorter(byte[] bytes, int[] order, int[] from, int[] to) {

        /** Sorts {@code [lo, hi)}, whose keys are known to agree on their first {@code depth} bytes. */
        void sort(int lo, int hi, int depth) {
            while (hi - lo >= INSERTION_SORT_BELOW) {
                int pivot = byteAt(lo + (hi - lo) / 2, depth);
                int lt = lo;
                int gt = hi;
                int i = lo;
                while (i < gt) {
                    int c = byteAt(i, depth);
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
            int first = from[lo];
            int common = to[lo] - first;
            for (int i = lo + 1; i < hi && common > depth; i++) {
                int end = Math.min(common, to[i] - from[i]);
                int m = depth >= end ? -1
                        : Arrays.mismatch(bytes, first + depth, first + end, bytes, from[i] + depth, from[i] + end);
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

        /** Keys that are all the same bytes: by index. */
        private void sortEqualKeys(int lo, int hi) {
            for (int i = lo + 1; i < hi; i++) {
                for (int j = i; j > lo && order[j - 1] > order[j]; j--) {
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

        /**
         * Compares keys {@code a} and {@code b} from byte {@code depth} on, byte by byte: here they
         * differ within a few bytes, where a library call's set-up would cost more than the loop.
         */
        private int compare(int a, int b, int depth) {
            int i = from[a] + depth;
            int j = from[b] + depth;
            int endA = to[a];
            int endB = to[b];
            for (; i < endA && j < endB; i++, j++) {
                int c = (bytes[i] & 0xff) - (bytes[j] & 0xff);
                if (c != 0) {
                    return c;
                }
            }
            int c = Integer.compare(endA - i, endB - j);
            return c != 0 ? c : Integer.compare(order[a], order[b]);
        }

        private void swap(int a, int b) {
            int t = order[a];
            order[a] = order[b];
            order[b] = t;
            t = from[a];
            from[a] = from[b];
            from[b] = t;
            t = to[a];
            to[a] = to[b];
            to[b] = t;
        }

        private int byteAt(int i, int depth) {
            int at = from[i] + depth;
            return at < to[i] ? bytes[at] & 0xff : -1;
        }
    }
}
