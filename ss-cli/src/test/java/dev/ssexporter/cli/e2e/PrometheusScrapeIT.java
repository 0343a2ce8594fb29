package dev.ssexporter.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's real {@code prometheus} server scrapes the real jar every second, and PromQL over what
 * it stored agrees with {@code ss}: {@code count(tcp_rtt)} is the number of connected sockets of
 * this test's connections, and {@code histogram_quantile(0.95, tcp_rtt_hist_ms_bucket)} lies in
 * the bucket holding the 95th percentile of their RTTs as {@code ss} reports them (and is
 * Prometheus's interpolation in it). The exporter's histogram itself, scraped directly, is the
 * one built from ss's RTTs, bucket for bucket.
 *
 * <p>The exporter's selection is the echo server's two ports, so sockets of other programs on the
 * host cannot make the numbers drift.
 */
class PrometheusScrapeIT {
    /** The default {@code bucketBounds} of docs/configuration.md. */
    private static final double[] BOUNDS = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
            25.0, 50.0, 100.0, 250.0, 500.0, 1000.0};
        private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void promqlOverScrapedSeriesAgreesWithSs() throws Exception {
        Path prometheusBinary = E2e.requireTool("prometheus", "prometheus");
        try (EchoProcess echo = EchoProcess.start(dir)) {
            List<Connection> connections = new ArrayList<>();
            try {
                for (int m : new int[] {1, 2, 3}) {
                    connections.add(Connection.open(echo.v4()).exchange(m));
                }
                for (int m : new int[] {5, 8}) {
                    connections.add(Connection.openDualStack(echo.mapped(), null).exchange(m));
                }
                for (int m : new int[] {1, 4, 7}) {
                    connections.add(Connection.open(echo.v6()).exchange(m));
                }
                run(prometheusBinary, echo, connections);
            } finally {
                for (Connection c : connections) {
                    c.close();
                }
            }
        }
    }

    private void run(Path prometheusBinary, EchoProcess echo, List<Connection> connections) throws Exception {
        int v4 = echo.v4().port();
        int mapped = echo.mapped().port();
        int v6 = echo.v6().port();
        Path config = Files.writeString(dir.resolve("echo-ports.yml"), """
                logic:
                  selection:
                    portRanges:
                      - {lower: %d}
                      - {lower: %d}
                      - {lower: %d}
                """.formatted(v4, mapped, v6));
        String ports = Ss.ports(v4, mapped, v6);
        List<Ss.Sock> ss = Ss.settle(ports, 2 * connections.size());
        try (Exporter exporter = Exporter.start(dir, config)) {
            // One scrape first: it shows how long a dump takes on this host. Prometheus needs the
            // scrape timeout within the interval; 1 s normally, longer only on a host busy with
            // 100 000 sockets, where a dump alone can take seconds.
            double dumpSeconds = exporter.scrape().value("ss_exporter_scrape_duration_seconds");
            long interval = dumpSeconds < 0.5 ? 1 : Math.min(15, (long) Math.ceil(3 * dumpSeconds));
            try (PrometheusServer prometheus = PrometheusServer.start(prometheusBinary, dir, exporter.port(), interval,
                    List.of())) {
                E2e.poll("Prometheus to scrape the exporter successfully (up == 1), scrape interval " + interval + " s",
                        QUERY_TIMEOUT, Duration.ofMillis(250), () -> prometheus.query("up{job=\"ss\"}"),
                        v -> v.equals(List.of("1")));
                String count = E2e.poll("count(tcp_rtt) to have a value", QUERY_TIMEOUT, Duration.ofMillis(250),
                        () -> prometheus.query("count(tcp_rtt)"), v -> v.size() == 1).getFirst();
                String quantile = E2e.poll("histogram_quantile(0.95, tcp_rtt_hist_ms_bucket) to have a value",
                        QUERY_TIMEOUT, Duration.ofMillis(250),
                        () -> prometheus.query("histogram_quantile(0.95, tcp_rtt_hist_ms_bucket)"),
                        v -> v.size() == 1).getFirst();
                List<Ss.Sock> after = Ss.query(ports);
                assertThat(Ss.quiet(after)).as("ss values unchanged while Prometheus scraped").isEqualTo(Ss.quiet(ss));

                assertThat(Double.parseDouble(count)).as("count(tcp_rtt) against ss -tinH for ports %d, %d and %d:%s",
                        v4, mapped, v6, Ss.describe(after)).isEqualTo(after.size()).isEqualTo(2.0 * connections.size());
                assertQuantile(Double.parseDouble(quantile), after);
            }
            assertHistogramIsSs(exporter.scrape(), ss);
        }
    }

    /**
     * With the selection limited to these sockets, the exporter's histogram is exactly the one
     * built from ss's RTTs: each cumulative bucket, {@code _count} and {@code _sum}.
     */
    private static void assertHistogramIsSs(Exposition scrape, List<Ss.Sock> ss) {
        double[] rtts = ss.stream().mapToDouble(s -> s.rttMs().orElseThrow()).toArray();
        String context = "ss's RTTs (ms): " + Arrays.toString(rtts);
        Map<Double, Double> buckets = scrape.buckets("tcp_rtt_hist_ms");
        for (double bound : BOUNDS) {
            assertThat(buckets.get(bound)).as("bucket le=%s; %s", bound, context)
                    .isEqualTo((double) Arrays.stream(rtts).filter(r -> r <= bound).count());
        }
        assertThat(buckets.get(Double.POSITIVE_INFINITY)).as("bucket le=+Inf; %s", context).isEqualTo(rtts.length);
        assertThat(scrape.value("tcp_rtt_hist_ms_count")).as("_count; %s", context).isEqualTo(rtts.length);
        assertThat(scrape.value("tcp_rtt_hist_ms_sum")).as("_sum in ms; %s", context)
                .isCloseTo(Arrays.stream(rtts).sum(), within(1e-6 * rtts.length));
    }

    /** The quantile lies in the bucket of ss's 95th percentile, and is Prometheus's interpolation in it. */
    private static void assertQuantile(double quantile, List<Ss.Sock> ss) {
        double[] rtts = ss.stream().mapToDouble(s -> s.rttMs().orElseThrow()).sorted().toArray();
        int n = rtts.length;
        double rank = 0.95 * n;
        double p95 = rtts[(int) Math.ceil(rank) - 1];
        int b = 0;
        while (b < BOUNDS.length && BOUNDS[b] < p95) {
            b++;
        }
        assertThat(b).as("ss's 95th percentile RTT %s ms lies below the largest bound", p95).isLessThan(BOUNDS.length);
        double lower = b == 0 ? 0 : BOUNDS[b - 1];
        double upper = BOUNDS[b];
        String context = "histogram_quantile(0.95, tcp_rtt_hist_ms_bucket) = " + quantile + "; ss's RTTs (ms): "
                + Arrays.toString(rtts) + ", 95th percentile " + p95;
        assertThat(quantile).as("%s: within its bucket (%s, %s]", context, lower, upper).isBetween(lower, upper);
        long below = Arrays.stream(rtts).filter(r -> r <= lower).count();
        long upTo = Arrays.stream(rtts).filter(r -> r <= upper).count();
        double interpolated = lower + (upper - lower) * (rank - below) / (upTo - below);
        assertThat(quantile).as("%s: Prometheus's linear interpolation in that bucket", context)
                .isCloseTo(interpolated, within(1e-9 + 1e-6 * upper));
    }
}
