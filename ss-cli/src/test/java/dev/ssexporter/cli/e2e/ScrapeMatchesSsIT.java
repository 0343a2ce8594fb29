package dev.ssexporter.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The real exporter's {@code /metrics} against {@code ss -tinHe} for the same sockets: loopback
 * connections from the test JVM to an {@link EchoServer} process over IPv4 ({@code AF_INET}),
 * IPv4-mapped IPv6 and IPv6, data exchanged and then left quiet, so both tools must report the
 * same numbers for both sides of every connection.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScrapeMatchesSsIT {
    /** The default {@code bucketBounds} of docs/configuration.md, then +Inf. */
    private static final List<Double> DEFAULT_BOUNDS = List.of(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0,
            2.5, 5.0, 10.0, 25.0, 50.0, 100.0, 250.0, 500.0, 1000.0, Double.POSITIVE_INFINITY);
    /** Scrapes to try when ss saw the connections move or the dump was interrupted. */
    private static final int ATTEMPTS = 5;

    @TempDir
    static Path dir;

    private EchoProcess echo;
    private final List<Connection> connections = new ArrayList<>();

    @BeforeAll
    void connect() throws IOException {
        echo = EchoProcess.start(dir);
        // Different amounts of data per connection, so a mix-up of two flows' counters shows.
        for (int m : new int[] {1, 4, 9}) {
            connections.add(Connection.open(echo.v4()).exchange(m));
        }
        for (int m : new int[] {3, 5}) {
            connections.add(Connection.openDualStack(echo.mapped(), null).exchange(m));
        }
        for (int m : new int[] {2, 6}) {
            connections.add(Connection.open(echo.v6()).exchange(m));
        }
    }

    @AfterAll
    void disconnect() throws IOException {
        for (Connection c : connections) {
            c.close();
        }
        if (echo != null) {
            echo.close();
        }
    }

    static Stream<Arguments> configs() {
        return Stream.of(
                Arguments.of("no --config (defaults)", null),
                Arguments.of("labelFolding: raw_endpoint", """
                        logic:
                          compression:
                            labelFolding: "raw_endpoint"
                        """));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void everyFlowMatchesSs(String name, String yaml) throws Exception {
        Path config = null;
        if (yaml != null) {
            config = Files.writeString(dir.resolve("raw.yml"), yaml);
        }
        List<Ss.Sock> quiet = Ss.settle(echo.ssFilter(), 2 * connections.size());
        try (Exporter exporter = Exporter.start(dir, config)) {
            double interruptions = 0;
            for (int attempt = 1; ; attempt++) {
                Exposition scrape = exporter.scrape(echo::concerns);
                List<Ss.Sock> after = Ss.query(echo.ssFilter());
                double nowInterrupted = scrape.value("ss_exporter_dump_interruptions_total");
                boolean moved = !Ss.quiet(after).equals(Ss.quiet(quiet));
                boolean interrupted = nowInterrupted > interruptions;
                interruptions = nowInterrupted;
                if ((moved || interrupted) && attempt < ATTEMPTS) {
                    quiet = Ss.settle(echo.ssFilter(), 2 * connections.size());
                    continue;
                }
                assertThat(moved).as("ss values moved during the scrape, %d attempts", attempt).isFalse();
                assertThat(interrupted).as("the kernel dump was interrupted on each of %d attempts", attempt).isFalse();
                assertMatches(scrape, quiet);
                assertHistogram(scrape);
                return;
            }
        }
    }

    private void assertMatches(Exposition scrape, List<Ss.Sock> ss) {
        Set<String> fromSockets = new TreeSet<>();
        for (Connection c : connections) {
            fromSockets.add(c.clientFlow());
            fromSockets.add(c.serverFlow());
        }
        Set<String> fromSs = ss.stream().map(Ss.Sock::flow).collect(Collectors.toCollection(TreeSet::new));
        assertThat(fromSs).as("ss's sockets for the echo server, as labels").isEqualTo(fromSockets);

        Map<String, Double> rtt = scrape.flows("tcp_rtt");
        Map<String, Double> cwnd = scrape.flows("tcp_cwnd");
        Map<String, Double> rate = scrape.flows("tcp_delivery_rate");
        Map<String, Double> in = scrape.flows("tcp_data_segs_in_total");
        Map<String, Double> out = scrape.flows("tcp_data_segs_out_total");
        SoftAssertions soft = new SoftAssertions();
        for (String family : Exposition.FLOW_FAMILIES) {
            soft.assertThat(scrape.flows(family).keySet()).as("%s flows of the echo connections", family)
                    .isEqualTo(fromSockets);
        }
        for (Ss.Sock s : ss) {
            String flow = s.flow();
            if (!rtt.containsKey(flow)) {
                continue; // reported above
            }
            soft.assertThat(cwnd.get(flow)).as("tcp_cwnd of %s (ss: %s)", flow, s.line())
                    .isEqualTo((double) s.cwnd().orElseThrow());
            soft.assertThat(in.get(flow)).as("tcp_data_segs_in_total of %s (ss: %s)", flow, s.line())
                    .isEqualTo((double) s.dataSegsIn());
            soft.assertThat(out.get(flow)).as("tcp_data_segs_out_total of %s (ss: %s)", flow, s.line())
                    .isEqualTo((double) s.dataSegsOut());
            double ssRtt = s.rttMs().orElseThrow();
            soft.assertThat(rtt.get(flow)).as("tcp_rtt of %s in ms (ss: %s)", flow, s.line())
                    .isCloseTo(ssRtt, within(Math.max(0.05, 0.1 * ssRtt)));
            if (s.deliveryRateBps() >= 0) {
                soft.assertThat(rate.get(flow) * 8).as("tcp_delivery_rate of %s in bits/s (ss: %s)", flow, s.line())
                        .isEqualTo((double) s.deliveryRateBps());
            }
        }
        Map<String, Ss.Sock> byFlow = ss.stream().collect(Collectors.toMap(Ss.Sock::flow, s -> s));
        for (Connection c : connections) {
            int client = c.local().port();
            int server = c.remote().port();
            Ss.Sock clientSide = byFlow.get(c.clientFlow());
            if (clientSide == null) {
                continue; // reported above
            }
            if (c.remote().equals(echo.v6())) {
                // docs/metrics.md: IPv6 in RFC 5952 form, no brackets, loopback is ::1.
                soft.assertThat(rtt).containsKey("(SRC#::1|" + client + ")(DST#::1|" + server + ")")
                        .containsKey("(SRC#::1|" + server + ")(DST#::1|" + client + ")");
            } else {
                soft.assertThat(rtt).containsKey("(SRC#127.0.0.1|" + client + ")(DST#127.0.0.1|" + server + ")")
                        .containsKey("(SRC#127.0.0.1|" + server + ")(DST#127.0.0.1|" + client + ")");
                // Make sure both kinds of IPv4 socket are really exercised: ss shows the mapped form.
                String kernelForm = "[::ffff:127.0.0.1]:" + client;
                if (c.remote().equals(echo.mapped())) {
                    soft.assertThat(clientSide.line()).as("an AF_INET6 socket with a v4-mapped address").contains(kernelForm);
                } else {
                    soft.assertThat(clientSide.line()).as("an AF_INET socket").doesNotContain("::ffff:");
                }
            }
        }
        soft.assertThat(rtt.keySet()).as("IPv6 written without brackets, zero runs or v4-mapped prefix")
                .noneMatch(f -> f.contains("[") || f.contains("0:0:") || f.contains("::ffff:"));
        soft.assertAll();
    }

    /** Cumulative, +Inf == _count, _count == one observation per flow (raw labels: one per socket). */
    private static void assertHistogram(Exposition scrape) {
        LinkedHashMap<Double, Double> buckets = scrape.buckets("tcp_rtt_hist_ms");
        assertThat(new ArrayList<>(buckets.keySet())).as("bucket bounds (le), in order").isEqualTo(DEFAULT_BOUNDS);
        List<Double> counts = new ArrayList<>(buckets.values());
        for (int i = 1; i < counts.size(); i++) {
            assertThat(counts.get(i)).as("cumulative count of bucket le=%s after %s", DEFAULT_BOUNDS.get(i), counts)
                    .isGreaterThanOrEqualTo(counts.get(i - 1));
        }
        double count = scrape.value("tcp_rtt_hist_ms_count");
        assertThat(buckets.get(Double.POSITIVE_INFINITY)).as("+Inf bucket").isEqualTo(count);
        assertThat(count).as("_count: one observation per flow with tcp_info, i.e. per tcp_rtt series")
                .isEqualTo((double) scrape.total("tcp_rtt"))
                .isEqualTo(scrape.value("ss_exporter_flows"))
                .isGreaterThanOrEqualTo(10.0);
        assertThat(scrape.value("tcp_rtt_hist_ms_sum")).as("_sum").isGreaterThan(0.0);
        assertThat(scrape.value("ss_exporter_scrape_success")).isEqualTo(1.0);
    }
}
