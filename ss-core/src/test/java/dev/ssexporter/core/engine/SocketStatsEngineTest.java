package dev.ssexporter.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ssexporter.core.config.ExporterConfig;
import dev.ssexporter.core.config.LimitsConfig;
import dev.ssexporter.core.config.MetricsConfig;
import dev.ssexporter.core.config.PeerSelection;
import dev.ssexporter.core.config.ProcessSelection;
import dev.ssexporter.core.config.SelectionConfig;
import dev.ssexporter.core.folding.LabelFolding;
import dev.ssexporter.core.histogram.BucketBounds;
import dev.ssexporter.core.resolve.HostResolver;
import dev.ssexporter.core.selection.Cidr;
import dev.ssexporter.core.selection.KernelFilters;
import dev.ssexporter.core.selection.PortRange;
import dev.ssexporter.core.selection.TestSocket;
import dev.ssexporter.netlink.AddressFamily;
import dev.ssexporter.netlink.DumpExtension;
import dev.ssexporter.netlink.DumpQuery;
import dev.ssexporter.netlink.DumpStats;
import dev.ssexporter.netlink.SocketFilter;
import dev.ssexporter.netlink.SocketRecord;
import dev.ssexporter.netlink.SocketSource;
import dev.ssexporter.netlink.TcpState;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SocketStatsEngineTest {
    private static final BucketBounds BOUNDS = BucketBounds.of(0.1, 1.0, 10.0, 100.0);
    private static final MetricsConfig METRICS = new MetricsConfig(true, BOUNDS, true, true, true, true, true);

    // 1.5 ms, outbound HTTPS
    private static final SocketRecord HTTPS = TestSocket.of("10.0.0.1", 40000, "10.0.0.2", 443).inode(11)
            .info(TestSocket.fullInfo(1500, 10, 125_000, 5, 7)).build();
    // 0.25 ms, IPv6 to postgres
    private static final SocketRecord PG = TestSocket.of("2001:db8::1", 40001, "2001:db8::2", 5432).inode(22)
            .info(TestSocket.fullInfo(250, 20, 1_000_000, 100, 200)).build();
    // connecting: no tcp_info
    private static final SocketRecord SYN = TestSocket.of("10.0.0.1", 40002, "10.0.0.3", 443)
            .state(TcpState.SYN_SENT).inode(33).build();
    // an old kernel's 104-byte tcp_info: 100 ms, no delivery rate, no data segment counters
    private static final SocketRecord OLD = TestSocket.of("10.0.0.9", 22, "192.0.2.50", 61000).inode(44)
            .info(TestSocket.shortInfo(100_000, 4)).build();

    @TempDir
    Path tmp;

    /**
     * A socket source returning fixed records, or failing; records every query it got. Like the
     * kernel, it passes only the records that match the query's filter.
     */
    private static final class FakeSource implements SocketSource {
        volatile List<SocketRecord> records;
        volatile IOException failure;
        volatile boolean interrupted;
        final List<DumpQuery> queries = new ArrayList<>();
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger maxInFlight = new AtomicInteger();

        FakeSource(List<SocketRecord> records) {
            this.records = records;
        }

        @Override
        public DumpStats dump(DumpQuery query, Consumer<? super SocketRecord> sink) throws IOException {
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                synchronized (queries) {
                    queries.add(query);
                }
                List<SocketRecord> rs = records.stream().filter(query.filter()::matches).toList();
                for (int i = 0; i < rs.size(); i++) {
                    if (failure != null && i == rs.size() / 2) {
                        throw failure;  // after part of the sockets: they must be discarded
                    }
                    sink.accept(rs.get(i));
                }
                if (failure != null) {
                    throw failure;
                }
                return new DumpStats(rs.size(), rs.size(), rs.size() * 400L, interrupted);
            } finally {
                inFlight.decrementAndGet();
            }
        }
    }

    /** A clock that advances 250 ms on every read. */
    private static java.util.function.LongSupplier steppingClock() {
        AtomicLong t = new AtomicLong(1_000_000_000L);
        return () -> t.getAndAdd(250_000_000L);
    }

    private static ExporterConfig config(LabelFolding folding, SelectionConfig selection) {
        return new ExporterConfig(METRICS, folding, selection);
    }

    private SocketStatsEngine engine(ExporterConfig config, SocketSource source) {
        return SocketStatsEngine.builder().config(config).source(source).procRoot(tmp.resolve("no-proc"))
                .clock(steppingClock()).build();
    }

    @Test
    void mixedRecordsGiveAnExactScrape() {
        FakeSource source = new FakeSource(List.of(PG, SYN, HTTPS, OLD));
        SocketStatsEngine engine = engine(config(LabelFolding.RAW_ENDPOINT, SelectionConfig.none()), source);

        Scrape scrape = engine.collect();

        assertThat(scrape.flows()).containsExactly(
                new FlowSample("(SRC#10.0.0.1|40000)(DST#10.0.0.2|443)", 1.5, 10, 125_000, 5, 7, 1),
                new FlowSample("(SRC#10.0.0.9|22)(DST#192.0.2.50|61000)", 100.0, 4, 0, 0, 0, 1),
                new FlowSample("(SRC#2001:db8::1|40001)(DST#2001:db8::2|5432)", 0.25, 20, 1_000_000, 100, 200, 1));
        assertThat(scrape.rtt().bounds()).isEqualTo(BOUNDS);
        assertThat(scrape.rtt().cumulativeCounts()).containsExactly(0, 1, 2, 3, 3);
        assertThat(scrape.rtt().count()).isEqualTo(3);
        assertThat(scrape.rtt().sumMillis()).isEqualTo(101.75);
        assertThat(scrape.stats()).isEqualTo(new ScrapeStats(true, null, 0.25, 4, 4, 3, false, 0, 0, 0, 0));
        assertThat(source.queries).containsExactly(
                DumpQuery.of(EnumSet.of(AddressFamily.INET, AddressFamily.INET6), TcpState.connected())
                        .withExtensions(EnumSet.of(DumpExtension.INFO)));
    }

    @Test
    void dumpAsksForTheConfiguredStates() {
        FakeSource source = new FakeSource(List.of());
        SelectionConfig listen = new SelectionConfig(EnumSet.of(TcpState.LISTEN, TcpState.ESTABLISHED),
                ProcessSelection.none(), PeerSelection.none(), List.of());
        SocketStatsEngine engine = engine(config(LabelFolding.RAW_ENDPOINT, listen), source);
        engine.collect();
        assertThat(source.queries.getFirst().states()).containsExactlyInAnyOrder(TcpState.LISTEN, TcpState.ESTABLISHED);
        assertThat(source.queries.getFirst().families()).containsExactlyInAnyOrder(AddressFamily.values());
        assertThat(source.queries.getFirst().extensions()).containsExactly(DumpExtension.INFO);
        assertThat(source.queries.getFirst().filter()).isEqualTo(SocketFilter.acceptAll());
        assertThat(engine.query()).isEqualTo(source.queries.getFirst());
    }

    @Test
    void selectionLimitsFlowsAndHistogram() {
        SelectionConfig https = new SelectionConfig(TcpState.connected(), ProcessSelection.none(),
                PeerSelection.none(), List.of(PortRange.of(443, 443)));
        Scrape scrape = engine(config(LabelFolding.RAW_ENDPOINT, https), new FakeSource(List.of(PG, SYN, HTTPS, OLD)))
                .collect();
        assertThat(scrape.flows()).extracting(FlowSample::flow).containsExactly("(SRC#10.0.0.1|40000)(DST#10.0.0.2|443)");
        assertThat(scrape.rtt().cumulativeCounts()).containsExactly(0, 0, 1, 1, 1);
        assertThat(scrape.stats().socketsSeen()).as("the kernel filter passes only port 443").isEqualTo(2);
        assertThat(scrape.stats().socketsSelected()).as("HTTPS and SYN; SYN has no tcp_info").isEqualTo(2);
        assertThat(scrape.stats().flows()).isEqualTo(1);
    }

    @Test
    void theDumpCarriesTheSelectionsKernelFilter() {
        SelectionConfig selection = new SelectionConfig(TcpState.connected(), ProcessSelection.none(),
                new PeerSelection(List.of(), List.of(Cidr.parse("10.0.0.0/8")), List.of(), List.of()),
                List.of(PortRange.of(443, 443)));
        DumpQuery q = SocketStatsEngine.query(selection);
        assertThat(q.filter()).isEqualTo(KernelFilters.of(selection));
        assertThat(q.filter()).hasToString("((sport = 443 or dport = 443) and (dst 10.0.0.0/8))");
        assertThat(q.extensions()).containsExactly(DumpExtension.INFO);
        assertThat(q.states()).isEqualTo(TcpState.connected());
    }

    @Test
    void aSelectionTooLargeForOneRequestFallsBackToPortsThenToNoFilter() {
        List<Cidr> many = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            many.add(Cidr.parse("10." + (i >> 8) + "." + (i & 255) + ".0/24"));
        }
        PeerSelection peers = new PeerSelection(List.of(), many, List.of(), List.of());
        SelectionConfig withPorts = new SelectionConfig(TcpState.connected(), ProcessSelection.none(), peers,
                List.of(PortRange.of(443, 443)));
        assertThat(SocketStatsEngine.query(withPorts).filter()).hasToString("(sport = 443 or dport = 443)");
        assertThat(KernelFilters.filtersInKernel(withPorts)).as("the config's view of the same fallback").isTrue();
        List<PortRange> manyPorts = new ArrayList<>();
        for (int p = 1; p < 10_000; p += 2) {
            manyPorts.add(PortRange.of(p, p));
        }
        SelectionConfig tooManyPorts = new SelectionConfig(TcpState.connected(), ProcessSelection.none(), peers,
                manyPorts);
        assertThat(SocketStatsEngine.query(tooManyPorts).filter()).isEqualTo(SocketFilter.acceptAll());
        assertThat(KernelFilters.filtersInKernel(tooManyPorts)).isFalse();
        assertThat(KernelFilters.filtersInKernel(SelectionConfig.none())).isFalse();
        // and the selection still works, in Java
        Scrape scrape = engine(config(LabelFolding.RAW_ENDPOINT, withPorts), new FakeSource(List.of(PG, SYN, HTTPS, OLD)))
                .collect();
        assertThat(scrape.stats().socketsSeen()).as("port 443: HTTPS and SYN").isEqualTo(2);
        assertThat(scrape.stats().socketsSelected()).as("both peers in 10.0.0.0/24").isEqualTo(2);
    }

    /** /proc with pid 100 (curl) owning 1..3, pids 1 and 20 (nginx) sharing 7. */
    private Path fakeProc() throws IOException {
        Path proc = tmp.resolve("proc");
        makeProcess(proc, 100, "curl", "socket:[1]", "socket:[2]", "socket:[3]");
        makeProcess(proc, 20, "nginx", "socket:[7]");
        makeProcess(proc, 1, "nginx", "socket:[7]", "/dev/null");
        return proc;
    }

    private static void makeProcess(Path proc, int pid, String comm, String... fds) throws IOException {
        Path dir = Files.createDirectories(proc.resolve(Integer.toString(pid)).resolve("fd")).getParent();
        for (int i = 0; i < fds.length; i++) {
            Files.createSymbolicLink(dir.resolve("fd").resolve(Integer.toString(i)), Path.of(fds[i]));
        }
        Files.writeString(dir.resolve("comm"), comm + "\n");
        Files.createSymbolicLink(dir.resolve("exe"), Path.of("/usr/bin/" + comm));
    }

    @Test
    void pidCondensedFoldsOneProcessToOnePeerIntoOneFlow() throws IOException {
        List<SocketRecord> records = List.of(
                TestSocket.of("10.0.0.1", 50001, "10.0.0.2", 443).inode(1).info(TestSocket.fullInfo(1000, 10, 100, 1, 2)).build(),
                TestSocket.of("10.0.0.1", 50002, "10.0.0.2", 443).inode(2).info(TestSocket.fullInfo(2000, 20, 200, 3, 4)).build(),
                TestSocket.of("10.0.0.1", 50003, "10.0.0.2", 443).inode(3).info(TestSocket.fullInfo(6000, 30, 300, 5, 6)).build(),
                TestSocket.of("10.0.0.1", 50004, "10.0.0.3", 443).inode(3).info(TestSocket.fullInfo(500, 7, 70, 7, 8)).build(),
                TestSocket.of("10.0.0.1", 80, "192.0.2.9", 40000).inode(7).info(TestSocket.fullInfo(40_000, 12, 0, 9, 10)).build(),
                TestSocket.of("10.0.0.1", 50005, "10.0.0.2", 443).inode(999).info(TestSocket.fullInfo(3000, 5, 50, 1, 1)).build());
        SocketStatsEngine engine = SocketStatsEngine.builder()
                .config(config(LabelFolding.PID_CONDENSED, SelectionConfig.none()))
                .source(new FakeSource(records)).procRoot(fakeProc()).clock(steppingClock()).build();

        Scrape scrape = engine.collect();

        assertThat(scrape.flows()).containsExactly(
                new FlowSample("(1,20)(DST#192.0.2.9|40000)", 40.0, 12, 0, 9, 10, 1),
                new FlowSample("(100)(DST#10.0.0.2|443)", 3.0, 60, 600, 9, 12, 3),
                new FlowSample("(100)(DST#10.0.0.3|443)", 0.5, 7, 70, 7, 8, 1),
                new FlowSample("(SRC#10.0.0.1|50005)(DST#10.0.0.2|443)", 3.0, 5, 50, 1, 1, 1));
        assertThat(scrape.rtt().count()).as("one observation per socket, not per flow").isEqualTo(6);
        assertThat(scrape.rtt().sumMillis()).isEqualTo(52.5);
        assertThat(scrape.stats()).isEqualTo(new ScrapeStats(true, null, 0.25, 6, 6, 4, false, 0, 0, 0, 0));
    }

    @Test
    void processSelectionUsesTheProcTable() throws IOException {
        SelectionConfig nginx = new SelectionConfig(TcpState.connected(), new ProcessSelection(Set.of(), Set.of("nginx")),
                PeerSelection.none(), List.of());
        List<SocketRecord> records = List.of(
                TestSocket.of("10.0.0.1", 50001, "10.0.0.2", 443).inode(1).rtt(1000, 10).build(),
                TestSocket.of("10.0.0.1", 80, "192.0.2.9", 40000).inode(7).rtt(2000, 10).build(),
                TestSocket.of("10.0.0.1", 81, "192.0.2.9", 40001).inode(0).rtt(2000, 10).build());
        Scrape scrape = SocketStatsEngine.builder().config(config(LabelFolding.RAW_ENDPOINT, nginx))
                .source(new FakeSource(records)).procRoot(fakeProc()).clock(steppingClock()).build().collect();
        assertThat(scrape.flows()).extracting(FlowSample::flow).containsExactly("(SRC#10.0.0.1|80)(DST#192.0.2.9|40000)");
        assertThat(scrape.stats().socketsSelected()).isEqualTo(1);
    }

    @Test
    void procIsNotWalkedWhenNotNeeded() {
        // procRoot does not exist: walking it would count a /proc error
        SocketStatsEngine engine = engine(config(LabelFolding.RAW_ENDPOINT, SelectionConfig.none()),
                new FakeSource(List.of(HTTPS)));
        engine.collect();
        assertThat(engine.collect().stats().procErrorsTotal()).isZero();
    }

    @Test
    void unreadableProcCountsAndFallsBackToRawLabels() {
        SocketStatsEngine engine = engine(config(LabelFolding.PID_CONDENSED, SelectionConfig.none()),
                new FakeSource(List.of(HTTPS)));
        Scrape first = engine.collect();
        assertThat(first.stats().success()).isTrue();
        assertThat(first.stats().procErrorsTotal()).isEqualTo(1);
        assertThat(first.flows()).extracting(FlowSample::flow).containsExactly("(SRC#10.0.0.1|40000)(DST#10.0.0.2|443)");
        assertThat(engine.collect().stats().procErrorsTotal()).isEqualTo(2);
    }

    @Test
    void skippedProcessesAddToProcErrors() throws IOException {
        Path proc = fakeProc();
        Files.createDirectories(proc.resolve("555"));  // vanished: no fd/, no comm
        SocketStatsEngine engine = SocketStatsEngine.builder()
                .config(config(LabelFolding.PID_CONDENSED, SelectionConfig.none()))
                .source(new FakeSource(List.of(HTTPS))).procRoot(proc).build();
        assertThat(engine.collect().stats().procErrorsTotal()).isEqualTo(1);
        assertThat(engine.collect().stats().procErrorsTotal()).isEqualTo(2);
    }

    @Test
    void failedDumpIsReportedAndTheNextCollectRecovers() {
        FakeSource source = new FakeSource(List.of(PG, SYN, HTTPS, OLD));
        SocketStatsEngine engine = engine(config(LabelFolding.RAW_ENDPOINT, SelectionConfig.none()), source);
        source.failure = new IOException("recvmsg(fd=7, NETLINK_SOCK_DIAG) failed: ENOBUFS (errno 105)");

        Scrape failed = engine.collect();

        assertThat(failed.flows()).isEmpty();
        assertThat(failed.rtt().bounds()).isEqualTo(BOUNDS);
        assertThat(failed.rtt().cumulativeCounts()).containsExactly(0, 0, 0, 0, 0);
        assertThat(failed.rtt().sumMillis()).isZero();
        assertThat(failed.stats()).isEqualTo(new ScrapeStats(false,
                "recvmsg(fd=7, NETLINK_SOCK_DIAG) failed: ENOBUFS (errno 105)", 0.25, 0, 0, 0, false, 1, 0, 0, 0));
        assertThat(engine.collect().stats().netlinkErrorsTotal()).isEqualTo(2);

        source.failure = null;
        Scrape recovered = engine.collect();
        assertThat(recovered.stats().success()).isTrue();
        assertThat(recovered.stats().error()).isNull();
        assertThat(recovered.stats().netlinkErrorsTotal()).isEqualTo(2);
        assertThat(recovered.flows()).hasSize(3);
        assertThat(recovered.rtt().count()).isEqualTo(3);
    }

    @Test
    void aBugInTheSourceDoesNotEscapeCollect() {
        SocketStatsEngine engine = engine(config(LabelFolding.RAW_ENDPOINT, SelectionConfig.none()),
                (query, sink) -> {
                    throw new IllegalStateException("parser bug");
                });
        Scrape scrape = engine.collect();
        assertThat(scrape.stats().success()).isFalse();
        assertThat(scrape.stats().error()).isEqualTo("parser bug");
        assertThat(scrape.stats().netlinkErrorsTotal()).isEqualTo(1);
        Scrape nullStats = engine(config(LabelFolding.RAW_ENDPOINT, SelectionConfig.none()), (query, sink) -> null)
                .collect();
        assertThat(nullStats.stats().error()).isEqualTo("the socket source returned no DumpStats");
    }

    @Test
    void interruptedDumpIsUsedFlaggedAndCounted() {
        FakeSource source = new FakeSource(List.of(HTTPS, PG));
        SocketStatsEngine engine = engine(config(LabelFolding.RAW_ENDPOINT, SelectionConfig.none()), source);
        source.interrupted = true;
        Scrape first = engine.collect();
        assertThat(first.stats().success()).isTrue();
        assertThat(first.stats().dumpInterrupted()).isTrue();
        assertThat(first.stats().dumpInterruptionsTotal()).isEqualTo(1);
        assertThat(first.flows()).hasSize(2);
        assertThat(engine.collect().stats().dumpInterruptionsTotal()).isEqualTo(2);
        source.interrupted = false;
        Scrape clean = engine.collect();
        assertThat(clean.stats().dumpInterrupted()).isFalse();
        assertThat(clean.stats().dumpInterruptionsTotal()).isEqualTo(2);
    }

    @Test
    void disabledFamiliesSkipWorkButStillCount() {
        MetricsConfig nothing = new MetricsConfig(false, BOUNDS, false, false, false, false, false);
        SocketStatsEngine engine = engine(new ExporterConfig(nothing, LabelFolding.RAW_ENDPOINT, SelectionConfig.none()),
                new FakeSource(List.of(HTTPS, PG, SYN)));
        Scrape scrape = engine.collect();
        assertThat(scrape.flows()).isEmpty();
        assertThat(scrape.rtt().cumulativeCounts()).containsExactly(0, 0, 0, 0, 0);
        assertThat(scrape.stats()).isEqualTo(new ScrapeStats(true, null, 0.25, 3, 3, 0, false, 0, 0, 0, 0));
    }

    @Test
    void flowsBeyondMaxFlowsAreDroppedStablyButStillCountInTheHistogramAndTotals() {
        List<SocketRecord> sockets = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            sockets.add(TestSocket.of("10.0." + (i / 250) + "." + (i % 250 + 1), 30000 + i, "10.9.9.9", 443)
                    .inode(1000 + i).info(TestSocket.fullInfo(500 + i, 10, 1000, 1, 1)).build());
        }
        List<String> firstTen = sockets.stream()
                .map(r -> "(SRC#" + r.localAddress().getHostAddress() + "|" + r.localPort() + ")(DST#10.9.9.9|443)")
                .sorted().limit(10).toList();
        FakeSource source = new FakeSource(sockets);
        ExporterConfig capped = new ExporterConfig(METRICS, LabelFolding.RAW_ENDPOINT, SelectionConfig.none(),
                new LimitsConfig(10));
        SocketStatsEngine engine = engine(capped, source);
        List<LogRecord> logged = captureLogs();

        Scrape first = engine.collect();
        assertThat(first.flows()).extracting(FlowSample::flow).containsExactlyElementsOf(firstTen);
        assertThat(first.rtt().count()).as("every selected socket is still observed").isEqualTo(1000);
        assertThat(first.stats().socketsSelected()).isEqualTo(1000);
        assertThat(first.stats().flows()).as("exported flows").isEqualTo(10);
        assertThat(first.stats().flowsDroppedTotal()).isEqualTo(990);

        List<SocketRecord> shuffled = new ArrayList<>(sockets);
        Collections.shuffle(shuffled, new Random(7));
        source.records = shuffled;
        Scrape second = engine.collect();
        assertThat(second.flows()).as("the same flows whatever the dump order").isEqualTo(first.flows());
        assertThat(second.stats().flowsDroppedTotal()).isEqualTo(1980);

        source.records = sockets.subList(0, 10);
        Scrape fits = engine.collect();
        assertThat(fits.flows()).hasSize(10);
        assertThat(fits.stats().flowsDroppedTotal()).as("a scrape within the cap drops nothing").isEqualTo(1980);

        assertThat(logged).filteredOn(r -> r.getLevel() == java.util.logging.Level.WARNING)
                .as("one WARNING for the streak of two capped scrapes").hasSize(1)
                .first().extracting(LogRecord::getMessage).asString()
                .contains("1,000 flows exceed logic.limits.maxFlows (10): the last 990 in label order");
        assertThat(logged).filteredOn(r -> r.getLevel() == java.util.logging.Level.INFO)
                .extracting(LogRecord::getMessage).asString().contains("again after 2 capped scrape(s)");
    }

    @Test
    void theCapCountsFlowsAfterFolding() throws IOException {
        Path proc = tmp.resolve("proc");
        makeProcess(proc, 100, "app", "socket:[1]", "socket:[2]", "socket:[3]");
        List<SocketRecord> sockets = List.of(
                TestSocket.of("10.0.0.1", 40001, "10.0.0.2", 443).inode(1).info(TestSocket.fullInfo(1000, 1, 1, 1, 1)).build(),
                TestSocket.of("10.0.0.1", 40002, "10.0.0.2", 443).inode(2).info(TestSocket.fullInfo(1000, 1, 1, 1, 1)).build(),
                TestSocket.of("10.0.0.1", 40003, "10.0.0.3", 443).inode(3).info(TestSocket.fullInfo(1000, 1, 1, 1, 1)).build());
        SocketStatsEngine engine = SocketStatsEngine.builder()
                .config(new ExporterConfig(METRICS, LabelFolding.PID_CONDENSED, SelectionConfig.none(),
                        new LimitsConfig(1)))
                .source(new FakeSource(sockets)).procRoot(proc).build();
        Scrape scrape = engine.collect();
        assertThat(scrape.flows()).extracting(FlowSample::flow).containsExactly("(100)(DST#10.0.0.2|443)");
        assertThat(scrape.flows().getFirst().sockets()).isEqualTo(2);
        assertThat(scrape.stats().flowsDroppedTotal()).as("three sockets in two flows: one flow dropped").isEqualTo(1);
        assertThat(scrape.rtt().count()).isEqualTo(3);
    }

    /** Records what the engine logs from now until the test ends (JUL is System.Logger's default backend). */
    private static List<LogRecord> captureLogs() {
        List<LogRecord> records = new java.util.concurrent.CopyOnWriteArrayList<>();
        Logger logger = Logger.getLogger(SocketStatsEngine.class.getName());
        logger.addHandler(new Handler() {
            @Override
            public void publish(LogRecord r) {
                records.add(new LogRecord(r.getLevel(), new SimpleFormatter().formatMessage(r)));
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        });
        return records;
    }

    @Test
    void aReplacementEngineContinuesTheRunningTotalsItIsGiven() {
        RunningTotals totals = RunningTotals.create();
        FakeSource failing = new FakeSource(List.of(HTTPS));
        failing.failure = new IOException("ENOBUFS");
        ExporterConfig capped = new ExporterConfig(METRICS, LabelFolding.RAW_ENDPOINT, SelectionConfig.none(),
                new LimitsConfig(1));
        SocketStatsEngine first = SocketStatsEngine.builder().config(capped).source(failing)
                .procRoot(tmp.resolve("no-proc")).totals(totals).build();
        assertThat(first.collect().stats().netlinkErrorsTotal()).isEqualTo(1);

        SocketStatsEngine second = SocketStatsEngine.builder().config(capped).source(new FakeSource(List.of(HTTPS, PG)))
                .procRoot(tmp.resolve("no-proc")).totals(totals).build();
        ScrapeStats stats = second.collect().stats();
        assertThat(stats.netlinkErrorsTotal()).as("the first engine's failure still counts").isEqualTo(1);
        assertThat(stats.flowsDroppedTotal()).isEqualTo(1);
        assertThat(first.collect().stats().flowsDroppedTotal()).as("shared both ways").isEqualTo(1);
        assertThat(engine(capped, new FakeSource(List.of(HTTPS))).collect().stats().netlinkErrorsTotal())
                .as("an engine without totals starts at zero").isZero();
    }

    @Test
    void histogramOnlyStillObserves() {
        MetricsConfig histogramOnly = new MetricsConfig(true, BOUNDS, false, false, false, false, false);
        Scrape scrape = engine(new ExporterConfig(histogramOnly, LabelFolding.RAW_ENDPOINT, SelectionConfig.none()),
                new FakeSource(List.of(HTTPS, PG, SYN))).collect();
        assertThat(scrape.flows()).isEmpty();
        assertThat(scrape.rtt().cumulativeCounts()).containsExactly(0, 1, 2, 2, 2);
    }

    @Test
    void hostsComeFromTheInjectedResolver() {
        SelectionConfig hosts = new SelectionConfig(TcpState.connected(), ProcessSelection.none(),
                new PeerSelection(List.of(), List.of(), List.of(), List.of("pg.internal", "gone.internal")), List.of());
        try (HostResolver resolver = HostResolver.builder().hosts(List.of("pg.internal", "gone.internal"))
                .lookup(h -> {
                    if (h.equals("gone.internal")) {
                        throw new java.net.UnknownHostException(h);
                    }
                    return new InetAddress[] {InetAddress.ofLiteral("2001:db8::2")};
                }).build()) {
            SocketStatsEngine engine = SocketStatsEngine.builder().config(config(LabelFolding.RAW_ENDPOINT, hosts))
                    .source(new FakeSource(List.of(HTTPS, PG))).resolver(resolver).procRoot(tmp).build();
            Scrape before = engine.collect();
            assertThat(before.flows()).as("nothing resolved yet").isEmpty();
            assertThat(before.stats().socketsSeen()).isEqualTo(2);
            resolver.refresh();
            Scrape after = engine.collect();
            assertThat(after.flows()).extracting(FlowSample::flow)
                    .containsExactly("(SRC#2001:db8::1|40001)(DST#2001:db8::2|5432)");
            assertThat(after.stats().resolveFailuresTotal()).isEqualTo(1);
        }
    }

    @Test
    void concurrentCollectsAreSerialized() throws InterruptedException {
        FakeSource source = new FakeSource(List.of(HTTPS, PG, SYN, OLD));
        SocketStatsEngine engine = engine(config(LabelFolding.RAW_ENDPOINT, SelectionConfig.none()), source);
        List<Thread> threads = new ArrayList<>();
        List<Scrape> results = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < 4; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 50; i++) {
                    results.add(engine.collect());
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(source.maxInFlight).hasValue(1);
        assertThat(results).hasSize(200).allSatisfy(s -> assertThat(s.flows()).hasSize(3));
    }

    @Test
    void builderRequiresConfigAndSource() {
        assertThatThrownBy(() -> SocketStatsEngine.builder().source(new FakeSource(List.of())).build())
                .isInstanceOf(IllegalStateException.class).hasMessage("Missing required field: config");
        assertThatThrownBy(() -> SocketStatsEngine.builder().config(ExporterConfig.defaults()).build())
                .isInstanceOf(IllegalStateException.class).hasMessage("Missing required field: source");
    }
}
