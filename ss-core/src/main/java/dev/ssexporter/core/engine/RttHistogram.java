package dev.ssexporter.core.engine;

import dev.ssexporter.core.histogram.BucketBounds;
import dev.ssexporter.core.histogram.NativeBuckets;
import dev.ssexporter.core.histogram.NativeHistogramAccumulator;
import java.util.Objects;

/**
 * The RTT distribution of the selected sockets in one scrape, with cumulative buckets as
 * Prometheus defines them.
 *
 * @param bounds the finite upper bounds, in milliseconds
 * @param cumulativeCounts {@code bounds.size() + 1} counts: entry {@code i} is the number of
 *     sockets whose RTT is {@code <= bounds.get(i)}; the last entry is the {@code +Inf} bucket and
 *     equals {@code count}
 * @param count sockets observed
 * @param sumMillis their RTTs summed, in milliseconds
 * @param nativeBuckets the same observations in the exponential buckets of a native histogram;
 *     empty when native buckets are off, else their count equals {@code count}
 */
public record RttHistogram(BucketBounds bounds, long[] cumulativeCounts, long count, double sumMillis,
                           NativeBuckets nativeBuckets) {

    public RttHistogram {
        Objects.requireNonNull(bounds, "bounds");
        if (cumulativeCounts.length != bounds.size() + 1) {
            throw new IllegalArgumentException("expected " + (bounds.size() + 1) + " cumulative counts, got "
                    + cumulativeCounts.length);
        }
        for (int i = 1; i < cumulativeCounts.length; i++) {
            if (cumulativeCounts[i] < cumulativeCounts[i - 1]) {
                throw new IllegalArgumentException("cumulative counts decrease at index " + i);
            }
        }
        if (cumulativeCounts[cumulativeCounts.length - 1] != count) {
            throw new IllegalArgumentException("the +Inf bucket (" + cumulativeCounts[cumulativeCounts.length - 1]
                    + ") must equal the count (" + count + ")");
        }
        Objects.requireNonNull(nativeBuckets, "nativeBuckets");
        long nativeCount = nativeBuckets.count();
        if (nativeCount != 0 && nativeCount != count) {
            throw new IllegalArgumentException("the native buckets hold " + nativeCount + " observations, the"
                    + " histogram " + count);
        }
        cumulativeCounts = cumulativeCounts.clone();
    }

    /** A histogram without native buckets. */
    public RttHistogram(BucketBounds bounds, long[] cumulativeCounts, long count, double sumMillis) {
        this(bounds, cumulativeCounts, count, sumMillis, NativeHistogramAccumulator.empty());
    }

    /** This histogram with {@code nativeBuckets}, which must hold the same observations. */
    public RttHistogram withNative(NativeBuckets nativeBuckets) {
        return new RttHistogram(bounds, cumulativeCounts, count, sumMillis, nativeBuckets);
    }

    @Override
    public long[] cumulativeCounts() {
        return cumulativeCounts.clone();
    }

    /** The cumulative count of bucket {@code i}; {@code i == bounds.size()} is {@code +Inf}. */
    public long cumulativeCount(int i) {
        return cumulativeCounts[i];
    }
}
