package dev.ssexporter.exporter;

import dev.ssexporter.core.config.ExporterConfig;
import dev.ssexporter.core.engine.RunningTotals;
import dev.ssexporter.core.engine.Scrape;
import dev.ssexporter.core.netns.NamespaceCollector;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The {@link ScrapeSource} for a config that reads other network namespaces ({@code namespaces:
 * all} or a list): a {@link NamespaceCollector}, owned and closed here.
 */
final class NamespaceScrapeSource implements ScrapeSource {
    private final NamespaceCollector collector;

    private NamespaceScrapeSource(NamespaceCollector collector) {
        this.collector = collector;
    }

    /**
     * Opens a reader in every listed namespace, or prepares discovery for {@code all}; the running
     * totals continue and add to {@code totals}.
     *
     * @throws dev.ssexporter.core.netns.NamespaceAccessException when a listed namespace cannot
     *     be read; the message names the path and the missing capability
     * @throws IOException when the exporter's own namespace cannot be read
     */
    static ScrapeSource open(ExporterConfig config, Path procRoot, RunningTotals totals) throws IOException {
        return new NamespaceScrapeSource(NamespaceCollector.open(config, procRoot, totals));
    }

    @Override
    public Scrape collect() {
        return collector.collect();
    }

    @Override
    public void close() {
        collector.close();
    }
}
