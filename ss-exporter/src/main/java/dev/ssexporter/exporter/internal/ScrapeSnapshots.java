package dev.ssexporter.exporter.internal;

import dev.ssexporter.core.config.AggregationConfig;
import dev.ssexporter.core.config.MetricsConfig;
import dev.ssexporter.core.engine.FlowList;
import dev.ssexporter.core.engine.FlowSample;
import dev.ssexporter.core.engine.NamespaceStats;
import dev.ssexporter.core.engine.RttHistogram;
import dev.ssexporter.core.engine.Scrape;
import dev.ssexporter.core.engine.ScrapeStats;
import dev.ssexporter.core.histogram.NativeBuckets;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot.InfoDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricFamilyDescriptor;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.NativeHistogramBuckets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Turns one {@link Scrape} into the metric families it exports. A pure function: the same scrape,
 * config and build info always give the same snapshots.
 *
 * <p>What appears:
 * <ul>
 *   <li>the per-flow families and the histogram that {@link MetricsConfig} switches on, only when the
 *       dump succeeded (a failed dump means the flows are unknown, not zero);
 *   <li>the aggregate families that {@link AggregationConfig} switches on ({@link AggregateSnapshots}),
 *       only when the dump succeeded;
 *   <li>{@code ss_exporter_scrape_duration_seconds}, {@code ss_exporter_scrape_success}, the five
 *       running totals and {@code ss_exporter_build_info}, always;
 *   <li>{@code ss_exporter_sockets_seen}, {@code _sockets_selected} and {@code _flows} only when the
 *       dump succeeded, for the same reason.
 * </ul>
 */
public final class ScrapeSnapshots {
    private static final String FLOW = "flow";
    private static final String NETNS = "netns";

    private ScrapeSnapshots() {}

    /** Every family {@link #of} can return for {@code metrics}, for registration checks. */
    public static List<MetricFamilyDescriptor> descriptors(MetricsConfig metrics) {
        return descriptors(metrics, AggregationConfig.none(), false);
    }

    /** Every family {@link #of} can return for {@code metrics} and {@code aggregation}. */
    public static List<MetricFamilyDescriptor> descriptors(MetricsConfig metrics, AggregationConfig aggregation) {
        return descriptors(metrics, aggregation, false);
    }

    /**
     * Every family {@link #of} can return for {@code metrics} and {@code aggregation}; with
     * {@code perNamespace}, also the per-namespace self metrics of a scrape that reads several
     * network namespaces.
     */
    public static List<MetricFamilyDescriptor> descriptors(MetricsConfig metrics, AggregationConfig aggregation,
                                                           boolean perNamespace) {
        List<MetricFamilyDescriptor> out = new ArrayList<>();
        for (Family f : Family.values()) {
            if (enabled(f, metrics) && AggregateSnapshots.enabled(f, aggregation)
                    && (perNamespace || !PER_NAMESPACE.contains(f))) {
                out.add(f.descriptor());
            }
        }
        return List.copyOf(out);
    }

    /** The self metrics of each network namespace, exported when several are read. */
    static final List<Family> PER_NAMESPACE = List.of(Family.NETNS_COLLECTED, Family.NETNS_SOCKETS_SEEN,
            Family.NETNS_SCRAPE_SUCCESS, Family.NETNS_ERRORS);

    /** The per-flow families, in the order of {@link Family}: the default five, then the opt-in signals. */
    public static final List<Family> PER_FLOW = perFlow();

    private static List<Family> perFlow() {
        List<Family> out = new ArrayList<>(List.of(Family.TCP_RTT, Family.TCP_CWND, Family.TCP_DELIVERY_RATE,
                Family.TCP_DATA_SEGS_IN, Family.TCP_DATA_SEGS_OUT));
        for (Family f : Family.values()) {
            if (f.signal() != null) {
                out.add(f);
            }
        }
        return List.copyOf(out);
    }

    /** The snapshots of one scrape. */
    public static MetricSnapshots of(Scrape scrape, MetricsConfig metrics, BuildInfo build) {
        return of(scrape, metrics, build, true);
    }

    /**
     * The snapshots of one scrape, with or without the per-flow families; without them, only what
     * does not grow with the number of flows is built (the histogram and the self metrics), for a
     * caller that streams the flows itself with {@link FlowTextWriter}.
     */
    public static MetricSnapshots of(Scrape scrape, MetricsConfig metrics, BuildInfo build, boolean perFlow) {
        return of(scrape, metrics, AggregationConfig.none(), build, perFlow);
    }

