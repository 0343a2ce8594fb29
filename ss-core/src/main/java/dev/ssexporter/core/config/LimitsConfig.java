package dev.ssexporter.core.config;

/**
 * {@code logic.limits}: bounds on what one scrape exports, so a host with an unexpected number of
 * connections cannot flood Prometheus with series.
 *
 * @param maxFlows the most per-flow series (flows after label folding) one scrape exports; the
 *     flows beyond it, in label order, are left out of the per-flow families but still count in
 *     the histogram and the socket totals. At least 1.
 */
public record LimitsConfig(int maxFlows) {
    /**
     * The default cap: twice the 100,000 sockets the exporter is benchmarked with, so a host the
     * exporter is sized for never reaches it, while a runaway (a connection leak, a SYN flood
     * selected by accident) stops at a bounded number of series.
     */
    public static final int DEFAULT_MAX_FLOWS = 200_000;

    public LimitsConfig {
        if (maxFlows < 1) {
            throw new IllegalArgumentException("logic.limits.maxFlows must be at least 1, got " + maxFlows);
        }
    }

    /** {@link #DEFAULT_MAX_FLOWS}. */
    public static LimitsConfig defaults() {
        return new LimitsConfig(DEFAULT_MAX_FLOWS);
    }
}
