package dev.ssexporter.core.histogram;

import dev.ssexporter.core.engine.RttHistogram;
import java.util.Objects;

/**
 * Counts RTT observations of one scrape into the buckets of a {@link BucketBounds}, then yields
 * the Prometheus-style {@link RttHistogram} with cumulative counts.
 *
 * <p>A value equal to a bound counts in that bound's bucket ({@code le} means "less than or
 * equal"); a value above every bound counts only in {@code +Inf}. Internally each observation
 * increments one per-bucket slot (a binary search, no allocation); {@link #toHistogram()} sums the
 * slots into cumulative counts, so the {@code +Inf} count always equals the observation count.
 *
 * <p>Mutable and <strong>not thread-safe</strong>: build one per scrape, fill it on one thread.
 *
 * <pre>{@code
 * RttHistogramAccumulator acc = RttHistogramAccumulator.of(BucketBounds.of(0.1, 1.0, 10.0));
 * acc.observe(0.1);   // le="0.1"
 * acc.observe(5.0);   // le="10.0"
 * acc.observe(99.0);  // le="+Inf" only
 * acc.toHistogram();  // cumulative [1, 1, 2, 3], count 3, sum 104.1
 * }</pre>
 */
public final class RttHistogramAccumulator {
    private final BucketBounds bounds;
    private final long[] perBucket;
    private long count;
    private double sum;

    private RttHistogramAccumulator(BucketBounds bounds) {
        this.bounds = bounds;
        this.perBucket = new long[bounds.size() + 1];
    }

    public static RttHistogramAccumulator of(BucketBounds bounds) {
        return new RttHistogramAccumulator(Objects.requireNonNull(bounds, "bounds"));
    }

    /**
     * Records one RTT.
     *
     * @param millis the RTT in milliseconds
     * @throws IllegalArgumentException when {@code millis} is NaN, infinite or negative
     */
    public void observe(double millis) {
        if (!(millis >= 0) || millis == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("an RTT must be finite and not negative, got " + millis);
        }
        perBucket[bounds.bucketOf(millis)]++;
        count++;
        sum += millis;
    }

    /** Observations so far. */
    public long count() {
        return count;
    }

    /** Sum of the observations so far, in milliseconds. */
    public double sum() {
        return sum;
    }

    public BucketBounds bounds() {
        return bounds;
    }

    /** The histogram of the observations so far, with cumulative bucket counts. */
    public RttHistogram toHistogram() {
        long[] cumulative = new long[perBucket.length];
        long running = 0;
        for (int i = 0; i < perBucket.length; i++) {
            running += perBucket[i];
            cumulative[i] = running;
        }
        return new RttHistogram(bounds, cumulative, count, sum);
    }

    /** An all-zero histogram over {@code bounds}: what a failed or disabled collection reports. */
    public static RttHistogram empty(BucketBounds bounds) {
        return of(bounds).toHistogram();
    }
}
