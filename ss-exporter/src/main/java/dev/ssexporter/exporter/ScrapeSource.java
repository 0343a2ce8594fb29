package dev.ssexporter.exporter;

import dev.ssexporter.core.config.ExporterConfig;
import dev.ssexporter.core.engine.RunningTotals;
import dev.ssexporter.core.engine.Scrape;
import java.io.IOException;

/**
 * Where {@link SocketStatsCollector} gets its {@link Scrape}s: the engine over the kernel reader in
 * production, a fixed or slow fake in tests. Package-private: the test seam, not API.
 */
@FunctionalInterface
interface ScrapeSource extends AutoCloseable {

    /** One collection; should report failure in the scrape's stats rather than throw. */
    Scrape collect();

    /** Releases what the source owns (reader, engine); nothing by default. */
    @Override
    default void close() {}

    /** Builds the source that serves one configuration; called at start and on every reload. */
    @FunctionalInterface
    interface Factory {
        /**
         * @param totals the running totals the collector keeps across reloads; an engine adds to them
         * @throws IOException when the source cannot be opened (e.g. the netlink socket)
         */
        ScrapeSource open(ExporterConfig config, RunningTotals totals) throws IOException;
    }
}
