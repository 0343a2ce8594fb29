/**
 * Histogram bucket bounds and the per-scrape RTT accumulator that turns observations into
 * Prometheus cumulative buckets ({@code le} = less than or equal; {@code +Inf} = count).
 *
 * <pre>{@code
 * RttHistogramAccumulator acc = RttHistogramAccumulator.of(BucketBounds.of(0.1, 1.0, 10.0));
 * acc.observe(0.038);
 * acc.observe(53.376);
 * RttHistogram h = acc.toHistogram();   // cumulative [1, 1, 1, 2], count 2, sum 53.414
 * }</pre>
 */
package dev.ssexporter.core.histogram;
