package dev.ssexporter.core.config;

import dev.ssexporter.core.histogram.BucketBounds;
import dev.ssexporter.core.signals.TcpSignal;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

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
 * @param signals the opt-in per-flow signals switched on (none by default)
 * @param rttNative whether {@code tcp_rtt_hist_ms} also carries native (exponential) buckets,
 *     served in the protobuf format only (on by default)
 */
public record MetricsConfig(
        boolean rttHistogram,
        BucketBounds rttBounds,
        boolean rttGauge,
        boolean cwndGauge,
        boolean deliveryRateGauge,
        boolean dataSegsInCounter,
        boolean dataSegsOutCounter,
        Set<TcpSignal> signals,
        boolean rttNative) {

    public MetricsConfig {
        Objects.requireNonNull(rttBounds, "rttBounds");
        // Kept in declaration order, so families and docs list them alike.
        signals = Collections.unmodifiableSet(signals.isEmpty() ? EnumSet.noneOf(TcpSignal.class) : EnumSet.copyOf(signals));
    }

    /** The families and signals as given, with native buckets. */
    public MetricsConfig(boolean rttHistogram, BucketBounds rttBounds, boolean rttGauge, boolean cwndGauge,
                         boolean deliveryRateGauge, boolean dataSegsInCounter, boolean dataSegsOutCounter,
                         Set<TcpSignal> signals) {
        this(rttHistogram, rttBounds, rttGauge, cwndGauge, deliveryRateGauge, dataSegsInCounter, dataSegsOutCounter,
                signals, true);
    }

    /** The default families as given, no opt-in signal, with native buckets. */
    public MetricsConfig(boolean rttHistogram, BucketBounds rttBounds, boolean rttGauge, boolean cwndGauge,
                         boolean deliveryRateGauge, boolean dataSegsInCounter, boolean dataSegsOutCounter) {
        this(rttHistogram, rttBounds, rttGauge, cwndGauge, deliveryRateGauge, dataSegsInCounter, dataSegsOutCounter,
                Set.of());
    }

    /** Every default family on, with the default bounds; no opt-in signal. */
    public static MetricsConfig defaults() {
        return new MetricsConfig(true, BucketBounds.defaultRttMillis(), true, true, true, true, true);
    }

    /** Whether any per-flow family is on, so flow labels must be built. */
    public boolean anyPerFlow() {
        return rttGauge || cwndGauge || deliveryRateGauge || dataSegsInCounter || dataSegsOutCounter
                || !signals.isEmpty();
    }
}
