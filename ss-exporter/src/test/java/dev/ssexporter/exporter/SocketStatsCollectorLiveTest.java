package dev.ssexporter.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssexporter.core.config.ConfigLoader;
import dev.ssexporter.netlink.SockDiagReader;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The collector against the real kernel: a loopback connection opened here shows up in the scrape. */
class SocketStatsCollectorLiveTest {

    @Test
    void aLoopbackConnectionAppearsWithItsCongestionWindow() throws Exception {
        SockDiagReader.Availability availability = SockDiagReader.probe();
        assertThat(availability.available()).as("netlink sock_diag unavailable: %s", availability.unavailabilityCause()).isTrue();

        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        PrometheusRegistry registry = new PrometheusRegistry();
        try (var _ = SocketStatsCollector.builder().register(registry);
             ServerSocket server = new ServerSocket(0, 1, loopback);
             Socket client = new Socket()) {
            client.connect(new InetSocketAddress(loopback, server.getLocalPort()));
            try (Socket accepted = server.accept()) {
                client.getOutputStream().write("ping".getBytes());
                accepted.getInputStream().readNBytes(4);

                int p = client.getLocalPort();
                int q = server.getLocalPort();
                String exposition = Fixtures.text(registry);

                assertThat(exposition).contains("ss_exporter_scrape_success 1.0\n");
                for (String flow : new String[] {
                        "(SRC#127.0.0.1|" + p + ")(DST#127.0.0.1|" + q + ")",
                        "(SRC#127.0.0.1|" + q + ")(DST#127.0.0.1|" + p + ")"}) {
                    Matcher cwnd = Pattern.compile("^tcp_cwnd\\{flow=\"" + Pattern.quote(flow) + "\"} (\\S+)$",
                            Pattern.MULTILINE).matcher(exposition);
                    assertThat(cwnd.find()).as("tcp_cwnd of %s in%n%s", flow, exposition).isTrue();
                    assertThat(Double.parseDouble(cwnd.group(1))).as(flow).isGreaterThan(0);
                    assertThat(exposition).contains("tcp_rtt{flow=\"" + flow + "\"} ");
                }
                assertThat(exposition).containsPattern("(?m)^tcp_data_segs_out_total\\{flow=\"\\(SRC#127\\.0\\.0\\.1\\|"
                        + p + "\\)\\(DST#127\\.0\\.0\\.1\\|" + q + "\\)\"} [1-9]");
                Matcher seen = Pattern.compile("(?m)^ss_exporter_sockets_seen (\\S+)$").matcher(exposition);
                assertThat(seen.find()).isTrue();
                assertThat(Double.parseDouble(seen.group(1))).isGreaterThanOrEqualTo(2);
            }
        }
    }

    @Test
    void aTinyMaxFlowsKeepsTheFirstFlowsByLabelAndCountsTheRest() throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        try (ServerSocket server = new ServerSocket(0, 8, loopback)) {
            int q = server.getLocalPort();
            List<Socket> open = new ArrayList<>();
            try {
                List<String> labels = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    Socket client = new Socket();
                    open.add(client);
                    client.connect(new InetSocketAddress(loopback, q));
                    open.add(server.accept());
                    int p = client.getLocalPort();
                    labels.add("(SRC#127.0.0.1|" + p + ")(DST#127.0.0.1|" + q + ")");
                    labels.add("(SRC#127.0.0.1|" + q + ")(DST#127.0.0.1|" + p + ")");
                }
                var config = ConfigLoader.parse("logic: {selection: {portRanges: [{lower: " + q + "}]},"
                        + " limits: {max_flows: 2}}", "live-test");
                PrometheusRegistry registry = new PrometheusRegistry();
                try (var _ = SocketStatsCollector.builder().config(config).register(registry)) {
                    String first = Fixtures.text(registry);
                    String second = Fixtures.text(registry);

                    List<String> kept = labels.stream().sorted().limit(2).toList();
                    Matcher rtt = Pattern.compile("(?m)^tcp_rtt\\{flow=\"([^\"]+)\"}").matcher(first);
                    List<String> exported = new ArrayList<>();
                    while (rtt.find()) {
                        exported.add(rtt.group(1));
                    }
                    assertThat(exported).as("tcp_rtt series in%n%s", first).isEqualTo(kept);
                    assertThat(first).contains("ss_exporter_flows 2.0\n", "ss_exporter_sockets_selected 6.0\n",
                            "tcp_rtt_hist_ms_count 6\n", "ss_exporter_flows_dropped_total 4.0\n");
                    assertThat(second).contains("ss_exporter_flows_dropped_total 8.0\n")
                            .contains("tcp_rtt{flow=\"" + kept.get(0) + "\"}", "tcp_rtt{flow=\"" + kept.get(1) + "\"}");
                }
            } finally {
                for (Socket s : open) {
                    s.close();
                }
            }
        }
    }
}