    /** {@link #of(Scrape, MetricsConfig, BuildInfo, boolean)} plus the aggregate families {@code aggregation} switches on. */
    public static MetricSnapshots of(Scrape scrape, MetricsConfig metrics, AggregationConfig aggregation,
                                     BuildInfo build, boolean perFlow) {
        List<MetricSnapshot> out = new ArrayList<>();
        ScrapeStats stats = scrape.stats();
        if (stats.success()) {
            List<FlowSample> flows = scrape.flows();
            if (perFlow) {
                Labels[] labels = metrics.anyPerFlow() ? flowLabels(flows) : new Labels[0];
                for (Family f : enabledPerFlow(metrics)) {
                    out.add(flowFamily(f, flows, labels));
                }
            }
            if (metrics.rttHistogram()) {
                out.add(scrape.namespaces().isEmpty() ? histogram(scrape.rtt(), metrics.rttNative())
                        : histograms(scrape.namespaces(), metrics.rttNative()));
            }
            out.addAll(AggregateSnapshots.of(scrape.aggregates(), aggregation));
            out.add(gauge(Family.SOCKETS_SEEN, stats.socketsSeen()));
            out.add(gauge(Family.SOCKETS_SELECTED, stats.socketsSelected()));
            out.add(gauge(Family.FLOWS, stats.flows()));
        }
        out.addAll(alwaysPresent(stats, build));
        if (!scrape.namespaces().isEmpty()) {
            out.addAll(perNamespace(scrape.namespaces()));
        }
        return new MetricSnapshots(out);
    }

    /** The per-flow families {@code metrics} switches on. */
    public static List<Family> enabledPerFlow(MetricsConfig metrics) {
        return PER_FLOW.stream().filter(f -> enabled(f, metrics)).toList();
    }

    /** One per-flow family as a client_java snapshot. */
    static MetricSnapshot flowFamily(Family f, List<FlowSample> flows) {
        return flowFamily(f, flows, flowLabels(flows));
    }

    /**
     * {@code flows} in the order client_java sorts data points (by label value, as
     * {@link String#compareTo}); the list itself when it is already in that order, as the engine
     * returns it (a {@link FlowList} is, by construction, and is not checked again).
     *
     * @throws IllegalArgumentException when two flows have the same label, which client_java
     *     refuses too
     */
    public static List<FlowSample> sortedFlows(List<FlowSample> flows) {
        if (flows instanceof FlowList) {
            return flows;  // sorted and without duplicates by construction
        }
        if (!strictlyAscending(flows)) {
            FlowSample[] copy = flows.toArray(FlowSample[]::new);
            Arrays.sort(copy, FlowSample.LABEL_ORDER);
            flows = Arrays.asList(copy);
            if (!strictlyAscending(flows)) {
                throw new IllegalArgumentException("two flows have the same label");
            }
        }
        return flows;
    }

    /**
     * The one check client_java makes on values that the streamed families must make too:
     * counters are never negative.
     *
     * @throws IllegalArgumentException for a negative counter value
     */
    public static void checkStreamable(List<FlowSample> flows, List<Family> families) {
        boolean in = families.contains(Family.TCP_DATA_SEGS_IN);
        boolean out = families.contains(Family.TCP_DATA_SEGS_OUT);
        if ((in || out) && flows instanceof FlowList list) {
            for (int i = 0; i < list.size(); i++) {
                if ((in && list.dataSegsIn(i) < 0) || (out && list.dataSegsOut(i) < 0)) {
                    throw negativeCounter(list.get(i));
                }
            }
        } else if (in || out) {
            for (FlowSample f : flows) {
                if ((in && f.dataSegsIn() < 0) || (out && f.dataSegsOut() < 0)) {
                    throw negativeCounter(f);
                }
            }
        }
    }

    private static IllegalArgumentException negativeCounter(FlowSample f) {
        return new IllegalArgumentException("counters cannot have a negative value (flow=\"" + f.flow()
                + "\", data segments in " + f.dataSegsIn() + ", out " + f.dataSegsOut() + ")");
    }

    private static boolean strictlyAscending(List<FlowSample> flows) {
        for (int i = 1; i < flows.size(); i++) {
            if (FlowSample.LABEL_ORDER.compare(flows.get(i - 1), flows.get(i)) >= 0) {
                return false;
            }
        }
        return true;
    }

