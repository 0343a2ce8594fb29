package dev.ssexporter.exporter.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssexporter.core.config.ExporterConfig;
import dev.ssexporter.core.config.MetricsConfig;
import dev.ssexporter.core.config.SelectionConfig;
import dev.ssexporter.core.engine.FlowList;
import dev.ssexporter.core.engine.FlowSample;
import dev.ssexporter.core.engine.SocketStatsEngine;
import dev.ssexporter.core.folding.LabelFolding;
import dev.ssexporter.core.histogram.BucketBounds;
import dev.ssexporter.core.signals.TcpSignal;
import dev.ssexporter.netlink.AddressFamily;
import dev.ssexporter.netlink.DumpStats;
import dev.ssexporter.netlink.SocketRecord;
import dev.ssexporter.netlink.SocketSource;
import dev.ssexporter.netlink.TcpInfo;
import dev.ssexporter.netlink.TcpInfoField;
import dev.ssexporter.netlink.TcpState;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine's flows, which the writer and {@link FlowLabels} read from their columns, give the same
 * bytes as the same flows as plain {@link FlowSample}s, and as client_java's own writer.
 */
class EngineFlowsTextTest {
    private static final PrometheusTextFormatWriter CLIENT = PrometheusTextFormatWriter.create();

    @TempDir
    Path tmp;

    @Test
    void columnsAndSamplesWriteTheSameText() throws IOException {
        for (String netns : List.of("", "blue")) {
            List<FlowSample> flows = collect(netns);
            assertThat(flows).isInstanceOf(FlowList.class).hasSizeGreaterThan(100);
            List<FlowSample> plain = new ArrayList<>(flows);
            assertThat(ScrapeSnapshots.sortedFlows(plain)).as("already in client_java's order").isSameAs(plain);
            assertThat(FlowLabels.of(flows).bytes()).isEqualTo(FlowLabels.of(plain).bytes());
            for (Family f : ScrapeSnapshots.PER_FLOW) {
                String columns = streamed(f, flows);
                assertThat(columns).as("%s %s", netns, f).isEqualTo(streamed(f, plain));
                assertThat(columns).as("%s %s", netns, f).isEqualTo(client(f, plain));
            }
            ScrapeSnapshots.checkStreamable(flows, ScrapeSnapshots.PER_FLOW);
        }
    }

    private List<FlowSample> collect(String netns) throws IOException {
        Random random = new Random(3);
        List<SocketRecord> sockets = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            long rtt = random.nextInt(300_000);
            long cwnd = 1 + random.nextInt(50);
            long minRtt = random.nextInt(100_000);
            long retrans = random.nextInt(3);
            TcpInfo info = TcpInfo.of(TcpInfoField.KNOWN_SIZE, f -> switch (f) {
                case RTT -> rtt;
                case SND_CWND -> cwnd;
                case MIN_RTT -> minRtt;
                case TOTAL_RETRANS -> retrans;
                case DELIVERY_RATE -> rtt * 7;
                case DATA_SEGS_IN -> cwnd * 11;
                case DATA_SEGS_OUT -> cwnd * 13;
                default -> 0;
            });
            boolean v6 = i % 3 == 0;
            InetAddress local = InetAddress.ofLiteral(v6 ? "2001:db8::" + (i % 7) : "10.0.0." + (i % 7));
            InetAddress remote = InetAddress.ofLiteral(v6 ? "2001:db8:1::" + (i % 5) : "192.168.0." + (i % 5));
            sockets.add(new SocketRecord(v6 ? AddressFamily.INET6 : AddressFamily.INET, TcpState.ESTABLISHED,
                    local, 1000 + i % 150, remote, 443, 0, i + 1, i + 1, 0, 0, 0, 0, 0, 0, null, null, null, info));
        }
        SocketSource source = (query, sink) -> {
            sockets.forEach(sink);
            return new DumpStats(sockets.size(), 1, 0, false);
        };
        MetricsConfig metrics = new MetricsConfig(true, BucketBounds.of(1.0), true, true, true, true, true,
                EnumSet.allOf(TcpSignal.class));
        try (SocketStatsEngine engine = SocketStatsEngine.builder()
                .config(new ExporterConfig(metrics, LabelFolding.RAW_ENDPOINT, SelectionConfig.none()))
                .source(source).procRoot(tmp.resolve("no-proc")).netns(netns).build()) {
            return engine.collect().flows();
        }
    }

    private static String streamed(Family f, List<FlowSample> flows) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FlowTextWriter.of(ExpositionFormat.of(CLIENT).orElseThrow(), EscapingScheme.DEFAULT).write(out, f, flows);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String client(Family f, List<FlowSample> flows) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CLIENT.write(out, new MetricSnapshots(ScrapeSnapshots.flowFamily(f, flows)), EscapingScheme.DEFAULT);
        return out.toString(StandardCharsets.UTF_8);
    }
}
