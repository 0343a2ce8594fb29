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
 */
public record ExporterConfig(MetricsConfig metrics, LabelFolding folding, SelectionConfig selection,
                             LimitsConfig limits) {

    public ExporterConfig {
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(folding, "folding");
        Objects.requireNonNull(selection, "selection");
        Objects.requireNonNull(limits, "limits");
    }

    /** A configuration with the default {@link LimitsConfig limits}. */
    public ExporterConfig(MetricsConfig metrics, LabelFolding folding, SelectionConfig selection) {
        this(metrics, folding, selection, LimitsConfig.defaults());
    }

    /** The configuration used without a config file: all families, raw_endpoint, no selection, default limits. */
    public static ExporterConfig defaults() {
        return new ExporterConfig(MetricsConfig.defaults(), LabelFolding.RAW_ENDPOINT, SelectionConfig.none());
    }

    /** Whether serving this config needs the {@code /proc} walk that maps socket inodes to processes. */
    public boolean needsProcessAttribution() {
        return folding == LabelFolding.PID_CONDENSED || selection.process().isActive();
    }
}
