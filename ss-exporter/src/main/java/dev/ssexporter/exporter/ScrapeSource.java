package dev.ssexporter.exporter;

import dev.ssexporter.core.engine.Scrape;

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
}
