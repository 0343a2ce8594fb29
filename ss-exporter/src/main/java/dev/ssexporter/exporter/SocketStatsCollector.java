package dev.ssexporter.exporter;

import dev.ssexporter.core.config.ExporterConfig;
import dev.ssexporter.core.config.AggregationConfig;
import dev.ssexporter.core.config.MetricsConfig;
import dev.ssexporter.core.config.NamespacesConfig;
import dev.ssexporter.core.engine.RttHistogram;
import dev.ssexporter.core.engine.RunningTotals;
import dev.ssexporter.core.engine.Scrape;
import dev.ssexporter.core.engine.ScrapeStats;
import dev.ssexporter.core.engine.SocketScope;
import dev.ssexporter.exporter.internal.BuildInfo;
import dev.ssexporter.exporter.internal.Family;
import dev.ssexporter.exporter.internal.FlowStreamRequest;
import dev.ssexporter.exporter.internal.FlowStreamRequest.FlowFamilies;
import dev.ssexporter.exporter.internal.ScrapeBudget;
import dev.ssexporter.exporter.internal.ScrapeSnapshots;
import dev.ssexporter.exporter.internal.ScrapeTimeoutException;
import dev.ssexporter.exporter.internal.SingleFlight;
import dev.ssexporter.exporter.internal.StreamableFlows;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.registry.PrometheusScrapeRequest;
import io.prometheus.metrics.model.snapshots.MetricFamilyDescriptor;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * The TCP socket statistics as Prometheus metrics: one kernel dump per scrape, every family from it.
 *
 * <pre>{@code
 * try (SocketStatsCollector collector = SocketStatsCollector.builder()
 *         .config(config)
 *         .register(registry)) {
 *     ... serve registry ...
 * }
 * }</pre>
 *
 * <p>A scrape with two flows and the default config exports exactly this (Prometheus text format;
 * the histogram's buckets are shortened here to 0.1, 1, 10 and 100 ms):
 *
 * <pre>{@code
 * # HELP ss_exporter_build_info Version of the exporter and of the Java runtime it runs on; the value is always 1.
 * # TYPE ss_exporter_build_info gauge
 * ss_exporter_build_info{java_version="25.0.1",version="1.2.3"} 1
 * # HELP ss_exporter_dump_interruptions_total Kernel socket dumps flagged as interrupted, because the socket table changed while it was read, since the exporter started.
 * # TYPE ss_exporter_dump_interruptions_total counter
 * ss_exporter_dump_interruptions_total 3.0
 * # HELP ss_exporter_flows Flow series the last successful dump exported after label folding; at most logic.limits.maxFlows.
 * # TYPE ss_exporter_flows gauge
 * ss_exporter_flows 2.0
 * # HELP ss_exporter_flows_dropped_total Flow series left out because a scrape had more flows than logic.limits.maxFlows, summed over the scrapes since the exporter started.
 * # TYPE ss_exporter_flows_dropped_total counter
 * ss_exporter_flows_dropped_total 0.0
 * # HELP ss_exporter_netlink_errors_total Kernel socket dumps that failed since the exporter started.
 * # TYPE ss_exporter_netlink_errors_total counter
 * ss_exporter_netlink_errors_total 1.0
 * # HELP ss_exporter_proc_errors_total Processes the /proc walk skipped (vanished or access denied) since the exporter started.
 * # TYPE ss_exporter_proc_errors_total counter
 * ss_exporter_proc_errors_total 0.0
 * # HELP ss_exporter_resolve_failures_total Host name lookups for the peering selection that failed since the exporter started.
 * # TYPE ss_exporter_resolve_failures_total counter
 * ss_exporter_resolve_failures_total 0.0
 * # HELP ss_exporter_scrape_duration_seconds Wall time of the last collection (kernel dump, process attribution, selection and folding), in seconds.
 * # TYPE ss_exporter_scrape_duration_seconds gauge
 * ss_exporter_scrape_duration_seconds 0.0125
 * # HELP ss_exporter_scrape_success Whether the last kernel socket dump succeeded (1) or failed (0).
 * # TYPE ss_exporter_scrape_success gauge
 * ss_exporter_scrape_success 1.0
 * # HELP ss_exporter_sockets_seen TCP sockets the kernel reported in the last successful dump.
 * # TYPE ss_exporter_sockets_seen gauge
 * ss_exporter_sockets_seen 57.0
 * # HELP ss_exporter_sockets_selected TCP sockets that passed the selection in the last successful dump.
 * # TYPE ss_exporter_sockets_selected gauge
 * ss_exporter_sockets_selected 2.0
 * # HELP tcp_cwnd Congestion window of the TCP flow, in segments (tcpi_snd_cwnd); summed over the sockets that share the flow label.
 * # TYPE tcp_cwnd gauge
 * tcp_cwnd{flow="(SRC#192.168.10.58|39366)(DST#104.19.199.151|443)"} 10.0
 * tcp_cwnd{flow="(SRC#2001:db8::5|50484)(DST#2001:db8:0:1::80|993)"} 20.0
 * # HELP tcp_data_segs_in_total Data segments received on the TCP flow (tcpi_data_segs_in); summed over the sockets that share the flow label.
 * # TYPE tcp_data_segs_in_total counter
 * tcp_data_segs_in_total{flow="(SRC#192.168.10.58|39366)(DST#104.19.199.151|443)"} 120.0
 * tcp_data_segs_in_total{flow="(SRC#2001:db8::5|50484)(DST#2001:db8:0:1::80|993)"} 4.0
 * # HELP tcp_data_segs_out_total Data segments sent on the TCP flow (tcpi_data_segs_out); summed over the sockets that share the flow label.
 * # TYPE tcp_data_segs_out_total counter
 * tcp_data_segs_out_total{flow="(SRC#192.168.10.58|39366)(DST#104.19.199.151|443)"} 95.0
 * tcp_data_segs_out_total{flow="(SRC#2001:db8::5|50484)(DST#2001:db8:0:1::80|993)"} 3.0
 * # HELP tcp_delivery_rate Delivery rate of the TCP flow, in bytes per second (tcpi_delivery_rate); summed over the sockets that share the flow label.
 * # TYPE tcp_delivery_rate gauge
 * tcp_delivery_rate{flow="(SRC#192.168.10.58|39366)(DST#104.19.199.151|443)"} 1234567.0
 * tcp_delivery_rate{flow="(SRC#2001:db8::5|50484)(DST#2001:db8:0:1::80|993)"} 987654.0
 * # HELP tcp_rtt Smoothed round-trip time of the TCP flow, in milliseconds (tcpi_rtt); the mean when several sockets share the flow label.
 * # TYPE tcp_rtt gauge
 * tcp_rtt{flow="(SRC#192.168.10.58|39366)(DST#104.19.199.151|443)"} 53.376
 * tcp_rtt{flow="(SRC#2001:db8::5|50484)(DST#2001:db8:0:1::80|993)"} 0.038
 * # HELP tcp_rtt_hist_ms Smoothed round-trip times of the selected sockets at this scrape, in milliseconds; cumulative buckets, one observation per socket.
 * # TYPE tcp_rtt_hist_ms histogram
 * tcp_rtt_hist_ms_bucket{le="0.1"} 1
 * tcp_rtt_hist_ms_bucket{le="1.0"} 1
 * tcp_rtt_hist_ms_bucket{le="10.0"} 1
 * tcp_rtt_hist_ms_bucket{le="100.0"} 2
 * tcp_rtt_hist_ms_bucket{le="+Inf"} 2
 * tcp_rtt_hist_ms_count 2
 * tcp_rtt_hist_ms_sum 53.414
 * }</pre>
 *
 * <p>When the kernel dump fails, the scrape still answers: {@code ss_exporter_scrape_success} is 0,
 * {@code ss_exporter_netlink_errors_total} has grown, and the flow families, the histogram and the
 * socket and flow gauges are left out (their values are unknown, not zero). {@link #collect()}
 * does not throw for that; it throws only when the scrape's own time budget runs out (below).
 *
 * <p>Concurrent scrapes share one collection: a scrape that arrives while another one is dumping
 * the kernel waits for that dump and exports its result instead of starting a second one. The
 * collection runs on a thread of its own ({@code ss-exporter-collect}); a scrape served by
 * {@link ExporterServer} with Prometheus' {@code X-Prometheus-Scrape-Timeout-Seconds} header waits
 * for it only until shortly before that timeout, then fails with a {@code 503}, while the
 * collection finishes for the scrapes still waiting.
 *
 * <p>{@link #reload(ExporterConfig)} swaps in a new configuration at runtime: a new engine and
 * kernel reader are built for it and serve every collection that starts afterwards; the old ones
 * finish the collection in progress, if any, and are closed after it. A collection is exported
 * with the metric switches of the configuration that produced it, so the families of one scrape
 * always match its data; {@link #getMetricFamilyDescriptors()} follows the current
 * configuration. The running totals ({@code ss_exporter_netlink_errors_total}...) carry on
 * across reloads.
 *
 * <p>The collector owns the kernel reader and the engine; {@link #close()} releases them and, when
 * {@link Builder#register(PrometheusRegistry)} registered it, unregisters it.
 */
public final class SocketStatsCollector implements MultiCollector, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(SocketStatsCollector.class.getName());

    private final ScrapeSource.Factory sources;
    private final RunningTotals totals;
    private final BuildInfo buildInfo;
    private final SingleFlight<Collected> flight = new SingleFlight<>("ss-exporter-collect", this::collectOnce);
    private final Object lifecycle = new Object();
    /** Serializes {@link #reload}. */
    private final Object reloading = new Object();
    private volatile Generation current;
    private volatile ScrapeStats lastStats = new ScrapeStats(true, null, 0, 0, 0, 0, false, 0, 0, 0, 0);
    private volatile boolean closed;
    private PrometheusRegistry registeredWith;

    /**
     * One collection, the configuration that produced it (its metric switches), and, for the
     * scrapes that stream it, its flows sorted and encoded once for all of them.
     */
    private record Collected(Scrape scrape, ExporterConfig config, StreamableFlows streamable) {
        Collected(Scrape scrape, ExporterConfig config) {
            this(scrape, config, new StreamableFlows(scrape.flows()));
        }
    }

    private SocketStatsCollector(ScrapeSource.Factory sources, RunningTotals totals, Generation first,
                                 BuildInfo buildInfo) {
        this.sources = sources;
        this.totals = totals;
        this.current = first;
        this.buildInfo = buildInfo;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** One collection, shared with any concurrent caller; every enabled family from it. */
    @Override
    public MetricSnapshots collect() {
        return collect(null, null);
    }

    @Override
    public MetricSnapshots collect(PrometheusScrapeRequest request) {
        return collect(null, request);
    }

    /**
     * One collection, shared with any concurrent caller; the families {@code includedNames}
     * accepts, or all when it is null. When {@code request} is the exporter's own streaming text
     * request, the per-flow families are not built as snapshots: their flows are attached to the
     * request and written straight to the response.
     */
    @Override
    public MetricSnapshots collect(Predicate<String> includedNames, PrometheusScrapeRequest request) {
        Collected collection = awaitCollection();
        Scrape scrape = collection.scrape();
        MetricsConfig metrics = collection.config().metrics();
        AggregationConfig aggregation = collection.config().aggregation();
        MetricSnapshots all;
        try {
            if (request instanceof FlowStreamRequest streaming) {
                all = ScrapeSnapshots.of(scrape, metrics, aggregation, buildInfo, false);
                if (scrape.stats().success()) {
                    List<Family> families = ScrapeSnapshots.enabledPerFlow(metrics).stream()
                            .filter(f -> includedNames == null || includedNames.test(f.metricName()))
                            .toList();
                    if (!families.isEmpty()) {
                        ScrapeSnapshots.checkStreamable(scrape.flows(), families);
                        StreamableFlows.Prepared prepared = collection.streamable().get();
                        streaming.attach(new FlowFamilies(families, prepared.flows(), prepared.labels()));
                    }
                }
            } else {
                all = ScrapeSnapshots.of(scrape, metrics, aggregation, buildInfo, true);
            }
        } catch (RuntimeException e) {
            // Only an engine bug gets here (e.g. two flows with one label); report it as a failure.
            LOG.log(Level.WARNING, "could not export the scrape; reporting it as failed", e);
            all = ScrapeSnapshots.selfOnly(failedStats(scrape.stats().durationSeconds(), e.toString()), buildInfo);
        }
        if (includedNames == null) {
            return all;
        }
        MetricSnapshots.Builder filtered = MetricSnapshots.builder();
        for (MetricSnapshot s : all) {
            if (includedNames.test(s.getMetadata().getPrometheusName())) {
                filtered.metricSnapshot(s);
            }
        }
        return filtered.build();
    }

    /**
     * The shared collection, waited for no longer than the {@link ScrapeBudget} of the request
     * being served, if it has one.
     *
     * @throws ScrapeTimeoutException when the budget runs out first; the collection goes on
     */
    private Collected awaitCollection() {
        if (!ScrapeBudget.CURRENT.isBound()) {
            return flight.get();
        }
        ScrapeBudget budget = ScrapeBudget.CURRENT.get();
        try {
            return flight.get(budget.remaining());
        } catch (TimeoutException e) {
            LOG.log(Level.DEBUG, "a scrape with a {0} s timeout stopped waiting for the collection",
                    budget.timeout().toMillis() / 1000.0);
            throw new ScrapeTimeoutException(budget.timeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while waiting for the collection");
        }
    }

    /** Scrapes waiting for a collection right now; for tests. */
    int waitingScrapes() {
        return flight.waiting();
    }

    /** The families the current configuration exports. */
    @Override
    public List<MetricFamilyDescriptor> getMetricFamilyDescriptors() {
        ExporterConfig served = current.config();
        return ScrapeSnapshots.descriptors(served.metrics(), served.aggregation(), served.namespaces().labelled());
    }

    /** The configuration being served: the one built with, or the last one {@link #reload} swapped in. */
    public ExporterConfig config() {
        return current.config();
    }

    /**
     * Serves {@code config} from the next collection on. A new engine and kernel reader are built
     * for it first; if that fails, nothing changes. The old ones are closed once the collection in
     * progress, if any, is done with them. A config equal to the current one changes nothing and
     * is cheap. Reloads are serialized. The registry checked the metric names when the collector
     * was registered; families a reload switches on are not checked again.
     *
     * @return whether the config differed from the current one and was swapped in
     * @throws IOException when the new kernel reader cannot be opened; the current config keeps serving
     * @throws IllegalStateException when the collector is closed
     */
    public boolean reload(ExporterConfig config) throws IOException {
        Objects.requireNonNull(config, "config");
        synchronized (reloading) {
            if (closed) {
                throw new IllegalStateException("the collector is closed");
            }
            if (current.config().equals(config)) {
                return false;
            }
            Generation next = new Generation(config, sources.open(config, totals));
            Generation old;
            synchronized (lifecycle) {
                if (closed) {
                    next.retire();
                    throw new IllegalStateException("the collector is closed");
                }
                old = current;
                current = next;
            }
            old.retire();
            return true;
        }
    }

    /** Unregisters the collector if it registered itself, and closes the engine and the reader. */
    @Override
    public void close() {
        PrometheusRegistry registry;
        Generation last;
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            registry = registeredWith;
            registeredWith = null;
            last = current;
        }
        if (registry != null) {
            registry.unregister(this);
        }
        last.retire();
    }

    private Collected collectOnce() {
        long start = System.nanoTime();
        while (true) {
            Generation g = current;
            MetricsConfig metrics = g.config().metrics();
            if (closed) {
                return new Collected(failedScrape(metrics, start, "the collector is closed"), g.config());
            }
            if (!g.acquire()) {
                continue; // a reload retired it after it was read; current is its successor
            }
            try {
                Scrape scrape = g.source().collect();
                lastStats = scrape.stats();
                return new Collected(scrape, g.config());
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "socket statistics collection failed", e);
                return new Collected(failedScrape(metrics, start, e.toString()), g.config());
            } finally {
                g.release();
            }
        }
    }

    private Scrape failedScrape(MetricsConfig metrics, long startNanos, String error) {
        int buckets = metrics.rttBounds().size() + 1;
        return new Scrape(List.of(), new RttHistogram(metrics.rttBounds(), new long[buckets], 0, 0),
                failedStats((System.nanoTime() - startNanos) / 1e9, error));
    }

    /** A failure that did not come from the engine: the engine's running totals stay as they were. */
    private ScrapeStats failedStats(double durationSeconds, String error) {
        ScrapeStats last = lastStats;
        return new ScrapeStats(false, error, durationSeconds, 0, 0, 0, false, last.netlinkErrorsTotal(),
                last.dumpInterruptionsTotal(), last.procErrorsTotal(), last.resolveFailuresTotal(),
                last.flowsDroppedTotal());
    }

    private void registerWith(PrometheusRegistry registry) {
        registry.register(this);
        synchronized (lifecycle) {
            registeredWith = registry;
        }
    }

    /** Builds a {@link SocketStatsCollector}. */
    public static final class Builder {
        private ExporterConfig config = ExporterConfig.defaults();
        private Path procRoot = Path.of("/proc");
        private SocketScope scope = SocketScope.ALL;
        private ScrapeSource.Factory sources;
        private BuildInfo buildInfo;

        private Builder() {}

        /** Which families, which sockets, which labels; {@link ExporterConfig#defaults()} if not set. */
        public Builder config(ExporterConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /**
         * Where the process table is read from, for {@code pid_condensed} and process selection;
         * {@code /proc} if not set (a container might mount the host's at {@code /host/proc}).
         */
        public Builder procRoot(Path procRoot) {
            this.procRoot = Objects.requireNonNull(procRoot, "procRoot");
            return this;
        }

        /**
         * Whose sockets to export; {@link SocketScope#ALL} if not set. See {@link #ownSocketsOnly()}.
         */
        public Builder scope(SocketScope scope) {
            this.scope = Objects.requireNonNull(scope, "scope");
            return this;
        }

        /**
         * Only this JVM's own sockets ({@link SocketScope#OWN_PROCESS}), for an application that
         * embeds the collector to watch its own connections: each scrape reads
         * {@code /proc/self/fd} and keeps the sockets whose inode it lists, which needs no
         * privilege. The config's selection and folding still apply to those sockets; its
         * {@code logic.namespaces} does not (the JVM's sockets are in its own network namespace).
         */
        public Builder ownSocketsOnly() {
            return scope(SocketScope.OWN_PROCESS);
        }

        /** Test seam: scrapes come from {@code source} instead of the kernel, whatever the config. */
        Builder scrapeSource(ScrapeSource source) {
            Objects.requireNonNull(source, "source");
            return scrapeSources((config, totals) -> source);
        }

        /** Test seam: the source for each config (at build and at every reload) comes from {@code sources}. */
        Builder scrapeSources(ScrapeSource.Factory sources) {
            this.sources = Objects.requireNonNull(sources, "sources");
            return this;
        }

        /** Test seam: fixed {@code ss_exporter_build_info} labels. */
        Builder buildInfo(BuildInfo buildInfo) {
            this.buildInfo = Objects.requireNonNull(buildInfo, "buildInfo");
            return this;
        }

        /**
         * Opens the kernel reader and builds the engine over it; with {@code namespaces} other
         * than {@code host}, a reader and an engine per network namespace.
         *
         * @throws IOException when the {@code NETLINK_SOCK_DIAG} socket cannot be opened, or a
         *     listed namespace cannot be read ({@code NamespaceAccessException}, naming the path
         *     and the missing capability)
         */
        public SocketStatsCollector build() throws IOException {
            Path proc = procRoot;
            SocketScope sc = scope;
            ScrapeSource.Factory factory = sources != null ? sources
                    : (c, totals) -> sc == SocketScope.OWN_PROCESS || c.namespaces() instanceof NamespacesConfig.Host
                            ? KernelScrapeSource.open(c, proc, sc, totals)
                            : NamespaceScrapeSource.open(c, proc, totals);
            RunningTotals totals = RunningTotals.create();
            return new SocketStatsCollector(factory, totals, new Generation(config, factory.open(config, totals)),
                    buildInfo != null ? buildInfo : BuildInfo.of(SocketStatsCollector.class));
        }

        /** Builds and registers with {@link PrometheusRegistry#defaultRegistry}. */
        public SocketStatsCollector register() throws IOException {
            return register(PrometheusRegistry.defaultRegistry);
        }

        /**
         * Builds and registers with {@code registry}.
         *
         * @throws IllegalArgumentException when {@code registry} already has one of these metric
         *     names, e.g. from a second collector; the collector is then closed again
         */
        public SocketStatsCollector register(PrometheusRegistry registry) throws IOException {
            Objects.requireNonNull(registry, "registry");
            SocketStatsCollector collector = build();
            try {
                collector.registerWith(registry);
            } catch (RuntimeException e) {
                collector.close();
                throw e;
            }
            return collector;
        }
    }
}
