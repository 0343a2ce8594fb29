/**
 * The config file: YAML in, immutable records out.
 *
 * <p>{@link dev.ssexporter.core.config.ConfigLoader} reads the file the original Python exporter
 * used (both spellings its examples use, such as {@code latency}/{@code rtt} and
 * {@code bucket_bounds}/{@code bucketBounds}) into an {@link dev.ssexporter.core.config.ExporterConfig}.
 * It is strict: every unknown key, wrong type or invalid value in the file is reported at once,
 * each as a {@link dev.ssexporter.core.config.ConfigError} with its key path, line and column.
 *
 * <pre>{@code
 * try {
 *     ExporterConfig config = ConfigLoader.load(Path.of("config.yml"));
 *     boolean histogram = config.metrics().rttHistogram();
 * } catch (ConfigException e) {
 *     System.err.println(e.getMessage());
 *     // config.yml:5:9: logic.metrics.histograms.rtt.bucketBound: unknown key; did you mean 'bucketBounds'?
 *     // config.yml:12:7: logic.selection.peering.networks[1]: invalid CIDR "10.0.0.0/33": prefix length 33 exceeds 32 for IPv4
 * }
 * }</pre>
 *
 * <p>{@link dev.ssexporter.core.config.SampleConfig#text()} is a commented config with every key
 * and its default. The keys, defaults and selection rules are described in
 * {@code docs/configuration.md}.
 */
package dev.ssexporter.core.config;