    private static MetricSnapshot flowFamily(Family f, List<FlowSample> flows, Labels[] labels) {
        return switch (f) {
            case TCP_RTT -> flowGauge(f, flows, labels, FlowSample::rttMs);
            case TCP_CWND -> flowGauge(f, flows, labels, FlowSample::cwnd);
            case TCP_DELIVERY_RATE -> flowGauge(f, flows, labels, FlowSample::deliveryRate);
            case TCP_DATA_SEGS_IN -> flowCounter(f, flows, labels, FlowSample::dataSegsIn);
            case TCP_DATA_SEGS_OUT -> flowCounter(f, flows, labels, FlowSample::dataSegsOut);
            default -> {
                if (f.signal() == null) {
                    throw new IllegalArgumentException(f + " is not a per-flow family");
                }
                yield SignalSnapshots.family(f, flows, labels);
            }
        };
    }

    /**
     * Only the families that do not depend on the dump, for when the scrape itself could not be
     * turned into snapshots; {@code stats} should then say {@code success == false}.
     */
    public static MetricSnapshots selfOnly(ScrapeStats stats, BuildInfo build) {
        return new MetricSnapshots(alwaysPresent(stats, build));
    }

    private static List<MetricSnapshot> alwaysPresent(ScrapeStats stats, BuildInfo build) {
        return List.of(
                gauge(Family.SCRAPE_DURATION, stats.durationSeconds()),
                gauge(Family.SCRAPE_SUCCESS, stats.success() ? 1 : 0),
                counter(Family.NETLINK_ERRORS, stats.netlinkErrorsTotal()),
                counter(Family.DUMP_INTERRUPTIONS, stats.dumpInterruptionsTotal()),
                counter(Family.PROC_ERRORS, stats.procErrorsTotal()),
                counter(Family.RESOLVE_FAILURES, stats.resolveFailuresTotal()),
                counter(Family.FLOWS_DROPPED, stats.flowsDroppedTotal()),
                Family.BUILD_INFO.describe(InfoSnapshot.builder())
                        .dataPoint(InfoDataPointSnapshot.builder()
                                .labels(Labels.of("version", build.version(), "java_version", build.javaVersion()))
                                .build())
                        .build());
    }

    private static boolean enabled(Family f, MetricsConfig m) {
        return switch (f) {
            case TCP_RTT -> m.rttGauge();
            case TCP_CWND -> m.cwndGauge();
            case TCP_DELIVERY_RATE -> m.deliveryRateGauge();
            case TCP_DATA_SEGS_IN -> m.dataSegsInCounter();
            case TCP_DATA_SEGS_OUT -> m.dataSegsOutCounter();
            case TCP_RTT_HIST_MS -> m.rttHistogram();
            // exported by ConfigReloader, not by the socket collector
            case CONFIG_LAST_RELOAD_SUCCESSFUL, CONFIG_LAST_RELOAD_SUCCESS_TIMESTAMP, CONFIG_RELOADS -> false;
            default -> f.signal() == null || m.signals().contains(f.signal());
        };
    }

    /** One {@code Labels} per flow, shared by all per-flow families (building one validates it). */
    private static Labels[] flowLabels(List<FlowSample> flows) {
        Labels[] labels = new Labels[flows.size()];
        for (int i = 0; i < labels.length; i++) {
            FlowSample f = flows.get(i);
            labels[i] = f.hasNetns() ? Labels.of(FLOW, f.flow(), NETNS, f.netns()) : Labels.of(FLOW, f.flow());
        }
        return labels;
    }

    private static GaugeSnapshot flowGauge(Family f, List<FlowSample> flows, Labels[] labels,
                                           ToDoubleFunction<FlowSample> value) {
        GaugeSnapshot.Builder b = f.describe(GaugeSnapshot.builder());
        for (int i = 0; i < labels.length; i++) {
            b.dataPoint(GaugeDataPointSnapshot.builder()
                    .labels(labels[i])
                    .value(value.applyAsDouble(flows.get(i)))
                    .build());
        }
        return b.build();
    }

    private static CounterSnapshot flowCounter(Family f, List<FlowSample> flows, Labels[] labels,
                                               ToDoubleFunction<FlowSample> value) {
        CounterSnapshot.Builder b = f.describe(CounterSnapshot.builder());
        for (int i = 0; i < labels.length; i++) {
            b.dataPoint(CounterDataPointSnapshot.builder()
                    .labels(labels[i])
                    .value(value.applyAsDouble(flows.get(i)))
                    .build());
        }
        return b.build();
    }

