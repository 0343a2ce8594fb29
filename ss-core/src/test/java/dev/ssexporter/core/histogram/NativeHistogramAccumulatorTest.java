package dev.ssexporter.core.histogram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Schema 3: bucket {@code i} is {@code (2^((i-1)/8), 2^(i/8)]}. The expected indexes below are
 * worked out by hand: {@code i = ceil(8 * log2(v))}, checked against the bucket's two bounds.
 */
class NativeHistogramAccumulatorTest {
    @Test
    void powersOfTwoAreBucketUpperBounds() {
        assertThat(NativeHistogramAccumulator.index(1.0)).isEqualTo(0);
        assertThat(NativeHistogramAccumulator.index(2.0)).isEqualTo(8);
        assertThat(NativeHistogramAccumulator.index(4.0)).isEqualTo(16);
        assertThat(NativeHistogramAccumulator.index(0.5)).isEqualTo(-8);
        assertThat(NativeHistogramAccumulator.index(Math.nextUp(1.0))).as("just above 1").isEqualTo(1);
        assertThat(NativeHistogramAccumulator.index(Math.nextDown(1.0))).as("just below 1").isEqualTo(0);
        assertThat(NativeHistogramAccumulator.index(Math.nextUp(2.0))).isEqualTo(9);
    }

    @Test
    void handComputedIndexes() {
        // 8 * log2(1.05) = 0.563 -> 1: (1, 1.0905]
        assertThat(NativeHistogramAccumulator.index(1.05)).isEqualTo(1);
        // 8 * log2(1.1) = 1.100 -> 2: (1.0905, 1.1892]
        assertThat(NativeHistogramAccumulator.index(1.1)).isEqualTo(2);
        // 8 * log2(3) = 12.68 -> 13: (2.828, 3.084]
        assertThat(NativeHistogramAccumulator.index(3.0)).isEqualTo(13);
        // 8 * log2(100) = 53.15 -> 54: (98.70, 107.6]
        assertThat(NativeHistogramAccumulator.index(100.0)).isEqualTo(54);
        // 8 * log2(0.005) = -61.15 -> -61: (0.004646, 0.005060], a 5 µs loopback RTT in ms
        assertThat(NativeHistogramAccumulator.index(0.005)).isEqualTo(-61);
        // 8 * log2(0.001) = -79.73 -> -79: (0.000977, 0.001064], the kernel's 1 µs resolution in ms
        assertThat(NativeHistogramAccumulator.index(0.001)).isEqualTo(-79);
        // 2^(1/8) is the top of bucket 1
        assertThat(NativeHistogramAccumulator.index(Math.pow(2, 0.125))).isEqualTo(1);
        assertThat(NativeHistogramAccumulator.index(Double.MIN_VALUE)).as("2^-1074").isEqualTo(-1074 * 8);
        assertThat(NativeHistogramAccumulator.index(Double.MAX_VALUE)).as("just below 2^1024").isEqualTo(1024 * 8);
    }

    @Test
    void everyValueLiesInItsBucket() {
        Random random = new Random(42);
        for (int n = 0; n < 100_000; n++) {
            double v = Math.exp(random.nextDouble() * 40 - 20);
            int i = NativeHistogramAccumulator.index(v);
            double lower = Math.pow(2, (i - 1) / 8.0);
            double upper = Math.pow(2, i / 8.0);
            assertThat(v).as("value %s in bucket %d", v, i).isGreaterThan(lower * (1 - 1e-15))
                    .isLessThanOrEqualTo(upper * (1 + 1e-15));
        }
    }

    @Test
    void bucketsHoldTheCountsOfThePopulatedIndexesOnly() {
        NativeHistogramAccumulator acc = NativeHistogramAccumulator.create();
        for (double v : new double[] {0.005, 100.0, 0.0, 1.0, 0.005, 1.05}) {
            acc.observe(v);
        }
        NativeBuckets b = acc.toBuckets();
        assertThat(b.schema()).isEqualTo(3);
        assertThat(b.zeroThreshold()).isZero();
        assertThat(b.zeroCount()).isEqualTo(1);
        assertThat(b.indexes()).containsExactly(-61, 0, 1, 54);
        assertThat(b.counts()).containsExactly(2, 1, 1, 1);
        assertThat(b.count()).isEqualTo(6);
        assertThat(b).hasToString("NativeBuckets[schema=3, zero<=0.0: 1, -61: 2, 0: 1, 1: 1, 54: 1]");
    }

    @Test
    void theRangeGrowsBothWays() {
        NativeHistogramAccumulator acc = NativeHistogramAccumulator.create();
        acc.observe(1.0);
        acc.observe(1e5); // 8 * log2(1e5) = 132.9 -> 133
        acc.observe(1e-6); // 8 * log2(1e-6) = -159.5 -> -159
        acc.observe(1.0);
        NativeBuckets b = acc.toBuckets();
        assertThat(b.indexes()).containsExactly(-159, 0, 133);
        assertThat(b.counts()).containsExactly(1, 2, 1);
        assertThat(NativeHistogramAccumulator.empty().count()).isZero();
    }

    @Test
    void badObservationsAndBucketsAreRejected() {
        NativeHistogramAccumulator acc = NativeHistogramAccumulator.create();
        assertThatThrownBy(() -> acc.observe(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("an observation must be finite and not negative, got -1.0");
        assertThatThrownBy(() -> acc.observe(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new NativeBuckets(3, 0, 0, new int[] {2, 1}, new long[] {1, 1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("bucket indexes must increase, got 2 then 1");
        assertThatThrownBy(() -> new NativeBuckets(9, 0, 0, new int[0], new long[0]))
                .hasMessage("native histogram schema must be -4 to 8, got 9");
        assertThatThrownBy(() -> new NativeBuckets(3, 0, 0, new int[] {1}, new long[] {0}))
                .hasMessage("bucket 1 has count 0; only populated buckets are listed");
    }
}
