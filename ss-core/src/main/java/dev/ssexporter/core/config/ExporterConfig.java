package dev.ssexporter.core.config;

import dev.ssexporter.core.folding.LabelFolding;
import java.util.Objects;

/**
 * The whole validated configuration ({@code logic:} in the YAML file).
 *
 * @param metrics which families are exported
 * @param folding how flows are labelled ({@code logic.compression.labelFolding})
 * @param selection which sockets are exported ({@code logic.selection})
 * @param limits bounds on what one scrape exports ({@code logic.limits})
 * @param aggregation the aggregate families ({@code logic.aggregation})
 * @param namespaces which network namespaces are read ({@code logic.namespaces})
 */
public record ExporterConfig(MetricsConfig metrics, LabelFolding folding, SelectionConfig selection,
                             LimitsConfig limits, AggregationConfig aggregation, NamespacesConfig namespaces) {

    public ExporterConfig {
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(folding, "folding");
        Objects.requireNonNull(selection, "selection");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(aggregation, "aggregation");
        Objects.requireNonNull(namespaces, "namespaces");
    }

    /** A configuration of the exporter's own network namespace only. */
    public ExporterConfig(MetricsConfig metrics, LabelFolding folding, SelectionConfig selection,
                          LimitsConfig limits, AggregationConfig aggregation) {
        this(metrics, folding, selection, limits, aggregation, NamespacesConfig.host());
    }

    /** A configuration with the default {@link LimitsConfig limits} and no aggregates. */
    public ExporterConfig(MetricsConfig metrics, LabelFolding folding, SelectionConfig selection) {
        this(metrics, folding, selection, LimitsConfig.defaults(), AggregationConfig.none());
    }

    /** A configuration with these limits and no aggregates ({@link AggregationConfig#none()}), as before they existed. */
    public ExporterConfig(MetricsConfig metrics, LabelFolding folding, SelectionConfig selection, LimitsConfig limits) {
        this(metrics, folding, selection, limits, AggregationConfig.none());
    }

    /** A configuration with the default limits and these aggregates. */
    public ExporterConfig(MetricsConfig metrics, LabelFolding folding, SelectionConfig selection,
                          AggregationConfig aggregation) {
        this(metrics, folding, selection, LimitsConfig.defaults(), aggregation);
    }

    /**
     * The configuration used without a config file: all per-flow families, raw_endpoint, no
     * selection, default limits, and the default aggregates (socket states and listeners).
     */
    public static ExporterConfig defaults() {
        return new ExporterConfig(MetricsConfig.defaults(), LabelFolding.RAW_ENDPOINT, SelectionConfig.none(),
                LimitsConfig.defaults(), AggregationConfig.defaults());
    }

    /** This config with {@code aggregation} instead of its own. */
    public ExporterConfig withAggregation(AggregationConfig aggregation) {
        return new ExporterConfig(metrics, folding, selection, limits, aggregation, namespaces);
    }

    /** Whether serving this config needs the {@code /proc} walk that maps socket inodes to processes. */
    public boolean needsProcessAttribution() {
        return folding == LabelFolding.PID_CONDENSED || selection.process().isActive();
    }
}