    private static GaugeSnapshot gauge(Family f, double value) {
        return f.describe(GaugeSnapshot.builder())
                .dataPoint(GaugeDataPointSnapshot.builder().value(value).build())
                .build();
    }

    private static CounterSnapshot counter(Family f, double value) {
        return f.describe(CounterSnapshot.builder())
                .dataPoint(CounterDataPointSnapshot.builder().value(value).build())
                .build();
    }

    /**
     * client_java takes per-bucket counts and accumulates them itself; the engine hands us
     * cumulative ones, so they are differenced here and come out cumulative again, with
     * {@code +Inf} equal to the count.
     */
    private static HistogramSnapshot histogram(RttHistogram rtt, boolean withNative) {
        return Family.TCP_RTT_HIST_MS.describe(HistogramSnapshot.builder())
                .dataPoint(withNative(histogramPoint(rtt), rtt, withNative).build())
                .build();
    }

    /** Adds {@code rtt}'s native buckets to {@code point} when asked for and the histogram has them. */
    private static HistogramDataPointSnapshot.Builder withNative(HistogramDataPointSnapshot.Builder point,
                                                                 RttHistogram rtt, boolean withNative) {
        NativeBuckets nb = rtt.nativeBuckets();
        // A histogram built without native buckets (count 0 for a non-empty histogram) has none to serve.
        if (withNative && nb.count() == rtt.count()) {
            // Served by the protobuf format only; the text formats keep writing the classic buckets.
            point.nativeSchema(nb.schema())
                    .nativeZeroThreshold(nb.zeroThreshold())
                    .nativeZeroCount(nb.zeroCount())
                    .nativeBucketsForPositiveValues(NativeHistogramBuckets.of(nb.indexes(), nb.counts()));
        }
        return point;
    }

    /** One histogram per network namespace, labelled {@code netns}; failed namespaces left out. */
    private static HistogramSnapshot histograms(List<NamespaceStats> namespaces, boolean withNative) {
        HistogramSnapshot.Builder b = Family.TCP_RTT_HIST_MS.describe(HistogramSnapshot.builder());
        for (NamespaceStats ns : namespaces) {
            if (ns.success()) {
                b.dataPoint(withNative(histogramPoint(ns.rtt()), ns.rtt(), withNative)
                        .labels(Labels.of(NETNS, ns.netns())).build());
            }
        }
        return b.build();
    }

    /** The self metrics of each network namespace, and how many were read. */
    private static List<MetricSnapshot> perNamespace(List<NamespaceStats> namespaces) {
        GaugeSnapshot.Builder seen = Family.NETNS_SOCKETS_SEEN.describe(GaugeSnapshot.builder());
        GaugeSnapshot.Builder success = Family.NETNS_SCRAPE_SUCCESS.describe(GaugeSnapshot.builder());
        CounterSnapshot.Builder errors = Family.NETNS_ERRORS.describe(CounterSnapshot.builder());
        long collected = 0;
        for (NamespaceStats ns : namespaces) {
            Labels l = Labels.of(NETNS, ns.netns());
            if (ns.success()) {
                collected++;
                seen.dataPoint(GaugeDataPointSnapshot.builder().labels(l).value(ns.socketsSeen()).build());
            }
            success.dataPoint(GaugeDataPointSnapshot.builder().labels(l).value(ns.success() ? 1 : 0).build());
            errors.dataPoint(CounterDataPointSnapshot.builder().labels(l).value(ns.errorsTotal()).build());
        }
        return List.of(gauge(Family.NETNS_COLLECTED, collected), seen.build(), success.build(), errors.build());
    }

    /** One histogram data point from cumulative counts; labels may still be added. */
    static HistogramDataPointSnapshot.Builder histogramPoint(RttHistogram rtt) {
        int n = rtt.bounds().size();
        double[] upperBounds = new double[n + 1];
        long[] perBucket = new long[n + 1];
        long previous = 0;
        for (int i = 0; i <= n; i++) {
            upperBounds[i] = i < n ? rtt.bounds().get(i) : Double.POSITIVE_INFINITY;
            long cumulative = rtt.cumulativeCount(i);
            perBucket[i] = cumulative - previous;
            previous = cumulative;
        }
        return HistogramDataPointSnapshot.builder()
                .classicHistogramBuckets(ClassicHistogramBuckets.of(upperBounds, perBucket))
                .sum(rtt.sumMillis());
    }
}
