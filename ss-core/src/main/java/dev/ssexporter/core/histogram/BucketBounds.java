package dev.ssexporter.core.histogram;

import java.util.Arrays;
import java.util.List;

/**
 * The finite upper bounds of a histogram's buckets, strictly increasing, finite and not negative.
 * The {@code +Inf} bucket is implicit.
 *
 * <pre>{@code
 * BucketBounds.of(0.1, 0.5, 1.0)
 * BucketBounds.of(1.0, 0.5)   // IllegalArgumentException: bucket bounds must be strictly increasing: 0.5 after 1.0 at index 1
 * }</pre>
 */
public final class BucketBounds {
    /** The default RTT bounds in milliseconds, 0.001 to 1000. */
    private static final BucketBounds DEFAULT_RTT_MILLIS = of(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
            1.0, 2.5, 5.0, 10.0, 25.0, 50.0, 100.0, 250.0, 500.0, 1000.0);

    private final double[] bounds;

    private BucketBounds(double[] bounds) {
        this.bounds = bounds;
    }

    /**
     * Validates and wraps {@code bounds}.
     *
     * @throws IllegalArgumentException when empty, not finite, negative, or not strictly increasing
     *     (which includes duplicates), naming the offending value and its index
     */
    public static BucketBounds of(double... bounds) {
        if (bounds.length == 0) {
            throw new IllegalArgumentException("bucket bounds must not be empty");
        }
        for (int i = 0; i < bounds.length; i++) {
            double b = bounds[i];
            if (!Double.isFinite(b)) {
                throw new IllegalArgumentException("bucket bound " + b + " at index " + i
                        + " is not finite (the +Inf bucket is always added)");
            }
            if (b < 0) {
                throw new IllegalArgumentException("bucket bound " + b + " at index " + i + " is negative");
            }
            if (i > 0 && b <= bounds[i - 1]) {
                throw new IllegalArgumentException((b == bounds[i - 1] ? "bucket bounds must not repeat: "
                        : "bucket bounds must be strictly increasing: ") + b + " after " + bounds[i - 1]
                        + " at index " + i);
            }
        }
        double[] copy = bounds.clone();
        for (int i = 0; i < copy.length; i++) {
            copy[i] += 0.0; // -0.0 becomes 0.0, so bucketOf(0.0) finds it: binarySearch orders -0.0 < 0.0
        }
        return new BucketBounds(copy);
    }

    /** Same as {@link #of(double...)}, from a list. */
    public static BucketBounds of(List<Double> bounds) {
        return of(bounds.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** 0.001, 0.005, 0.01, ... 500, 1000 ms: the original exporter's default. */
    public static BucketBounds defaultRttMillis() {
        return DEFAULT_RTT_MILLIS;
    }

    /** Number of finite bounds. */
    public int size() {
        return bounds.length;
    }

    /** The finite bound at {@code index}. */
    public double get(int index) {
        return bounds[index];
    }

    /** A copy of the finite bounds. */
    public double[] toArray() {
        return bounds.clone();
    }

    /**
     * Index of the first bucket whose upper bound is {@code >= value}; {@link #size()} for the
     * {@code +Inf} bucket.
     */
    public int bucketOf(double value) {
        int i = Arrays.binarySearch(bounds, value);
        return i >= 0 ? i : -i - 1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BucketBounds b && Arrays.equals(b.bounds, bounds);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bounds);
    }

    @Override
    public String toString() {
        return Arrays.toString(bounds);
    }
}
