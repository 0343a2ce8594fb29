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
     * meanwhile, so a (family, state) count is compared only in a round where ss gives it alike
     * before and after the engine's dump, and it must agree in at least one such round (a socket
     * may still come and go between the two ss runs). Only the states that hold many long-lived
     * sockets are compared (established, listen, time-wait): on a shared build machine, short
     * half-closed connections of other processes flicker through the rare states faster than two
     * ss runs can pin them, and on a busy machine even these may never hold still, so only one
     * of them needs to have been compared. The socket filter test above compares every state
     * exactly.
     */
    @Test
    void hostWideCountsEqualSsForTheCountsThatHoldStill() throws Exception {
        Map<String, String> disagreed = new TreeMap<>();
        java.util.Set<String> agreed = new java.util.TreeSet<>();
        try (SockDiagReader reader = SockDiagReader.open();
             SocketStatsEngine engine = SocketStatsEngine.builder().source(reader)
                     .config(ExporterConfig.defaults()).build()) {
            for (int attempt = 0; attempt < 10; attempt++) {
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
                    if (!k.endsWith(" ESTAB") && !k.endsWith(" LISTEN") && !k.endsWith(" TIME-WAIT")) {
                        continue;
                    }
                    int ss = before.getOrDefault(k, 0);
                    if (ss != after.getOrDefault(k, 0)) {
                        continue;
                    }
                    if (ours.getOrDefault(k, 0) == ss) {
                        agreed.add(k);
                    } else {
                        disagreed.merge(k, "ss " + ss + ", engine " + ours.getOrDefault(k, 0), (x, y) -> x + "; " + y);
                    }
                }
                if (attempt >= 2 && agreed.containsAll(disagreed.keySet()) && !agreed.isEmpty()) {
                    break;
                }
            }
        }
        disagreed.keySet().removeAll(agreed);
        assertThat(disagreed).as("(family, state) counts that held still in ss but never agreed with the engine")
                .isEmpty();
        assertThat(agreed).as("(family, state) counts compared and equal").isNotEmpty();
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
