package dev.ssexporter.core.histogram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class BucketBoundsTest {

    @Test
    void bucketOfUsesLessOrEqual() {
        BucketBounds b = BucketBounds.of(0.1, 1.0, 10.0);
        assertThat(b.bucketOf(0.0)).isEqualTo(0);
        assertThat(b.bucketOf(0.1)).isEqualTo(0);
        assertThat(b.bucketOf(0.1000001)).isEqualTo(1);
        assertThat(b.bucketOf(1.0)).isEqualTo(1);
        assertThat(b.bucketOf(10.0)).isEqualTo(2);
        assertThat(b.bucketOf(10.000001)).isEqualTo(3);
        assertThat(b.bucketOf(Double.MAX_VALUE)).isEqualTo(3);
    }

    @Test
    void negativeZeroBoundHoldsZero() {
        BucketBounds b = BucketBounds.of(-0.0, 1.0);
        assertThat(b.get(0)).isEqualTo(0.0);
        assertThat(b.bucketOf(0.0)).isEqualTo(0);
        assertThat(b).isEqualTo(BucketBounds.of(0.0, 1.0));
    }

    @Test
    void defaults() {
        BucketBounds d = BucketBounds.defaultRttMillis();
        assertThat(d.size()).isEqualTo(18);
        assertThat(d.get(0)).isEqualTo(0.001);
        assertThat(d.get(17)).isEqualTo(1000.0);
        assertThat(d).hasToString("[0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 25.0, "
                + "50.0, 100.0, 250.0, 500.0, 1000.0]");
    }

    @Test
    void isImmutable() {
        double[] raw = {1.0, 2.0};
        BucketBounds b = BucketBounds.of(raw);
        raw[0] = 5.0;
        b.toArray()[1] = 9.0;
        assertThat(b.toArray()).containsExactly(1.0, 2.0);
        assertThat(BucketBounds.of(List.of(1.0, 2.0))).isEqualTo(b).hasSameHashCodeAs(b);
    }

    @Test
    void rejectsInvalid() {
        assertThatThrownBy(() -> BucketBounds.of()).hasMessage("bucket bounds must not be empty");
        assertThatThrownBy(() -> BucketBounds.of(1.0, 0.5))
                .hasMessage("bucket bounds must be strictly increasing: 0.5 after 1.0 at index 1");
        assertThatThrownBy(() -> BucketBounds.of(1.0, 1.0)).hasMessage("bucket bounds must not repeat: 1.0 after 1.0 at index 1");
        assertThatThrownBy(() -> BucketBounds.of(-1.0)).hasMessage("bucket bound -1.0 at index 0 is negative");
        assertThatThrownBy(() -> BucketBounds.of(1.0, Double.POSITIVE_INFINITY))
                .hasMessage("bucket bound Infinity at index 1 is not finite (the +Inf bucket is always added)");
        assertThatThrownBy(() -> BucketBounds.of(Double.NaN)).hasMessage("bucket bound NaN at index 0 is not finite (the +Inf bucket is always added)");
    }
}
