package dev.ssexporter.core.config;

import dev.ssexporter.core.histogram.BucketBounds;
import java.util.Objects;

/**
 * Which metric families are exported: the effective switches after group and sub-metric
 * {@code active} flags are combined (a sub-metric is on when its group is on and it is on).
 *
 * @param rttHistogram {@code tcp_rtt_hist_ms}
 * @param rttBounds the histogram's bucket upper bounds in milliseconds
 * @param rttGauge {@code tcp_rtt}
 * @param cwndGauge {@code tcp_cwnd}
 * @param deliveryRateGauge {@code tcp_delivery_rate}
 * @param dataSegsInCounter {@code tcp_data_segs_in_total}
 * @param dataSegsOutCounter {@code tcp_data_segs_out_total}
 */
public record MetricsConfig(
        boolean rttHistogram,
        BucketBounds rttBounds,
        boolean rttGauge,
        boolean cwndGauge,
        boolean deliveryRateGauge,
        boolean dataSegsInCounter,
        boolean dataSegsOutCounter) {

    public MetricsConfig {
        Objects.requireNonNull(rttBounds, "rttBounds");
    }

    /** Everything on, with the default bounds. */
    public static MetricsConfig defaults() {
        return new MetricsConfig(true, BucketBounds.defaultRttMillis(), true, true, true, true, true);
    }

    /** Whether any per-flow family is on, so flow labels must be built. */
    public boolean anyPerFlow() {
        return rttGauge || cwndGauge || deliveryRateGauge || dataSegsInCounter || dataSegsOutCounter;
    }
}
