package dev.ssexporter.core.histogram;

import java.util.Arrays;

/**
 * The buckets of a Prometheus native histogram over non-negative observations: an exponential
 * schema, a zero bucket, and the populated positive buckets. Immutable.
 *
 * <p>With schema {@code s}, bucket {@code i} holds the values in {@code (2^((i-1)/2^s), 2^(i/2^s)]}:
 * for schema 3, bucket 0 is {@code (0.917, 1]}, bucket 8 is {@code (1.834, 2]}, bucket -8 is
 * {@code (0.459, 0.5]}. Values at most {@link #zeroThreshold()} count in the zero bucket instead.
 *
 * @param schema the resolution, -4 to 8 as Prometheus accepts it
 * @param zeroThreshold the zero bucket's upper bound, at least 0
 * @param zeroCount observations in the zero bucket
 * @param indexes the populated bucket indexes, strictly increasing
 * @param counts the observations in each of those buckets (not cumulative), each at least 1
 */
public record NativeBuckets(int schema, double zeroThreshold, long zeroCount, int[] indexes, long[] counts) {

    public NativeBuckets {
        if (schema < -4 || schema > 8) {
            throw new IllegalArgumentException("native histogram schema must be -4 to 8, got " + schema);
        }
        if (!(zeroThreshold >= 0) || Double.isInfinite(zeroThreshold)) {
            throw new IllegalArgumentException("zero threshold must be finite and not negative, got " + zeroThreshold);
        }
        if (zeroCount < 0) {
            throw new IllegalArgumentException("zero count must not be negative, got " + zeroCount);
        }
        if (indexes.length != counts.length) {
            throw new IllegalArgumentException(indexes.length + " bucket indexes but " + counts.length + " counts");
        }
        for (int i = 0; i < indexes.length; i++) {
            if (i > 0 && indexes[i] <= indexes[i - 1]) {
                throw new IllegalArgumentException("bucket indexes must increase, got " + indexes[i - 1] + " then "
                        + indexes[i]);
            }
            if (counts[i] < 1) {
                throw new IllegalArgumentException("bucket " + indexes[i] + " has count " + counts[i]
                        + "; only populated buckets are listed");
            }
        }
        indexes = indexes.clone();
        counts = counts.clone();
    }

    /** No observation, with the given schema and zero threshold. */
    public static NativeBuckets empty(int schema, double zeroThreshold) {
        return new NativeBuckets(schema, zeroThreshold, 0, new int[0], new long[0]);
    }

    @Override
    public int[] indexes() {
        return indexes.clone();
    }

    @Override
    public long[] counts() {
        return counts.clone();
    }

    /** All observations: the zero bucket plus every positive bucket. */
    public long count() {
        long n = zeroCount;
        for (long c : counts) {
            n += c;
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NativeBuckets b && b.schema == schema && Double.compare(b.zeroThreshold, zeroThreshold) == 0
                && b.zeroCount == zeroCount && Arrays.equals(b.indexes, indexes) && Arrays.equals(b.counts, counts);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * schema + Long.hashCode(zeroCount)) + Arrays.hashCode(indexes);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("NativeBuckets[schema=").append(schema).append(", zero<=")
                .append(zeroThreshold).append(": ").append(zeroCount);
        for (int i = 0; i < indexes.length; i++) {
            sb.append(", ").append(indexes[i]).append(": ").append(counts[i]);
        }
        return sb.append(']').toString();
    }
}
