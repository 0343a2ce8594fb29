package dev.ssexporter.core.engine;

import dev.ssexporter.core.aggregate.Aggregates;
import dev.ssexporter.core.aggregate.Aggregation;
import dev.ssexporter.core.config.ExporterConfig;
import dev.ssexporter.core.config.MetricsConfig;
import dev.ssexporter.core.config.SelectionConfig;
import dev.ssexporter.core.folding.FlowLabeler;
import dev.ssexporter.core.histogram.NativeHistogramAccumulator;
import dev.ssexporter.core.histogram.RttHistogramAccumulator;
import dev.ssexporter.core.process.OwnSockets;
import dev.ssexporter.core.process.PendingScan;
import dev.ssexporter.core.process.ProcessScanner;
import dev.ssexporter.core.process.ProcessTable;
import dev.ssexporter.core.resolve.HostResolver;
import dev.ssexporter.core.selection.FlowSelector;
import dev.ssexporter.core.selection.KernelFilters;
import dev.ssexporter.core.signals.TcpSignal;
import dev.ssexporter.netlink.AddressFamily;
import dev.ssexporter.netlink.DumpExtension;
import dev.ssexporter.netlink.DumpQuery;
import dev.ssexporter.netlink.DumpStats;
import dev.ssexporter.netlink.SocketFilter;
import dev.ssexporter.netlink.SocketRecord;
import dev.ssexporter.netlink.SocketSource;
import dev.ssexporter.netlink.TcpInfo;
import dev.ssexporter.netlink.TcpInfoField;
import dev.ssexporter.netlink.TcpState;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.LongPredicate;
import java.util.function.LongSupplier;

/**
 * Turns one kernel socket dump into one {@link Scrape}: process attribution, selection, label
 * folding, the RTT histogram and the collection's own statistics.
 *
 * <p>Each {@link #collect()}:
 *
 * <ol>
 *   <li>walks {@code /proc} ({@link ProcessScanner}), only when
 *       {@link ExporterConfig#needsProcessAttribution()} (pid_condensed folding, or a process
 *       selection); skipped processes add to {@code procErrorsTotal}, and a {@code procRoot} that
 *       cannot be listed adds 1 and leaves every socket without owner. The walk runs on helper
 *       threads while the dump below streams in; the first sockets wait (in order, a bounded
 *       number, see {@link WalkOverlap}) until the process table is there, and the dumping thread
 *       takes part in the rest of the walk when the dump ends first;
 *   <li>does <em>one</em> dump of both address families in the configured states, asking only for
 *       {@code tcp_info} and letting the kernel drop what the selection surely drops
 *       ({@link KernelFilters}: port ranges and peering networks; see {@link #query()}), so
 *       {@code socketsSeen} counts the sockets that passed that filter; and for each socket, as
 *       it streams in: selects it ({@link FlowSelector}); if it has a
 *       {@code tcp_info}, observes {@code tcpi_rtt / 1000.0} ms in the histogram and adds it to
 *       the {@link FlowSample} of its label ({@link FlowLabeler}), combining sockets that share a
 *       label as {@link FlowSample} documents (rtt mean; cwnd, delivery rate and data segments
 *       summed). A selected socket without {@code tcp_info} (TIME_WAIT, SYN_RECV, or a kernel
 *       that did not send it) counts in {@code socketsSelected} but yields no flow and no
 *       histogram observation. Members an older kernel does not send ({@code delivery_rate},
 *       {@code data_segs_in/out}) count as 0; the opt-in signals
 *       ({@link MetricsConfig#signals()}) fold as {@link TcpSignal} says, and a signal no socket of
 *       the flow reported is absent from it, not 0;
 *   <li>returns the flows sorted by label ({@link LabelOrder}), so output is reproducible; at most
 *       {@code logic.limits.maxFlows} of them ({@link dev.ssexporter.core.config.LimitsConfig}),
 *       as a {@link FlowList}, which keeps them as columns rather than one object per flow.
 * </ol>
 *
 * <p>When a scrape has more flows than {@code maxFlows}, the first {@code maxFlows} in label order
 * are kept, so the same flows are kept from one scrape to the next while the set of flows stays
 * the same; the rest are counted in {@link ScrapeStats#flowsDroppedTotal()} and are not returned,
 * but their sockets still count in the histogram and in {@code socketsSelected}. The first capped
 * scrape of a streak logs a WARNING, and every {@value #LOG_EVERY}th after it; the end of the
 * streak is logged at INFO.
 *
 * <p>Aggregates ({@link ExporterConfig#aggregation()}, see {@link Aggregation}) see every socket
 * in the states they need, whatever the selection. When the selection has no kernel filter, the
 * one dump is widened to those states too, and sockets outside the selection's states are fed
 * to the aggregates only (they count in neither {@code socketsSeen} nor {@code socketsSelected}).
 * When it has one, a second dump without filter and without {@code tcp_info} (the census) runs
 * first, so the counts are never those of a filtered subset. The selected sockets feed the
 * service aggregates.
 *
 * <p>Flow labels are built only when a per-flow family is on ({@link MetricsConfig#anyPerFlow()});
 * the histogram only when it is on (otherwise it is reported all zero with the configured
 * bounds). The dump is done even when both are off, for the self metrics.
 *
 * <p>{@code collect()} never throws. When the dump fails, the scrape has {@code success=false},
 * the error text, no flows and an all-zero histogram; {@code netlinkErrorsTotal} grows by one and
 * the failure is logged at WARNING on the first failure of a streak and every 100th after it
 * (recovery is logged at INFO). An interrupted dump ({@code NLM_F_DUMP_INTR}) is used as is,
 * flagged in {@link ScrapeStats#dumpInterrupted()} and counted; such a dump may miss a socket or
 * report one twice. Concurrent {@code collect()} calls are serialized by a lock: each does its
 * own dump (sharing one scrape among concurrent callers is the exporter's job). The running
 * totals are atomics in a {@link RunningTotals}, which a replacement engine can continue
 * ({@link Builder#totals}).
 *
 * <p>Cost per socket (selection and folding) is a few hash lookups and the label's bytes appended
 * to one array ({@code FlowTable}); no regex, streams, boxing or object per flow. Measured with
 * 100 000 sockets and 100 000 distinct raw labels on a 2-CPU VM at load average ~8: selection
 * 0.3-0.5 µs, label and fold 1-1.5 µs, and sorting the flows by label another 1-2 µs per flow
 * (bound by cache misses). Under that
 * load these are upper bounds; a JMH run on a quiet machine should replace them.
 *
 * <pre>{@code
 * try (SocketStatsEngine engine = SocketStatsEngine.builder()
 *         .config(config)
 *         .source(reader)             // a SockDiagReader
 *         .build()) {
 *     Scrape scrape = engine.collect();
 *     for (FlowSample f : scrape.flows()) { ... f.flow(), f.rttMs() ... }
 * }
 * }</pre>
 */
