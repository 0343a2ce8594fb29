/**
 * The collection engine: one kernel dump per scrape becomes one {@link
 * dev.ssexporter.core.engine.Scrape} (flows, RTT histogram, self statistics) that every metric
 * family reads.
 *
 * <pre>{@code
 * try (SocketStatsEngine engine = SocketStatsEngine.builder()
 *         .config(config)
 *         .source(reader)                     // the netlink SockDiagReader
 *         .procRoot(Path.of("/host/proc"))   // default /proc
 *         .build()) {
 *     Scrape scrape = engine.collect();       // never throws
 *     if (!scrape.stats().success()) { ... scrape.stats().error() ... }
 * }
 * }</pre>
 */
package dev.ssexporter.core.engine;
