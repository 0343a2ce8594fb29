package dev.ssexporter.core.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.ssexporter.core.config.AggregationConfig;
import dev.ssexporter.core.config.ExporterConfig;
import dev.ssexporter.core.engine.Scrape;
import dev.ssexporter.core.engine.SocketStatsEngine;
import dev.ssexporter.core.histogram.BucketBounds;
import dev.ssexporter.netlink.AddressFamily;
import dev.ssexporter.netlink.DumpQuery;
import dev.ssexporter.netlink.SockDiagReader;
import dev.ssexporter.netlink.SocketFilter;
import dev.ssexporter.netlink.TcpState;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The aggregates against the kernel and {@code ss}, over loopback sockets this test opens: a
 * listener that never accepts, clients whose connections wait in its accept queue, and closed
 * connections in TIME_WAIT.
 */
class AggregatesLiveTest {
    private static final int BACKLOG = 8;
    private static final int QUEUED = 5;

    @Test
    void listenerQueueAndStateCountsEqualSsForTheSameSockets() throws Exception {
        InetAddress lo = InetAddress.getLoopbackAddress();
        List<Socket> clients = new ArrayList<>();
        try (ServerSocket listener = new ServerSocket(0, BACKLOG, lo);
             ServerSocket accepting = new ServerSocket(0, 50, lo)) {
            int port = listener.getLocalPort();
            for (int i = 0; i < QUEUED; i++) {
                Socket c = new Socket();
                c.connect(new InetSocketAddress(lo, port), 5000);
                clients.add(c);
            }
            // two connections to a second listener, accepted and closed by the client first: TIME_WAIT
            for (int i = 0; i < 2; i++) {
                Socket c = new Socket(lo, accepting.getLocalPort());
                try (Socket s = accepting.accept()) {
                    c.close();
                    s.getInputStream().read();
                }
            }
            int other = accepting.getLocalPort();
            String filter = "( sport = :" + port + " or dport = :" + port + " or sport = :" + other
                    + " or dport = :" + other + " )";

            Aggregation aggregation = Aggregation.of(AggregationConfig.defaults(), BucketBounds.defaultRttMillis());
            Aggregation.Round round = aggregation.round();
            SocketFilter ours = SocketFilter.anyOf(List.of(SocketFilter.localPorts(port, port),
                    SocketFilter.remotePorts(port, port), SocketFilter.localPorts(other, other),
                    SocketFilter.remotePorts(other, other)));
            try (SockDiagReader reader = SockDiagReader.open()) {
                reader.dump(new DumpQuery(EnumSet.allOf(AddressFamily.class), aggregation.censusStates(),
                        EnumSet.noneOf(dev.ssexporter.netlink.DumpExtension.class), ours), round::census);
            }
            Aggregates out = round.finish();

            Map<String, Integer> ssStates = ssStateCounts(filter);
            assertThat(ssStates).containsEntry("ESTAB", 2 * QUEUED).containsEntry("LISTEN", 2)
                    .containsEntry("TIME-WAIT", 2);
            assertThat(countsByState(out.states())).isEqualTo(ssStates);

            String label = "127.0.0.1:" + port;
            List<String> ssListen = ss("-ltnH", "sport = :" + port);
            assertThat(ssListen).hasSize(1);
            String[] cols = ssListen.getFirst().trim().split("\\s+");
            assertThat(out.listeners()).contains(new ListenerStats(label, Long.parseLong(cols[1]),
                    Long.parseLong(cols[2]), 0, 1));
            assertThat(out.listeners()).filteredOn(l -> l.listener().equals(label)).singleElement()
                    .satisfies(l -> {
                        assertThat(l.acceptQueue()).isEqualTo(QUEUED);
                        assertThat(l.backlog()).isEqualTo(BACKLOG);
                    });

            // the engine, unfiltered, with the listener among every other socket of the host
            try (SockDiagReader reader = SockDiagReader.open();
                 SocketStatsEngine engine = SocketStatsEngine.builder().source(reader)
                         .config(ExporterConfig.defaults()).build()) {
                Scrape scrape = engine.collect();
                assertThat(scrape.stats().success()).isTrue();
                assertThat(scrape.aggregates().listeners()).contains(new ListenerStats(label, QUEUED, BACKLOG, 0, 1));
            }
        } finally {
            for (Socket c : clients) {
                c.close();
            }
        }
    }