public final class SocketStatsEngine implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(SocketStatsEngine.class.getName());
    /** A failure streak is logged on its first failure and then every this many. */
    static final int LOG_EVERY = 100;
    /** The walk records every socket: the dump's inodes are not known before it. */
    private static final LongPredicate ALL_INODES = inode -> true;

    private final ExporterConfig config;
    private final SocketSource source;
    private final Path procRoot;
    /** Caches process names between scrapes; created only when attribution is needed. */
    private final ProcessScanner scanner;
    private final HostResolver resolver;
    private final boolean ownsResolver;
    private final LongSupplier nanoClock;
    private final DumpQuery query;
    private final FlowSelector selector;
    private final boolean selectsAll;
    private final FlowLabeler labeler;
    /** Null when no aggregate is on. */
    private final Aggregation aggregation;
    /** The separate census dump; null when there is none (no aggregates, or the main dump is widened). */
    private final DumpQuery censusQuery;
    /** The selection's states; the main dump covers more of them when {@link #widened}. */
    private final Set<TcpState> selectedStates;
    private final boolean widened;
    /** The descriptor table to match sockets against, or null for {@link SocketScope#ALL}. */
    private final OwnSockets own;
    /** The {@code netns} label of every flow; empty for none. */
    private final String netns;

    private final ReentrantLock lock = new ReentrantLock();
    private final RunningTotals totals;
    private final AtomicLong netlinkErrors;
    private final AtomicLong dumpInterruptions;
    private final AtomicLong procErrors;
    private final AtomicLong flowsDropped;
    /** The resolver's failure count already added to the totals; guarded by {@link #lock}. */
    private long resolveFailuresCounted;
    /** Guarded by {@link #lock}. */
    private long dumpFailureStreak;
    /** Guarded by {@link #lock}. */
    private long procFailureStreak;
    /** Guarded by {@link #lock}. */
    private long capStreak;
    /** Guarded by {@link #lock}. */
    private boolean skippedLogged;
    /** Flows of the previous scrape, to presize the next fold map; guarded by {@link #lock}. */
    private int lastFlowCount = 16;

    private SocketStatsEngine(Builder b) {
        this.config = b.config;
        this.source = b.source;
        this.procRoot = b.procRoot;
        this.scanner = config.needsProcessAttribution() ? ProcessScanner.create(procRoot) : null;
        boolean hosts = !config.selection().peering().hosts().isEmpty();
        if (b.resolver == null && hosts) {
            this.resolver = HostResolver.builder().hosts(config.selection().peering().hosts()).build().start();
            this.ownsResolver = true;
        } else {
            this.resolver = b.resolver;
            this.ownsResolver = false;
        }
        this.nanoClock = b.nanoClock;
        this.totals = b.totals != null ? b.totals : RunningTotals.create();
        this.netlinkErrors = totals.netlinkErrors;
        this.dumpInterruptions = totals.dumpInterruptions;
        this.procErrors = totals.procErrors;
        this.flowsDropped = totals.flowsDropped;
        this.aggregation = config.aggregation().any()
                ? Aggregation.of(config.aggregation(), config.metrics().rttBounds())
                : null;
        this.selectedStates = config.selection().states();
        DumpQuery main = query(config.selection());
        if (aggregation != null && !main.hasFilter()) {
            Set<TcpState> states = EnumSet.copyOf(main.states());
            states.addAll(aggregation.censusStates());
            this.widened = !states.equals(main.states());
            this.query = new DumpQuery(main.families(), states, main.extensions(), main.filter());
            this.censusQuery = null;
        } else {
            this.widened = false;
            this.query = main;
            this.censusQuery = aggregation == null ? null
                    : new DumpQuery(main.families(), aggregation.censusStates(), EnumSet.noneOf(DumpExtension.class),
                            SocketFilter.acceptAll());
        }
        this.selector = resolver == null
                ? FlowSelector.of(config.selection())
                : FlowSelector.of(config.selection(), resolver::addresses);
        this.selectsAll = selector.selectsAll();
        this.labeler = FlowLabeler.of(config.folding());
        this.own = b.scope == SocketScope.OWN_PROCESS ? b.ownSockets : null;
        this.netns = b.netns;
    }

    /**
     * The dump of every collection: both families, the configured states, only
     * {@link DumpExtension#INFO} (the engine reads nothing else), and the selection's
     * {@link KernelFilters kernel filter}. When the peering lists are too long for one request,
     * the filter falls back to the port ranges alone, then to none; the selector re-checks every
     * socket either way.
     */
    static DumpQuery query(SelectionConfig selection) {
        DumpQuery base = DumpQuery.of(EnumSet.allOf(AddressFamily.class), selection.states())
                .withExtensions(EnumSet.of(DumpExtension.INFO));
        return KernelFilters.withFilter(base, selection, reason -> LOG.log(Level.WARNING, reason));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The configuration this engine serves. */
    public ExporterConfig config() {
        return config;
    }

    /** The dump this engine asks for on every collection. */
    public DumpQuery query() {
        return query;
    }

    /** The census dump done before {@link #query()}, when the aggregates need one. */
    public Optional<DumpQuery> censusQuery() {
        return Optional.ofNullable(censusQuery);
    }

    /** Collects one scrape. Never throws; failures are reported in {@link Scrape#stats()}. */
    public Scrape collect() {
        lock.lock();
        try {
            long start = nanoClock.getAsLong();
            PendingScan walk = config.needsProcessAttribution() ? startWalk() : null;
            if (walk != null && !walk.inBackground()) {
                return collectLocked(start, joinWalk(walk), null);  // one CPU: nothing to overlap with
            }
            return collectLocked(start, ProcessTable.empty(), walk);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Collects one scrape with a process table the caller walked, so that the engines of several
     * network namespaces share one {@code /proc} walk (socket inodes are unique across the
     * namespaces of a host). This engine's {@code procErrorsTotal} does not grow. Never throws.
     */
    public Scrape collect(ProcessTable procs) {
        Objects.requireNonNull(procs, "procs");
        lock.lock();
        try {
            return collectLocked(nanoClock.getAsLong(), procs, null);
        } finally {
            lock.unlock();
        }
    }

    /** @param walk a {@code /proc} walk under way whose table replaces {@code procs}, or null */
    private Scrape collectLocked(long start, ProcessTable procs, PendingScan walk) {
        MetricsConfig metrics = config.metrics();
        OwnSockets.Inodes ownInodes = own == null ? null : readOwnSockets();
        Pass pass = new Pass(procs, ownInodes,
                metrics.rttHistogram() ? RttHistogramAccumulator.of(metrics.rttBounds()) : null,
                metrics.anyPerFlow(), aggregation == null ? null : aggregation.round());
        WalkOverlap overlap = walk == null ? null : new WalkOverlap(pass, walk, this::joinWalk, pass::owners);
        DumpStats dump;
        try {
            if (censusQuery != null) {
                DumpStats census = Objects.requireNonNull(source.dump(censusQuery, pass.round::census),
                        "the socket source returned no DumpStats");
                if (census.interrupted()) {
                    dumpInterruptions.incrementAndGet();
                }
            }
            dump = Objects.requireNonNull(source.dump(query, overlap == null ? pass : overlap),
                    "the socket source returned no DumpStats");
            if (overlap != null) {
                overlap.finish();
            }
        } catch (IOException | RuntimeException e) {
            return failed(start, e);
        }
        if (dumpFailureStreak > 0) {
            LOG.log(Level.INFO, "socket dump works again after {0} failed attempt(s)", dumpFailureStreak);
            dumpFailureStreak = 0;
        }
        if (dump.interrupted()) {
            dumpInterruptions.incrementAndGet();
        }
        FlowList all = pass.flows();
        lastFlowCount = Math.max(16, all.size());
        List<FlowSample> flows = capped(all);
        RttHistogram rtt = pass.histogram == null
                ? RttHistogramAccumulator.empty(metrics.rttBounds())
                : pass.histogram.toHistogram();
        if (pass.nativeHistogram != null) {
            rtt = rtt.withNative(pass.nativeHistogram.toBuckets());
        }
        ScrapeStats stats = new ScrapeStats(true, null, seconds(start), pass.seen, pass.selected, flows.size(),
                dump.interrupted(), netlinkErrors.get(), dumpInterruptions.get(), procErrors.get(),
                resolveFailures(), flowsDropped.get());
        return new Scrape(flows, rtt, stats, pass.round == null ? Aggregates.empty() : pass.round.finish());
    }

    /** The first {@code maxFlows} of the sorted {@code flows}; counts and logs the rest. */
    private List<FlowSample> capped(FlowList flows) {
        int max = config.limits().maxFlows();
        if (flows.size() <= max) {
            if (capStreak > 0) {
                LOG.log(Level.INFO, "the flows fit in logic.limits.maxFlows ({0}) again after {1} capped scrape(s)",
                        max, capStreak);
                capStreak = 0;
            }
            return flows;
        }
        int dropped = flows.size() - max;
        long total = flowsDropped.addAndGet(dropped);
        capStreak++;
        if (capStreak == 1 || capStreak % LOG_EVERY == 0) {
            LOG.log(Level.WARNING, "{0} flows exceed logic.limits.maxFlows ({1}): the last {2} in label order are not"
                    + " exported ({3} capped scrape(s) in a row, {4} flow series dropped since start; see"
                    + " ss_exporter_flows_dropped_total)", flows.size(), max, dropped, capStreak, total);
        }
        return flows.head(max);
    }

    private Scrape failed(long start, Exception e) {
        long total = netlinkErrors.incrementAndGet();
        dumpFailureStreak++;
        String error = e.getMessage() == null ? e.toString() : e.getMessage();
        if (dumpFailureStreak == 1 || dumpFailureStreak % LOG_EVERY == 0) {
            LOG.log(Level.WARNING, "socket dump failed ({0} in a row, {1} since start): {2}",
                    dumpFailureStreak, total, error);
        }
        ScrapeStats stats = new ScrapeStats(false, error, seconds(start), 0, 0, 0, false, total,
                dumpInterruptions.get(), procErrors.get(), resolveFailures(), flowsDropped.get());
        return new Scrape(List.of(), RttHistogramAccumulator.empty(config.metrics().rttBounds()), stats);
    }

    /** Starts this scrape's {@code /proc} walk; null (counted and logged) when {@code procRoot} cannot be listed. */
    private PendingScan startWalk() {
        try {
            return scanner.start(ALL_INODES);
        } catch (IOException | RuntimeException e) {
            walkFailed(e);
            return null;
        }
    }

    /** The table of a walk under way; empty (counted and logged) when it failed. */
    private ProcessTable joinWalk(PendingScan walk) {
        try {
            ProcessTable procs = walk.join();
            procFailureStreak = 0;
            if (procs.skipped() > 0) {
                procErrors.addAndGet(procs.skipped());
                if (!skippedLogged) {
                    skippedLogged = true;
                    LOG.log(Level.WARNING, "the {0} walk skipped {1} process(es) that vanished or denied "
                            + "access; their sockets have no owner (counted, not logged again)", procRoot,
                            procs.skipped());
                }
            }
            return procs;
        } catch (IOException | RuntimeException e) {
            walkFailed(e);
            return ProcessTable.empty();
        }
    }

    private void walkFailed(Exception e) {
        procErrors.incrementAndGet();
        procFailureStreak++;
        if (procFailureStreak == 1 || procFailureStreak % LOG_EVERY == 0) {
            LOG.log(Level.WARNING, "cannot walk {0} for process attribution ({1} in a row): {2}", procRoot,
                    procFailureStreak, e.toString());
        }
    }

    /** This process's socket inodes; none (so nothing selected) when its fd table cannot be read. */
    private OwnSockets.Inodes readOwnSockets() {
        try {
            OwnSockets.Inodes inodes = own.read();
            procFailureStreak = 0;
            return inodes;
        } catch (IOException | RuntimeException e) {
            procErrors.incrementAndGet();
            procFailureStreak++;
            if (procFailureStreak == 1 || procFailureStreak % LOG_EVERY == 0) {
                LOG.log(Level.WARNING, "cannot read this process''s sockets from {0} ({1} in a row); no socket is"
                        + " selected: {2}", own, procFailureStreak, e.toString());
            }
            return OwnSockets.Inodes.NONE;
        }
    }

    private double seconds(long start) {
        return (nanoClock.getAsLong() - start) / 1e9;
    }

    /** Adds the resolver's new failures to the totals, and returns the total; call with {@link #lock} held. */
    private long resolveFailures() {
        if (resolver != null) {
            long now = resolver.failuresTotal();
            totals.resolveFailures.addAndGet(now - resolveFailuresCounted);
            resolveFailuresCounted = now;
        }
        return totals.resolveFailures.get();
    }

    /** Stops the host resolver this engine started itself, if any; a resolver passed in is left alone. */
    @Override
    public void close() {
        if (ownsResolver) {
            resolver.close();
        }
    }

    @Override
    public String toString() {
        return "SocketStatsEngine[" + query + ", " + selector + ", " + labeler + "]";
    }

    /** One collection's per-socket work, fed by the dump; used on one thread only. */
    private final class Pass implements Consumer<SocketRecord> {
        /** Replaced once by {@link #owners} when the walk overlaps the dump, before any socket arrives. */
        private ProcessTable procs;
        /** The process's own socket inodes, or null when every socket is in scope. */
        private final OwnSockets.Inodes ownInodes;
        private final RttHistogramAccumulator histogram;
        /** The same observations in native buckets, or null when those are off. */
        private final NativeHistogramAccumulator nativeHistogram;
        private final boolean buildFlows;
        /** Null when no aggregate is on. */
        private final Aggregation.Round round;
        /** Null when no per-flow family is on. */
        private final FlowTable table;
        private long seen;
        private long selected;

        Pass(ProcessTable procs, OwnSockets.Inodes ownInodes, RttHistogramAccumulator histogram, boolean buildFlows,
             Aggregation.Round round) {
            this.procs = procs;
            this.ownInodes = ownInodes;
            this.histogram = histogram;
            this.nativeHistogram = histogram != null && config.metrics().rttNative()
                    ? NativeHistogramAccumulator.create()
                    : null;
            this.buildFlows = buildFlows;
            this.round = round;
            this.table = buildFlows ? new FlowTable(labeler.writer(), config.metrics().signals(), lastFlowCount) : null;
        }

        void owners(ProcessTable table) {
            this.procs = table;
        }

        @Override
        public void accept(SocketRecord s) {
            if (round != null && censusQuery == null) {
                round.census(s);
            }
            if (widened && !selectedStates.contains(s.state())) {
                return;
            }
            seen++;
            if (ownInodes != null && !ownInodes.contains(s.inode())) {
                return;
            }
            if (!selectsAll && !selector.matches(s, procs)) {
                return;
            }
            selected++;
            if (round != null) {
                round.selected(s);
            }
            TcpInfo info = s.tcpInfo();
            if (info == null || !info.has(TcpInfoField.RTT)) {
                return;
            }
            double rttMs = info.get(TcpInfoField.RTT) / 1000.0;
            if (histogram != null) {
                histogram.observe(rttMs);
                if (nativeHistogram != null) {
                    nativeHistogram.observe(rttMs);
                }
            }
            if (buildFlows) {
                table.add(s, procs, rttMs, info);
            }
        }

        /** The flows in label order; none when no per-flow family is on. */
        FlowList flows() {
            return table == null ? FlowTable.empty(netns) : table.finish(netns);
        }
    }

    /** Configures a {@link SocketStatsEngine}; {@link #config} and {@link #source} are required. */
    public static final class Builder {
        private ExporterConfig config;
        private SocketSource source;
        private Path procRoot = Path.of("/proc");
        private HostResolver resolver;
        private LongSupplier nanoClock = System::nanoTime;
        private SocketScope scope = SocketScope.ALL;
        private OwnSockets ownSockets = OwnSockets.self();
        private RunningTotals totals;
        private String netns = "";

        private Builder() {}

        /**
         * Whose sockets to collect; default {@link SocketScope#ALL}. With
         * {@link SocketScope#OWN_PROCESS}, only the sockets in this process's {@code /proc/self/fd}
         * are selected (then the configured selection applies to those); {@code socketsSeen}
         * still counts every socket the kernel reported.
         */
        public Builder scope(SocketScope scope) {
            this.scope = Objects.requireNonNull(scope, "scope");
            return this;
        }

        /** Test seam: the descriptor table that {@link SocketScope#OWN_PROCESS} reads. */
        Builder ownSockets(OwnSockets ownSockets) {
            this.ownSockets = Objects.requireNonNull(ownSockets, "ownSockets");
            return this;
        }

        /**
         * The running totals to add to, e.g. those of the engine this one replaces; a new, all-zero
         * one if not set.
         */
        public Builder totals(RunningTotals totals) {
            this.totals = Objects.requireNonNull(totals, "totals");
            return this;
        }

        /**
         * The {@code netns} label of every flow, for an engine that reads one of several network
         * namespaces; default none.
         */
        public Builder netns(String netns) {
            this.netns = Objects.requireNonNull(netns, "netns");
            return this;
        }

        /** The validated configuration. */
        public Builder config(ExporterConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /** Where sockets come from: a {@code SockDiagReader}, or a fixed list in tests. */
        public Builder source(SocketSource source) {
            this.source = Objects.requireNonNull(source, "source");
            return this;
        }

        /** The {@code /proc} to walk for process attribution; default {@code /proc}. */
        public Builder procRoot(Path procRoot) {
            this.procRoot = Objects.requireNonNull(procRoot, "procRoot");
            return this;
        }

        /**
         * The resolver for {@code peering.hosts}, already started; the engine reads it but does not
         * close it. Without one, an engine whose config has hosts starts (and closes) its own.
         */
        public Builder resolver(HostResolver resolver) {
            this.resolver = Objects.requireNonNull(resolver, "resolver");
            return this;
        }

        /** Monotonic nanosecond ticks for {@link ScrapeStats#durationSeconds()}; default {@link System#nanoTime}. */
        public Builder clock(LongSupplier nanoClock) {
            this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
            return this;
        }

        /**
         * Builds the engine.
         *
         * @throws IllegalStateException when the config or the source is missing
         */
        public SocketStatsEngine build() {
            if (config == null) {
                throw new IllegalStateException("Missing required field: config");
            }
            if (source == null) {
                throw new IllegalStateException("Missing required field: source");
            }
            return new SocketStatsEngine(this);
        }
    }
}
