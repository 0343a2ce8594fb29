package dev.ssexporter.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssexporter.core.engine.SocketStatsEngine;
import dev.ssexporter.netlink.DumpQuery;
import dev.ssexporter.netlink.DumpStats;
import dev.ssexporter.netlink.ErrnoException;
import dev.ssexporter.netlink.SockDiagReader;
import dev.ssexporter.netlink.SocketRecord;
import dev.ssexporter.netlink.SocketSource;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kernel faults seen from {@code /metrics}: the engine over the real kernel reader, with a fault
 * injected into chosen dumps. A failed dump must export {@code ss_exporter_scrape_success 0}, count
 * in {@code ss_exporter_netlink_errors_total} and export no flow series at all, although part of
 * the sockets had reached the engine before the failure; an interrupted dump is exported and
 * counted; and the scrape after a failure is complete again.
 */
class KernelFaultsCollectorTest {

    @TempDir
    Path tmp;

    /** What the next dump does besides reading the kernel. */
    private enum Fault { NONE, ENOBUFS_HALFWAY, ERROR_REPLY_HALFWAY, INTERRUPTED }

    /** The real reader; a fault, when set, strikes after half of the sockets reached the sink. */
    private static final class FaultInjector implements SocketSource {
        private final SockDiagReader reader;
        volatile Fault next = Fault.NONE;

        FaultInjector(SockDiagReader reader) {
            this.reader = reader;
        }

        @Override
        public DumpStats dump(DumpQuery query, Consumer<? super SocketRecord> sink) throws IOException {
            Fault fault = next;
            next = Fault.NONE;
            List<SocketRecord> all = new ArrayList<>();
            DumpStats stats = reader.dump(query, all::add);
            if (fault == Fault.NONE || fault == Fault.INTERRUPTED) {
                all.forEach(sink);
                return fault == Fault.NONE ? stats
                        : new DumpStats(stats.sockets(), stats.messages(), stats.bytes(), true);
            }
            all.subList(0, all.size() / 2 + 1).forEach(sink);
            throw fault == Fault.ENOBUFS_HALFWAY
                    ? new ErrnoException("recvmsg(fd=7, NETLINK_SOCK_DIAG)", 105)
                    : new ErrnoException("SOCK_DIAG_BY_FAMILY dump (AF_INET)", 12);
        }
    }

    @Test
    void aFailedDumpExportsNoFlowsAndTheNextScrapeRecovers() throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        PrometheusRegistry registry = new PrometheusRegistry();
        try (SockDiagReader reader = SockDiagReader.open();
             ServerSocket server = new ServerSocket(0, 1, loopback);
             Socket client = new Socket()) {
            client.connect(new InetSocketAddress(loopback, server.getLocalPort()));
            try (Socket accepted = server.accept()) {
                client.getOutputStream().write("ping".getBytes());
                accepted.getInputStream().readNBytes(4);
                String flow = "tcp_rtt{flow=\"(SRC#127.0.0.1|" + client.getLocalPort() + ")(DST#127.0.0.1|"
                        + server.getLocalPort() + ")\"} ";
                FaultInjector faults = new FaultInjector(reader);
                SocketStatsEngine engine = SocketStatsEngine.builder().config(Fixtures.config(Fixtures.allMetrics()))
                        .source(faults).procRoot(tmp).build();
                try (var _ = Fixtures.collector(Fixtures.allMetrics(), engine::collect).register(registry)) {
                    faults.next = Fault.ENOBUFS_HALFWAY;
                    assertFailed(Fixtures.text(registry), 1, 0);

                    String recovered = Fixtures.text(registry);
                    assertThat(recovered).contains("ss_exporter_scrape_success 1.0\n",
                            "ss_exporter_netlink_errors_total 1.0\n", flow);
                    assertThat(recovered).containsPattern("(?m)^ss_exporter_sockets_seen [1-9]");

                    faults.next = Fault.INTERRUPTED;
                    String interrupted = Fixtures.text(registry);
                    assertThat(interrupted).as("an interrupted dump is used, and counted").contains(
                            "ss_exporter_scrape_success 1.0\n", "ss_exporter_dump_interruptions_total 1.0\n", flow);

                    faults.next = Fault.ERROR_REPLY_HALFWAY;
                    assertFailed(Fixtures.text(registry), 2, 1);

                    assertThat(Fixtures.text(registry)).contains("ss_exporter_scrape_success 1.0\n",
                            "ss_exporter_netlink_errors_total 2.0\n", "ss_exporter_dump_interruptions_total 1.0\n",
                            flow);
                }
            }
        }
    }

    /** Success 0, the totals, and not one flow, histogram or socket-count sample. */
    private static void assertFailed(String exposition, int errors, int interruptions) {
        assertThat(exposition).contains("ss_exporter_scrape_success 0.0\n",
                "ss_exporter_netlink_errors_total " + errors + ".0\n",
                "ss_exporter_dump_interruptions_total " + interruptions + ".0\n");
        assertThat(exposition.lines().filter(l -> !l.startsWith("#")))
                .as("samples of a failed scrape")
                .noneMatch(l -> l.startsWith("tcp_"))
                .noneMatch(l -> l.startsWith("ss_exporter_sockets_"))
                .noneMatch(l -> l.startsWith("ss_exporter_flows "));
    }
}