    /**
     * Every socket of the host, per family and state, as the engine counts them and as
     * {@code ss -tanH -4} / {@code -6} list them. Other processes open and close sockets
     * meanwhile, so only the (family, state) counts that ss gives alike before and after the
     * engine's dump are compared, over a few rounds; the comparison must cover the established
     * and listening sockets at least once.
     */
    @Test
    void hostWideCountsEqualSsForTheCountsThatHoldStill() throws Exception {
        java.util.Set<String> compared = new java.util.TreeSet<>();
        try (SockDiagReader reader = SockDiagReader.open();
             SocketStatsEngine engine = SocketStatsEngine.builder().source(reader)
                     .config(ExporterConfig.defaults()).build()) {
            for (int attempt = 0; attempt < 5; attempt++) {
                Map<String, Integer> before = ssHostCounts();
                Scrape scrape = engine.collect();
                Map<String, Integer> after = ssHostCounts();
                Map<String, Integer> ours = new TreeMap<>();
                for (AddressFamily f : AddressFamily.values()) {
                    countsByState(scrape.aggregates().states(), f).forEach((k, v) -> ours.put(
                            SocketStateCounts.familyLabel(f) + " " + k, v));
                }
                java.util.Set<String> keys = new java.util.TreeSet<>(before.keySet());
                keys.addAll(after.keySet());
                keys.addAll(ours.keySet());
                for (String k : keys) {
                    if (before.getOrDefault(k, 0).equals(after.getOrDefault(k, 0))) {
                        assertThat(ours.getOrDefault(k, 0)).as(k + " (ss gave " + before.getOrDefault(k, 0)
                                + " before and after the dump)").isEqualTo(before.getOrDefault(k, 0));
                        compared.add(k);
                    }
                }
            }
        }
        assertThat(compared).as("(family, state) counts that held still while compared")
                .contains("ipv4 ESTAB", "ipv4 LISTEN");
    }

    /**
     * Three loopback connections to a listener this test opens, with traffic both ways; the
     * service aggregates of the engine (selection: the listener's port) against the per-socket
     * counters {@code ss -tinH} prints for the same sockets, then after one connection closed.
     */
    @Test
    void serviceCountersEqualSsSumsAndSurviveAClose() throws Exception {
        InetAddress lo = InetAddress.getLoopbackAddress();
        List<Socket> sockets = new ArrayList<>();
        try (ServerSocket server = new ServerSocket(0, 50, lo)) {
            int port = server.getLocalPort();
            for (int i = 0; i < 3; i++) {
                Socket c = new Socket(lo, port);
                Socket a = server.accept();
                sockets.add(c);
                sockets.add(a);
                c.getOutputStream().write(new byte[1000 * (i + 1)]);
                a.getInputStream().readNBytes(1000 * (i + 1));
                a.getOutputStream().write(new byte[500]);
                c.getInputStream().readNBytes(500);
            }
            Thread.sleep(300); // let the last ACKs arrive, so ss and the engine read settled counters
            String yaml = "logic: {selection: {portRanges: [{lower: " + port + "}]}, aggregation: {socketStates:"
                    + " {active: false}, listeners: {active: false}, services: {active: true}}}";
            ExporterConfig config = dev.ssexporter.core.config.ConfigLoader.parse(yaml, "live-test");
            try (SockDiagReader reader = SockDiagReader.open();
                 SocketStatsEngine engine = SocketStatsEngine.builder().source(reader).config(config).build()) {
                Map<String, long[]> ss = ssServiceSums(port);
                List<ServiceStats> before = engine.collect().aggregates().services();
                assertThat(before).extracting(ServiceStats::direction).containsExactly("inbound", "outbound");
                for (ServiceStats svc : before) {
                    long[] expected = ss.get(svc.direction());
                    assertThat(svc.service()).isEqualTo(Integer.toString(port));
                    assertThat(svc.peerGroup()).isEqualTo("other");
                    assertThat(new long[] {svc.connections(), svc.bytesSent(), svc.bytesReceived(), svc.dataSegsIn(),
                            svc.dataSegsOut()}).as(svc.direction() + ": connections, bytes_acked, bytes_received,"
                            + " data_segs_in, data_segs_out as ss prints them").containsExactly(expected);
                    assertThat(svc.rtt().count()).isEqualTo(3);
                }
                assertThat(before.getFirst().bytesReceived()).as("inbound: the clients sent 1000+2000+3000")
                        .isEqualTo(6000);

                sockets.get(0).close();
                sockets.get(1).close();
                Thread.sleep(100);
                List<ServiceStats> after = engine.collect().aggregates().services();
                for (int i = 0; i < 2; i++) {
                    ServiceStats b = before.get(i);
                    ServiceStats x = after.get(i);
                    assertThat(x.connections()).isEqualTo(2);
                    assertThat(x.bytesReceived()).as("monotonic after a close").isGreaterThanOrEqualTo(b.bytesReceived());
                    assertThat(x.bytesSent()).isGreaterThanOrEqualTo(b.bytesSent());
                    assertThat(x.dataSegsOut()).isGreaterThanOrEqualTo(b.dataSegsOut());
                }
            }
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
        }
    }

