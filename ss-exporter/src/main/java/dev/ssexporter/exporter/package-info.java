/**
 * ss-exporter's Prometheus side: {@link dev.ssexporter.exporter.SocketStatsCollector} turns each
 * scrape into one kernel socket dump and every metric family from it, and
 * {@link dev.ssexporter.exporter.ExporterServer} serves a registry over HTTP.
 *
 * <p>As a standalone exporter or inside another JVM application:
 *
 * <pre>{@code
 * PrometheusRegistry registry = new PrometheusRegistry();
 * try (SocketStatsCollector collector = SocketStatsCollector.builder().config(config).register(registry);
 *      ExporterServer server = ExporterServer.builder().port(8020).registry(registry).build().start()) {
 *     ...
 * }
 * }</pre>
 *
 * <p>The metric reference (names, types, units, labels, samples) is {@code docs/metrics.md}.
 * Everything in {@code dev.ssexporter.exporter.internal} is implementation, not API.
 */
package dev.ssexporter.exporter;
