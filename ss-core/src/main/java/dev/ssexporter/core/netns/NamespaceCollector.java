package dev.ssexporter.core.netns;

import dev.ssexporter.core.aggregate.Aggregates;
import dev.ssexporter.core.config.ExporterConfig;
import dev.ssexporter.core.config.NamespacesConfig;
import dev.ssexporter.core.engine.FlowSample;
import dev.ssexporter.core.engine.NamespaceStats;
import dev.ssexporter.core.engine.RttHistogram;
import dev.ssexporter.core.engine.RunningTotals;
import dev.ssexporter.core.engine.Scrape;
import dev.ssexporter.core.engine.ScrapeStats;
import dev.ssexporter.core.engine.SocketStatsEngine;
import dev.ssexporter.core.process.ProcessScanner;
import dev.ssexporter.core.process.ProcessTable;
import dev.ssexporter.core.resolve.HostResolver;
import dev.ssexporter.netlink.ErrnoException;
import dev.ssexporter.netlink.SockDiagReader;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Collects the network namespaces of a {@link NamespacesConfig} other than the default into one
 * {@link Scrape}: one {@link SocketStatsEngine} per namespace, each over a reader whose netlink
 * socket was created inside that namespace and is reused from scrape to scrape, and one
 * {@code /proc} walk per scrape shared by all of them (a socket's inode is unique on the host, so
 * process attribution needs no per-namespace walk).
 *
 * <p>Per scrape:
 * <ul>
 *   <li>{@code all}: the namespaces are found again ({@link NetnsDiscovery}); new ones are opened,
 *       and the readers of those gone are closed, which lets the kernel free them (an open socket
 *       keeps its namespace alive). A namespace that cannot be opened is reported failed once and
 *       not retried while it exists. The exporter's own namespace is always read.
 *   <li>a list: each file is checked; a file that is gone fails that namespace for this scrape
 *       (counted in its errors) and its reader is closed; a file that now refers to another
 *       namespace (a name made again, a PID reused) is opened anew under the same label.
 * </ul>
 * Each namespace's flows carry its {@code netns} label when the config is
 * {@linkplain NamespacesConfig#labelled() labelled}. The scrape succeeds when at least one
 * namespace was dumped; its totals are sums, and {@link Scrape#namespaces()} has each part.
 */
public final class NamespaceCollector implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(NamespaceCollector.class.getName());
    private static final Path OWN_NETNS = Path.of("/proc/self/ns/net");

    private final ExporterConfig config;
    private final boolean labelled;
    private final ProcessScanner scanner;
    private final Path procRoot;
    private final HostResolver resolver;
    /** Null unless {@code all} and allowed to enter namespaces. */
    private final NetnsDiscovery discovery;
    private final long ownInode;
    private final ReentrantLock lock = new ReentrantLock();
    /** By inode for {@code all}; by list position for a list. Guarded by {@link #lock}. */
    private final Map<Long, Member> members = new LinkedHashMap<>();
    /** Inodes that could not be opened under {@code all}; not retried while they exist. */
    private final Set<Long> refused = new HashSet<>();
    private long procErrors;
    private long retiredNetlinkErrors;
    private long retiredInterruptions;
    private long retiredDropped;
    /** Flows left out because all namespaces together had more than {@code maxFlows}. */
    private long mergeDropped;
    /** The running totals reported, which a collector replacing this one on a reload continues. */
    private final RunningTotals totals;
    /** This collector's own counts at the last scrape, before {@link #totals} carried them; guarded by {@link #lock}. */
    private ScrapeStats lastOwn;
    private boolean capLogged;
    private boolean unreadableLogged;
    private boolean closed;

    private NamespaceCollector(ExporterConfig config, Path procRoot, NetnsDiscovery discovery, long ownInode,
                               RunningTotals totals) {
        this.config = config;
        this.labelled = config.namespaces().labelled();
        this.procRoot = procRoot;
        this.scanner = config.needsProcessAttribution() ? ProcessScanner.create(procRoot) : null;
        this.resolver = config.selection().peering().hosts().isEmpty() ? null
                : HostResolver.builder().hosts(config.selection().peering().hosts()).build().start();
        this.discovery = discovery;
        this.ownInode = ownInode;
        this.totals = totals;
    }

    /**
     * Opens a reader in every listed namespace, or prepares discovery for {@code all}.
     *
     * @throws NamespaceAccessException when a listed namespace cannot be read, naming the path and
     *     the missing capability
     * @throws IOException when the exporter's own namespace cannot be identified or read
     * @throws IllegalArgumentException for the default config, which needs no collector
     */
    public static NamespaceCollector open(ExporterConfig config, Path procRoot) throws IOException {
        return open(config, procRoot, RunningTotals.create());
    }

    /**
     * {@link #open(ExporterConfig, Path)} reporting running totals that continue {@code totals}
     * (e.g. those of the collector this one replaces on a config reload), and add to them.
     */
    public static NamespaceCollector open(ExporterConfig config, Path procRoot, RunningTotals totals)
            throws IOException {
        Objects.requireNonNull(procRoot, "procRoot");
        Objects.requireNonNull(totals, "totals");
        long own = inode(OWN_NETNS);
        Capabilities caps = Capabilities.ofSelf();
        NamespaceCollector c = switch (config.namespaces()) {
            case NamespacesConfig.Host h -> throw new IllegalArgumentException("the host namespace alone needs no "
                    + NamespaceCollector.class.getSimpleName());
            case NamespacesConfig.All a -> {
                if (!caps.has(Capabilities.CAP_SYS_ADMIN)) {
                    LOG.log(Level.WARNING, "namespaces: all needs CAP_SYS_ADMIN to enter other network namespaces"
                            + " (setns), and this process lacks it ({0}); collecting the exporter''s own namespace"
                            + " only", caps);
                    yield new NamespaceCollector(config, procRoot, null, own, totals);
                }
                if (!caps.has(Capabilities.CAP_SYS_PTRACE)) {
                    LOG.log(Level.WARNING, "namespaces: all without CAP_SYS_PTRACE: the namespaces of other users''"
                            + " processes cannot be found through {0}, only those of this user and the named ones",
                            procRoot);
                }
                yield new NamespaceCollector(config, procRoot, new NetnsDiscovery(procRoot, NetnsDiscovery.NAMED), own,
                        totals);
            }
            case NamespacesConfig.Listed l -> new NamespaceCollector(config, procRoot, null, own, totals);
        };
        try {
            c.openConfigured(caps);
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
        return c;
    }

    private void openConfigured(Capabilities caps) throws IOException {
        if (config.namespaces() instanceof NamespacesConfig.Listed l) {
            long key = 0;
            if (l.includeHost()) {
                Member m = member(new NetnsTarget(NetnsTarget.inodeLabel(ownInode), null, ownInode));
                m.reader = SockDiagReader.open();
                members.put(key++, m);
            }
            for (Path p : l.paths()) {
                Member m = member(new NetnsTarget(labelOf(p), p, 0));
                openListed(m, caps);
                members.put(key++, m);
            }
        } else {
            Member m = member(new NetnsTarget(NetnsTarget.inodeLabel(ownInode), null, ownInode));
            m.reader = SockDiagReader.open();
            members.put(ownInode, m);
        }
    }

    /** The label of a listed file: the name under {@code /var/run/netns}, else {@code net:[INODE]} later. */
    private static String labelOf(Path p) {
        Path parent = p.getParent();
        if (parent != null && (parent.equals(NetnsDiscovery.NAMED) || parent.equals(Path.of("/run/netns")))) {
            return p.getFileName().toString();
        }
        return p.toString();
    }

    private void openListed(Member m, Capabilities caps) throws NamespaceAccessException {
        Path p = m.target.path();
        if (!caps.has(Capabilities.CAP_SYS_ADMIN)) {
            throw new NamespaceAccessException(p, "namespaces lists " + p + ", and entering a network namespace"
                    + " needs CAP_SYS_ADMIN, which this process lacks (" + caps + ")", null);
        }
        try {
            m.reader = SockDiagReader.openInNamespace(p);
        } catch (IOException e) {
            throw new NamespaceAccessException(p, explain(p, e), e);
        }
        long inode = m.reader.namespaceInode();
        String label = m.target.label().equals(p.toString()) ? NetnsTarget.inodeLabel(inode) : m.target.label();
        m.target = new NetnsTarget(label, p, inode);
        m.engine = engine(m);
    }

    /** Why {@code p} cannot be read, with the capability that would help. */
    static String explain(Path p, IOException e) {
        if (e instanceof ErrnoException errno) {
            String call = errno.call();
            return switch (errno.errnoName()) {
                case "ENOENT" -> "namespace file " + p + " does not exist (" + e.getMessage() + ")";
                case "EPERM" -> call.startsWith("setns")
                        ? "cannot enter the network namespace " + p + ": needs CAP_SYS_ADMIN (" + e.getMessage() + ")"
                        : "cannot read " + p + ": " + e.getMessage();
                case "EACCES" -> "cannot open " + p + ": reading another process's namespace needs CAP_SYS_PTRACE ("
                        + e.getMessage() + ")";
                case "EINVAL" -> p + " is not a network namespace (" + e.getMessage() + ")";
                default -> "cannot read the network namespace " + p + ": " + e.getMessage();
            };
        }
        return "cannot read the network namespace " + p + ": " + e.getMessage();
    }

    private Member member(NetnsTarget target) {
        Member m = new Member(target);
        m.engine = engine(m);
        return m;
    }

    private SocketStatsEngine engine(Member m) {
        SocketStatsEngine.Builder b = SocketStatsEngine.builder()
                .config(config)
                .source((query, sink) -> {
                    SockDiagReader r = m.reader;
                    if (r == null) {
                        throw new NoSuchFileException(String.valueOf(m.target.path()), null, "namespace is gone");
                    }
                    return r.dump(query, sink);
                })
                .procRoot(procRoot)
                .netns(labelled ? m.target.label() : "");
        if (resolver != null) {
            b.resolver(resolver);
        }
        return b.build();
    }

    /** Collects every namespace once. Never throws. */
    public Scrape collect() {
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("the namespace collector is closed");
            }
            long start = System.nanoTime();
            refresh();
            ProcessTable procs = scanProcesses();
            List<Part> parts = new ArrayList<>(members.size());
            for (Member m : members.values()) {
                parts.add(m.collect(procs));
            }
            return merge(parts, (System.nanoTime() - start) / 1e9);
        } finally {
            lock.unlock();
        }
    }

    private void refresh() {
        if (discovery != null) {
            rediscover();
        } else if (config.namespaces() instanceof NamespacesConfig.Listed) {
            for (Member m : members.values()) {
                m.check();
            }
        }
    }

    private void rediscover() {
        NetnsDiscovery.Found found;
        try {
            found = discovery.discover();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot look for network namespaces in {0}: {1}; keeping the ones known",
                    procRoot, e.toString());
            return;
        }
        if (found.unreadable() > 0 && !unreadableLogged) {
            unreadableLogged = true;
            LOG.log(Level.WARNING, "{0} process namespace link(s) under {1} could not be read (CAP_SYS_PTRACE?);"
                    + " their namespaces are not collected (logged once)", found.unreadable(), procRoot);
        }
        Set<Long> present = new HashSet<>();
        present.add(ownInode);
        for (NetnsTarget t : found.namespaces()) {
            present.add(t.inode());
            if (members.containsKey(t.inode()) || refused.contains(t.inode())) {
                continue;
            }
            Member m = member(t);
            try {
                m.reader = SockDiagReader.openInNamespace(t.path());
                if (m.reader.namespaceInode() != t.inode()) {
                    // The process left, or the name was made again, between the walk and the open.
                    m.closeReader();
                    continue;
                }
            } catch (IOException | RuntimeException e) {
                refused.add(t.inode());
                m.openFailed = explain(t.path(), e instanceof IOException io ? io : new IOException(e));
                m.errors++;
                LOG.log(Level.WARNING, "not collecting network namespace {0}: {1}", t.label(), m.openFailed);
            }
            members.put(t.inode(), m);
        }
        refused.retainAll(present);
        var it = members.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Long, Member> e = it.next();
            if (!present.contains(e.getKey())) {
                LOG.log(Level.DEBUG, "network namespace {0} is gone; closing its reader", e.getValue().target.label());
                retire(e.getValue());
                it.remove();
            }
        }
    }

    private void retire(Member m) {
        m.closeReader();
        retiredNetlinkErrors += m.lastStats == null ? 0 : m.lastStats.netlinkErrorsTotal();
        retiredInterruptions += m.lastStats == null ? 0 : m.lastStats.dumpInterruptionsTotal();
        retiredDropped += m.lastStats == null ? 0 : m.lastStats.flowsDroppedTotal();
        m.engine.close();
    }

    private ProcessTable scanProcesses() {
        if (scanner == null) {
            return ProcessTable.empty();
        }
        try {
            ProcessTable t = scanner.scan();
            procErrors += t.skipped();
            return t;
        } catch (IOException | RuntimeException e) {
            procErrors++;
            LOG.log(Level.WARNING, "cannot walk {0} for process attribution: {1}", procRoot, e.toString());
            return ProcessTable.empty();
        }
    }

    private Scrape merge(List<Part> parts, double seconds) {
        List<FlowSample> flows = new ArrayList<>();
        List<NamespaceStats> each = new ArrayList<>(parts.size());
        RttHistogram total = null;
        long seen = 0;
        long selected = 0;
        long netlinkErrors = retiredNetlinkErrors;
        long interruptions = retiredInterruptions;
        long dropped = retiredDropped;
        boolean anyOk = false;
        boolean interrupted = false;
        List<String> errors = new ArrayList<>();
        for (Part p : parts) {
            ScrapeStats s = p.scrape.stats();
            netlinkErrors += s.netlinkErrorsTotal();
            interruptions += s.dumpInterruptionsTotal();
            dropped += s.flowsDroppedTotal();
            if (s.success()) {
                anyOk = true;
                flows.addAll(p.scrape.flows());
                seen += s.socketsSeen();
                selected += s.socketsSelected();
                interrupted |= s.dumpInterrupted();
                total = total == null ? p.scrape.rtt() : sum(total, p.scrape.rtt());
            } else {
                errors.add(p.member.target.label() + ": " + s.error());
            }
            each.add(new NamespaceStats(p.member.target.label(), s.success(), s.socketsSeen(), s.socketsSelected(),
                    s.flows(), p.member.errors + s.netlinkErrorsTotal(), p.scrape.rtt()));
        }
        flows.sort(FlowSample.LABEL_ORDER);
        // Each engine keeps to logic.limits.maxFlows; so do all of them together.
        int max = config.limits().maxFlows();
        if (flows.size() > max) {
            mergeDropped += flows.size() - max;
            if (!capLogged) {
                capLogged = true;
                LOG.log(Level.WARNING, "the namespaces together have {0} flows, more than logic.limits.maxFlows ({1}):"
                        + " the last in label order are not exported (see ss_exporter_flows_dropped_total; logged"
                        + " once)", flows.size(), max);
            }
            flows = new ArrayList<>(flows.subList(0, max));
        }
        dropped += mergeDropped;
        if (total == null) {
            total = parts.isEmpty() ? null : parts.getFirst().scrape.rtt();
        }
        if (total == null) {
            int n = config.metrics().rttBounds().size() + 1;
            total = new RttHistogram(config.metrics().rttBounds(), new long[n], 0, 0);
        }
        ScrapeStats own = new ScrapeStats(anyOk, anyOk ? null : String.join("; ", errors), seconds, seen, selected,
                flows.size(), interrupted, netlinkErrors, interruptions, procErrors,
                resolver == null ? 0 : resolver.failuresTotal(), dropped);
        ScrapeStats stats = totals.carry(lastOwn, own);
        lastOwn = own;
        // logic.aggregation describes the exporter's own namespace; merging it across namespaces is not done.
        Aggregates aggregates = Aggregates.empty();
        for (Part p : parts) {
            if (p.member.target.own() && p.scrape.stats().success()) {
                aggregates = p.scrape.aggregates();
            }
        }
        return new Scrape(flows, total, stats, aggregates, labelled ? each : List.of());
    }

    private static RttHistogram sum(RttHistogram a, RttHistogram b) {
        long[] counts = a.cumulativeCounts();
        for (int i = 0; i < counts.length; i++) {
            counts[i] += b.cumulativeCount(i);
        }
        return new RttHistogram(a.bounds(), counts, a.count() + b.count(), a.sumMillis() + b.sumMillis());
    }

    /** How many namespaces are being read now. */
    public int namespaceCount() {
        lock.lock();
        try {
            return members.size();
        } finally {
            lock.unlock();
        }
    }

    /** Closes every reader and engine, and the host resolver; a second call does nothing. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            for (Member m : members.values()) {
                m.closeReader();
                m.engine.close();
            }
            members.clear();
            if (resolver != null) {
                resolver.close();
            }
        } finally {
            lock.unlock();
        }
    }

    private static long inode(Path p) throws IOException {
        return ((Number) Files.getAttribute(p, "unix:ino")).longValue();
    }

    /** One namespace's scrape. */
    private record Part(Member member, Scrape scrape) {}

    /** One namespace: its reader (null while gone) and its engine, which outlives reopened readers. */
    private final class Member {
        NetnsTarget target;
        volatile SockDiagReader reader;
        SocketStatsEngine engine;
        /** Failures outside the engine: file gone, open failed. */
        long errors;
        /** Why it could not be opened under {@code all}; it is then not dumped. */
        String openFailed;
        /** Why it is unavailable at this scrape (a listed file gone). */
        String unavailable;
        ScrapeStats lastStats;

        Member(NetnsTarget target) {
            this.target = target;
        }

        /** A listed namespace: is its file still there, and still the same namespace? */
        void check() {
            Path p = target.path();
            unavailable = null;
            if (p == null) {
                return;
            }
            long now;
            try {
                now = inode(p);
            } catch (IOException e) {
                unavailable = p + " is gone (" + e.getMessage() + ")";
                if (reader != null) {
                    LOG.log(Level.WARNING, "network namespace {0} is gone: {1}; its reader is closed", target.label(),
                            e.toString());
                    closeReader();
                }
                errors++;
                return;
            }
            if (reader != null && now == reader.namespaceInode()) {
                return;
            }
            closeReader();
            try {
                reader = SockDiagReader.openInNamespace(p);
                LOG.log(Level.INFO, "network namespace {0} is now net:[{1}]; reading it", target.label(),
                        reader.namespaceInode());
            } catch (IOException | RuntimeException e) {
                unavailable = explain(p, e instanceof IOException io ? io : new IOException(e));
                errors++;
            }
        }

        Part collect(ProcessTable procs) {
            String why = openFailed != null ? openFailed : unavailable;
            Scrape s;
            if (why != null) {
                int n = config.metrics().rttBounds().size() + 1;
                ScrapeStats last = lastStats;
                s = new Scrape(List.of(), new RttHistogram(config.metrics().rttBounds(), new long[n], 0, 0),
                        new ScrapeStats(false, why, 0, 0, 0, 0, false, last == null ? 0 : last.netlinkErrorsTotal(),
                                last == null ? 0 : last.dumpInterruptionsTotal(), 0, 0));
            } else {
                s = engine.collect(procs);
                lastStats = s.stats();
            }
            return new Part(this, s);
        }

        void closeReader() {
            SockDiagReader r = reader;
            reader = null;
            if (r != null) {
                try {
                    r.close();
                } catch (IOException e) {
                    LOG.log(Level.DEBUG, "closing the reader of {0} failed: {1}", target.label(), e.toString());
                }
            }
        }
    }
}
