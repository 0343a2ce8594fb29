package dev.ssexporter.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The opt-in signal families of the real exporter against {@code ss -tinHe} for the same
 * sockets: quiet loopback connections to an {@link EchoServer} process (IPv4 and IPv6), and one
 * connection whose receiver never reads, so its sender has unsent bytes and its window- and
 * buffer-limited times grow. {@code ss} is read just before and just after the scrape; each value
 * must lie between the two (for the quiet sockets they are equal), give or take ss's rounding.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SignalsMatchSsIT {
    private static final String CONFIG = """
            logic:
              metrics:
                gauges:
                  retransmits: {active: true}
                  lost: {}
                  min_rtt: {}
                  rttvar: {}
                  pacingRate: {}
                  notsent_bytes: {}
                counters:
                  totalRetrans: {}
                  bytes_acked: {}
                  bytesReceived: {}
                  busy_time: {}
                  rwndLimited: {}
                  sndbufLimited: {}
            """;
    private static final List<String> FAMILIES = List.of("tcp_unrecovered_retransmits", "tcp_retrans_segs_total",
            "tcp_lost_segs", "tcp_acked_bytes_total", "tcp_received_bytes_total", "tcp_min_rtt_seconds",
            "tcp_rttvar_seconds", "tcp_pacing_rate_bytes_per_second", "tcp_notsent_bytes", "tcp_busy_seconds_total",
            "tcp_rwnd_limited_seconds_total", "tcp_sndbuf_limited_seconds_total");

    @TempDir
    static Path dir;

    private EchoProcess echo;
    private final List<Connection> connections = new ArrayList<>();
    private ServerSocketChannel stallServer;
    private SocketChannel stallClient;
    private SocketChannel stallAccepted;

    @BeforeAll
    void connect() throws IOException {
        echo = EchoProcess.start(dir);
        for (int m : new int[] {1, 7}) {
            connections.add(Connection.open(echo.v4()).exchange(m));
        }
        connections.add(Connection.open(echo.v6()).exchange(3));

        InetAddress loopback = InetAddress.getLoopbackAddress();
        stallServer = ServerSocketChannel.open().bind(new InetSocketAddress(loopback, 0));
        stallClient = SocketChannel.open(stallServer.getLocalAddress());
        stallAccepted = stallServer.accept();
        stallClient.configureBlocking(false);
        ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        int idle = 0;
        // Fill the receiver's buffer and then our own: the kernel accepts nothing more.
        while (idle < 20) {
            chunk.clear();
            if (stallClient.write(chunk) == 0) {
                idle++;
                E2e.sleep(Duration.ofMillis(20));
            } else {
                idle = 0;
            }
            assertThat(System.nanoTime()).as("filling a never-read connection within 20 s").isLessThan(deadline);
        }
    }

    @AfterAll
    void disconnect() throws IOException {
        for (Connection c : connections) {
            c.close();
        }
        for (AutoCloseable c : new AutoCloseable[] {stallClient, stallAccepted, stallServer}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // closing only
            }
        }
        if (echo != null) {
            echo.close();
        }
    }

    private int stallPort() throws IOException {
        return ((InetSocketAddress) stallServer.getLocalAddress()).getPort();
    }

    @Test
    void everySignalMatchesSsForTheSameSockets() throws Exception {
        Path config = Files.writeString(dir.resolve("signals.yml"), CONFIG);
        int port = stallPort();
        String filter = "( " + echo.ssFilter() + " or " + Ss.ports(port) + " )";
        Predicate<String> ours = flow -> echo.concerns(flow) || flow.contains("|" + port + ")");
        Ss.settle(echo.ssFilter(), 2 * connections.size());
        try (Exporter exporter = Exporter.start(dir, config)) {
            List<Ss.Sock> before = Ss.query(filter);
            Exposition scrape = exporter.scrape(ours);
            List<Ss.Sock> after = Ss.query(filter);
            assertThat(scrape.value("ss_exporter_scrape_success")).isEqualTo(1.0);
            assertThat(before).as("sockets in ss").hasSize(2 * connections.size() + 2);

            Map<String, Ss.Sock> afterByFlow = new java.util.HashMap<>();
            after.forEach(s -> afterByFlow.put(s.flow(), s));
            SoftAssertions soft = new SoftAssertions();
            boolean sawUnsent = false;
            boolean sawLimited = false;
            for (Ss.Sock b : before) {
                Ss.Sock a = afterByFlow.get(b.flow());
                soft.assertThat(a).as("%s still in ss after the scrape", b.flow()).isNotNull();
                if (a == null) {
                    continue;
                }
                Map<String, Double> lo = SsSignals.of(b);
                Map<String, Double> hi = SsSignals.of(a);
                for (String family : FAMILIES) {
                    Double got = scrape.flows(family).get(b.flow());
                    if (family.equals("tcp_unrecovered_retransmits")) {
                        // Not printed by ss -i; no loopback socket here has a retransmission timeout.
                        soft.assertThat(got).as("%s of %s", family, b.flow()).isEqualTo(0.0);
                        continue;
                    }
                    soft.assertThat(got).as("%s of %s (ss: %s)", family, b.flow(), b.line()).isNotNull();
                    if (got == null || !lo.containsKey(family) || !hi.containsKey(family)) {
                        soft.assertThat(lo).as("ss prints %s for %s", family, b.line()).containsKey(family);
                        continue;
                    }
                    double min = Math.min(lo.get(family), hi.get(family));
                    double max = Math.max(lo.get(family), hi.get(family));
                    if (SsSignals.TRUNCATED_MS.contains(family)) {
                        max += 0.001; // ss prints whole milliseconds, cut
                    }
                    double slack = 1e-5 * max + 1e-12; // %g keeps six significant digits
                    soft.assertThat(got).as("%s of %s: ss said %s before and %s after (%s)", family, b.flow(),
                            lo.get(family), hi.get(family), a.line()).isBetween(min - slack, max + slack);
                }
                sawUnsent |= lo.get("tcp_notsent_bytes") > 0;
                sawLimited |= hi.get("tcp_rwnd_limited_seconds_total") > 0 || hi.get("tcp_sndbuf_limited_seconds_total") > 0;
            }
            soft.assertThat(sawUnsent).as("the never-read connection has unsent bytes in ss").isTrue();
            soft.assertThat(sawLimited).as("the never-read connection is window- or buffer-limited in ss").isTrue();
            for (String family : FAMILIES) {
                soft.assertThat(scrape.flows(family)).as("%s flows", family).hasSize(before.size());
            }
            soft.assertAll();
        }
    }
}
