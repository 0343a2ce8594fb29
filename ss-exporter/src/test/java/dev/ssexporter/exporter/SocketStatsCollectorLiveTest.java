package dev.ssexporter.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssexporter.netlink.SockDiagReader;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
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
}
