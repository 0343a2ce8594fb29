package dev.ssexporter.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssexporter.core.config.ExporterConfig;
import dev.ssexporter.core.config.MetricsConfig;
import dev.ssexporter.core.config.SelectionConfig;
import dev.ssexporter.core.folding.LabelFolding;
import dev.ssexporter.core.histogram.BucketBounds;
import dev.ssexporter.core.selection.TestSocket;
import dev.ssexporter.core.signals.SignalValues;
import dev.ssexporter.core.signals.TcpSignal;
import dev.ssexporter.netlink.DumpStats;
import dev.ssexporter.netlink.SocketRecord;
import dev.ssexporter.netlink.SocketSource;
import dev.ssexporter.netlink.TcpInfo;
import dev.ssexporter.netlink.TcpInfoField;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The opt-in signals go from each socket's tcp_info into its flow, folded as documented. */
class SocketStatsEngineSignalsTest {
    private static final BucketBounds BOUNDS = BucketBounds.of(1.0);

    @TempDir
    Path tmp;

    private static TcpInfo info(long rttMicros, long minRttMicros, long bytesAcked, long retransmits) {
        return TcpInfo.of(TcpInfoField.KNOWN_SIZE, f -> switch (f) {
            case RTT -> rttMicros;
            case MIN_RTT -> minRttMicros;
            case BYTES_ACKED -> bytesAcked;
            case RETRANSMITS -> retransmits;
            default -> 0;
        });
    }

    private Scrape collect(Set<TcpSignal> signals, List<SocketRecord> sockets) {
        MetricsConfig metrics = new MetricsConfig(false, BOUNDS, true, false, false, false, false, signals);
        SocketSource source = (query, sink) -> {
            sockets.forEach(sink);
            return new DumpStats(sockets.size(), 1, 0, false);
        };
        try (SocketStatsEngine engine = SocketStatsEngine.builder()
                .config(new ExporterConfig(metrics, LabelFolding.RAW_ENDPOINT, SelectionConfig.none()))
                .source(source).procRoot(tmp.resolve("no-proc")).build()) {
            return engine.collect();
        }
    }

    @Test
    void signalsAreFoldedPerFlowAndOffByDefault() {
        // Two sockets with one 4-tuple share a raw_endpoint label (as after a reconnect in TIME_WAIT reuse).
        SocketRecord a = TestSocket.of("10.0.0.1", 40000, "10.0.0.2", 443).inode(1)
                .info(info(2000, 1500, 1000, 1)).build();
        SocketRecord b = TestSocket.of("10.0.0.1", 40000, "10.0.0.2", 443).inode(2)
                .info(info(4000, 900, 24, 3)).build();
        SocketRecord old = TestSocket.of("10.0.0.1", 40001, "10.0.0.9", 22).inode(3)
                .info(TestSocket.shortInfo(100_000, 4)).build();

        Scrape scrape = collect(EnumSet.of(TcpSignal.MIN_RTT, TcpSignal.BYTES_ACKED, TcpSignal.RETRANSMITS),
                List.of(a, b, old));
        assertThat(scrape.flows()).hasSize(2);
        FlowSample shared = scrape.flows().get(0);
        assertThat(shared.sockets()).isEqualTo(2);
        assertThat(shared.rttMs()).isEqualTo(3.0);
        assertThat(shared.signals()).isEqualTo(SignalValues.of(Map.of(
                TcpSignal.MIN_RTT, 0.0009, TcpSignal.BYTES_ACKED, 1024.0, TcpSignal.RETRANSMITS, 3.0)));
        // A 104-byte tcp_info has tcpi_retransmits but neither min_rtt nor bytes_acked.
        assertThat(scrape.flows().get(1).signals()).isEqualTo(SignalValues.of(Map.of(TcpSignal.RETRANSMITS, 0.0)));

        Scrape off = collect(Set.of(), List.of(a, b, old));
        assertThat(off.flows()).extracting(FlowSample::signals).containsOnly(SignalValues.none());
    }
}
