package dev.ssexporter.core.histogram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ssexporter.core.engine.RttHistogram;
import org.junit.jupiter.api.Test;

class RttHistogramAccumulatorTest {
    private final BucketBounds bounds = BucketBounds.of(0.1, 0.5, 1.0, 5.0, 10.0, 50.0, 100.0, 200.0, 500.0);

    @Test
    void cumulativeCountsFromTheReadmeSample() {
        // The flows of the original README's sample output, which printed per-bucket counts.
        RttHistogramAccumulator acc = RttHistogramAccumulator.of(bounds);
        for (double rtt : new double[] {53.376, 39.129, 2.178, 0.038, 51.017, 44.335, 0.011, 36.689, 40.242,
                56.069, 46.931, 0.01, 120.324, 0.015}) {
            acc.observe(rtt);
        }
        RttHistogram h = acc.toHistogram();
        assertThat(h.cumulativeCounts()).containsExactly(4, 4, 4, 5, 5, 10, 13, 14, 14, 14);
        assertThat(h.count()).isEqualTo(14);
        assertThat(h.cumulativeCount(bounds.size())).isEqualTo(14);
        assertThat(h.sumMillis()).isCloseTo(490.364, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(h.bounds()).isEqualTo(bounds);
    }

    @Test
    void valueOnABoundCountsInThatBucket() {
        RttHistogramAccumulator acc = RttHistogramAccumulator.of(BucketBounds.of(0.1, 1.0, 10.0));
        acc.observe(0.1);
        acc.observe(1.0);
        acc.observe(10.0);
        assertThat(acc.toHistogram().cumulativeCounts()).containsExactly(1, 2, 3, 3);
    }

    @Test
    void aboveEveryBoundCountsOnlyInInf() {
        RttHistogramAccumulator acc = RttHistogramAccumulator.of(BucketBounds.of(0.1, 1.0, 10.0));
        acc.observe(10.001);
        acc.observe(99.0);
        acc.observe(0.0);
        RttHistogram h = acc.toHistogram();
        assertThat(h.cumulativeCounts()).containsExactly(1, 1, 1, 3);
        assertThat(h.count()).isEqualTo(3);
        assertThat(h.sumMillis()).isEqualTo(109.001);
        assertThat(acc.count()).isEqualTo(3);
        assertThat(acc.sum()).isEqualTo(109.001);
    }

    @Test
    void snapshotsAreIndependent() {
        RttHistogramAccumulator acc = RttHistogramAccumulator.of(BucketBounds.of(1.0));
        acc.observe(0.5);
        RttHistogram first = acc.toHistogram();
        acc.observe(2.0);
        assertThat(first.cumulativeCounts()).containsExactly(1, 1);
        assertThat(acc.toHistogram().cumulativeCounts()).containsExactly(1, 2);
    }

    @Test
    void emptyIsAllZero() {
        RttHistogram h = RttHistogramAccumulator.empty(BucketBounds.of(1.0, 2.0));
        assertThat(h.cumulativeCounts()).containsExactly(0, 0, 0);
        assertThat(h.count()).isZero();
        assertThat(h.sumMillis()).isZero();
    }

    @Test
    void rejectsImpossibleValues() {
        RttHistogramAccumulator acc = RttHistogramAccumulator.of(BucketBounds.of(1.0));
        assertThatThrownBy(() -> acc.observe(Double.NaN)).hasMessage("an RTT must be finite and not negative, got NaN");
        assertThatThrownBy(() -> acc.observe(-0.5)).hasMessage("an RTT must be finite and not negative, got -0.5");
        assertThatThrownBy(() -> acc.observe(Double.POSITIVE_INFINITY))
                .hasMessage("an RTT must be finite and not negative, got Infinity");
        assertThat(acc.count()).isZero();
    }
}
