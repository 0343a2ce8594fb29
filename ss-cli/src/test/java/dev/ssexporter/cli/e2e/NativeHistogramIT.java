package dev.ssexporter.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's Prometheus with {@code --enable-feature=native-histograms} scrapes the real jar in the
 * protobuf format and stores {@code tcp_rtt_hist_ms} as a native histogram: PromQL's
 * {@code histogram_count} is the number of this test's sockets, and
 * {@code histogram_quantile(0.5, ...)} lies in the schema-3 bucket holding the median of their
 * RTTs as {@code ss} reports them. The selection is the echo server's ports, so the host's other
 * sockets cannot move the numbers.
 */
class NativeHistogramIT {
    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void prometheusStoresAndQueriesTheNativeHistogram() throws Exception {
        Path prometheusBinary = E2e.requireTool("prometheus", "prometheus");
        try (EchoProcess echo = EchoProcess.start(dir)) {
            List<Connection> connections = new ArrayList<>();
            try {
                for (int m : new int[] {1, 2, 3, 4}) {
                    connections.add(Connection.open(echo.v4()).exchange(m));
                }
                for (int m : new int[] {5, 6, 7}) {
                    connections.add(Connection.open(echo.v6()).exchange(m));
                }
                run(prometheusBinary, echo, connections.size());
            } finally {
                for (Connection c : connections) {
                    c.close();
                }
            }
        }
    }

    private void run(Path prometheusBinary, EchoProcess echo, int connections) throws Exception {
        int v4 = echo.v4().port();
        int v6 = echo.v6().port();
        Path config = Files.writeString(dir.resolve("echo-ports.yml"), """
                logic:
                  selection:
                    portRanges: [{lower: %d}, {lower: %d}]
                """.formatted(v4, v6));
        String ports = Ss.ports(v4, v6);
        List<Ss.Sock> ss = Ss.settle(ports, 2 * connections);
        try (Exporter exporter = Exporter.start(dir, config)) {
            double dumpSeconds = exporter.scrape().value("ss_exporter_scrape_duration_seconds");
            long interval = dumpSeconds < 0.5 ? 1 : Math.min(15, (long) Math.ceil(3 * dumpSeconds));
            try (PrometheusServer prometheus = PrometheusServer.start(prometheusBinary, dir, exporter.port(), interval,
                    List.of("--enable-feature=native-histograms"))) {
                String count = E2e.poll("histogram_count(tcp_rtt_hist_ms) to have a value", QUERY_TIMEOUT,
                        Duration.ofMillis(250), () -> prometheus.query("histogram_count(tcp_rtt_hist_ms)"),
                        v -> v.size() == 1).getFirst();
                String median = prometheus.query("histogram_quantile(0.5, tcp_rtt_hist_ms)").getFirst();
                List<String> classic = prometheus.query("tcp_rtt_hist_ms_bucket");
                List<Ss.Sock> after = Ss.query(ports);
                assertThat(Ss.quiet(after)).as("ss values unchanged while Prometheus scraped").isEqualTo(Ss.quiet(ss));

                assertThat(Double.parseDouble(count)).as("histogram_count against ss -tinH for ports %d and %d:%s", v4,
                        v6, Ss.describe(after)).isEqualTo(after.size()).isEqualTo(2.0 * connections);
                assertThat(classic).as("a native histogram is stored without _bucket series").isEmpty();
                assertMedian(Double.parseDouble(median), after);
            }
        }
    }

    /**
     * The median lies in the native bucket of ss's median RTT: with schema 3 that is
     * {@code (2^((i-1)/8), 2^(i/8)]}, where Prometheus interpolates (exponentially) within it.
     */
    private static void assertMedian(double quantile, List<Ss.Sock> ss) {
        double[] rtts = ss.stream().mapToDouble(s -> s.rttMs().orElseThrow()).sorted().toArray();
        double rank = 0.5 * rtts.length;
        double median = rtts[(int) Math.ceil(rank) - 1];
        int i = (int) Math.ceil(8 * Math.log(median) / Math.log(2) - 1e-9);
        double lower = Math.pow(2, (i - 1) / 8.0);
        double upper = Math.pow(2, i / 8.0);
        assertThat(quantile).as("histogram_quantile(0.5, tcp_rtt_hist_ms) = %s; ss's RTTs (ms) %s, median %s in"
                + " native bucket %d (%s, %s]", quantile, Arrays.toString(rtts), median, i, lower, upper)
                .isBetween(lower * (1 - 1e-9), upper * (1 + 1e-9));
    }
}
