package dev.ssexporter.core.histogram;

import java.util.Arrays;

/**
 * Counts observations into the exponential buckets of a Prometheus native histogram
 * ({@link NativeBuckets}), with a fixed schema and no bounds to configure.
 *
 * <p>The schema is {@link #SCHEMA} 3: eight buckets per power of two, each about 9% wider than
 * the one below, so a quantile read from it is within about 4.4% of the true value, at any scale
 * (a 5 µs loopback RTT and a 300 ms intercontinental one alike). RTTs in milliseconds from
 * 0.001 to 100 000 span about 220 buckets at most, of which a scrape fills only those it needs.
 * The zero threshold is 0: only an RTT of exactly 0 (a socket without an RTT sample) lands in the
 * zero bucket.
 *
 * <p>The index of a value {@code v > 0} is the smallest {@code i} with {@code v <= 2^(i/8)},
 * computed without logarithms: with {@code v = m * 2^e}, {@code 1 <= m < 2}, it is
 * {@code 8e + j} where {@code j} is the smallest with {@code m <= 2^(j/8)}, found in a table of
 * the nine bounds {@code 2^(j/8)}. Powers of two are exact bucket upper bounds (1 ms is the top
 * of bucket 0, 2 ms of bucket 8, 0.5 ms of bucket -8).
 *
 * <p>Mutable and <strong>not thread-safe</strong>: one per scrape, filled on one thread. Counts
 * live in a dense array over the indexes seen so far, grown as needed: no allocation per
 * observation once the range is known.
 */
public final class NativeHistogramAccumulator {
    /** The schema of every histogram built here. */
    public static final int SCHEMA = 3;
    /** The zero bucket holds only exact zeros. */
    public static final double ZERO_THRESHOLD = 0.0;
    private static final int PER_OCTAVE = 1 << SCHEMA;
    /** {@code 2^(j/8)} for j = 0..8; the last is 2. */
    private static final double[] OCTAVE_BOUNDS = octaveBounds();

    private long[] counts = new long[0];
    /** The bucket index of {@code counts[0]}. */
    private int offset;
    private long zeroCount;

    private NativeHistogramAccumulator() {}

    public static NativeHistogramAccumulator create() {
        return new NativeHistogramAccumulator();
    }

    private static double[] octaveBounds() {
        double[] b = new double[PER_OCTAVE + 1];
        for (int j = 0; j <= PER_OCTAVE; j++) {
            b[j] = Math.pow(2, (double) j / PER_OCTAVE);
        }
        b[0] = 1.0;
        b[PER_OCTAVE] = 2.0;
        return b;
    }

    /**
     * The bucket index of {@code value} under {@link #SCHEMA}.
     *
     * @throws IllegalArgumentException unless {@code value} is finite and greater than 0
     */
    public static int index(double value) {
        if (!(value > 0) || value == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("a native bucket index needs a finite value above 0, got " + value);
        }
        int e = Math.getExponent(value);
        if (e < Double.MIN_EXPONENT) {
            // Subnormal: scale into the normal range first.
            return index(value * 0x1p64) - 64 * PER_OCTAVE;
        }
        double m = Math.scalb(value, -e);
        int j = Arrays.binarySearch(OCTAVE_BOUNDS, m);
        if (j < 0) {
            j = -j - 1;
        }
        return e * PER_OCTAVE + j;
    }

    /**
     * Records one observation.
     *
     * @throws IllegalArgumentException when {@code value} is NaN, infinite or negative
     */
    public void observe(double value) {
        if (!(value >= 0) || value == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("an observation must be finite and not negative, got " + value);
        }
        if (value <= ZERO_THRESHOLD) {
            zeroCount++;
            return;
        }
        int i = index(value);
        if (counts.length == 0) {
            counts = new long[16];
            offset = i - 8;
        } else if (i < offset || i >= offset + counts.length) {
            int low = Math.min(offset, i);
            int high = Math.max(offset + counts.length, i + 1);
            int size = Math.max(high - low, 2 * counts.length);
            int newOffset = i < offset ? high - size : low;
            long[] grown = new long[size];
            System.arraycopy(counts, 0, grown, offset - newOffset, counts.length);
            counts = grown;
            offset = newOffset;
        }
        counts[i - offset]++;
    }

    /** The buckets so far: only the populated ones. */
    public NativeBuckets toBuckets() {
        int n = 0;
        for (long c : counts) {
            if (c > 0) {
                n++;
            }
        }
        int[] indexes = new int[n];
        long[] values = new long[n];
        int k = 0;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > 0) {
                indexes[k] = offset + i;
                values[k++] = counts[i];
            }
        }
        return new NativeBuckets(SCHEMA, ZERO_THRESHOLD, zeroCount, indexes, values);
    }

    /** No observations, as a disabled or failed collection reports them. */
    public static NativeBuckets empty() {
        return NativeBuckets.empty(SCHEMA, ZERO_THRESHOLD);
    }
}
