package dev.ssexporter.core.engine;

import dev.ssexporter.core.histogram.BucketBounds;
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
 */
public record RttHistogram(BucketBounds bounds, long[] cumulativeCounts, long count, double sumMillis) {

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
        cumulativeCounts = cumulativeCounts.clone();
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