    /** Per direction: connections and the sums of bytes_acked, bytes_received, data_segs_in/out from ss -tinH. */
    private static Map<String, long[]> ssServiceSums(int port) throws IOException, InterruptedException {
        List<String> joined = new ArrayList<>();
        for (String line : ss("-tinH", "state", "established", "( sport = :" + port + " or dport = :" + port + " )")) {
            if (Character.isWhitespace(line.charAt(0)) && !joined.isEmpty()) {
                joined.set(joined.size() - 1, joined.getLast() + " " + line.strip());
            } else {
                joined.add(line.strip());
            }
        }
        Map<String, long[]> out = new TreeMap<>();
        for (String line : joined) {
            String[] t = line.split("\\s+");
            // without a State column (state filter given): Recv-Q Send-Q Local Peer ...
            boolean inbound = t[2].endsWith(":" + port);
            long[] v = out.computeIfAbsent(inbound ? "inbound" : "outbound", k -> new long[5]);
            v[0]++;
            v[1] += value(line, "bytes_acked");
            v[2] += value(line, "bytes_received");
            v[3] += value(line, "data_segs_in");
            v[4] += value(line, "data_segs_out");
        }
        return out;
    }

    private static long value(String line, String key) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(" " + key + ":(\\d+)").matcher(line);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private static Map<String, Integer> ssHostCounts() throws IOException, InterruptedException {
        Map<String, Integer> out = new TreeMap<>();
        for (String fam : List.of("ipv4", "ipv6")) {
            for (String line : ss("-tanH", fam.equals("ipv4") ? "-4" : "-6")) {
                out.merge(fam + " " + line.trim().split("\\s+")[0], 1, Integer::sum);
            }
        }
        return out;
    }

    private static Map<String, Integer> countsByState(SocketStateCounts counts) {
        Map<String, Integer> out = new TreeMap<>();
        for (AddressFamily f : AddressFamily.values()) {
            countsByState(counts, f).forEach((k, v) -> out.merge(k, v, Integer::sum));
        }
        return out;
    }

    /** The non-zero counts of {@code family}, keyed by the name ss prints. */
    private static Map<String, Integer> countsByState(SocketStateCounts counts, AddressFamily family) {
        Map<String, Integer> out = new TreeMap<>();
        for (TcpState s : SocketStateCounts.STATES) {
            long n = counts.count(family, s);
            if (n > 0) {
                out.put(s.ssName(), (int) n);
            }
        }
        return out;
    }

    private static Map<String, Integer> ssStateCounts(String filter) throws IOException, InterruptedException {
        Map<String, Integer> out = new TreeMap<>();
        for (String line : ss("-tanH", filter)) {
            out.merge(line.trim().split("\\s+")[0], 1, Integer::sum);
        }
        return out;
    }

    /** Runs ss; fails loudly when it is missing (.ci/run installs iproute2). */
    static List<String> ss(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add("ss");
        cmd.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            return fail("cannot run 'ss' (" + e.getMessage() + "); install iproute2");
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            return fail(cmd + " failed: " + out);
        }
        return out.lines().filter(l -> !l.isBlank()).toList();
    }
}
