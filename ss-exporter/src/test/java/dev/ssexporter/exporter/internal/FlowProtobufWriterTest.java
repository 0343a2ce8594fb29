package dev.ssexporter.exporter.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ssexporter.core.engine.FlowSample;
import dev.ssexporter.core.signals.SignalValues;
import dev.ssexporter.core.signals.TcpSignal;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusProtobufWriter;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The streamed per-flow families are byte for byte what client_java's protobuf writer writes for their snapshots. */
class FlowProtobufWriterTest {
    private static final ExpositionFormat PROTOBUF = ExpositionFormat.of(new PrometheusProtobufWriter()).orElseThrow();

    private static byte[] streamed(Family f, List<FlowSample> flows, EscapingScheme scheme) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PROTOBUF.flowWriter(scheme).write(out, f, flows, FlowLabels.of(flows));
        return out.toByteArray();
    }

    private static byte[] client(Family f, List<FlowSample> flows, EscapingScheme scheme) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!flows.isEmpty()) {
            PROTOBUF.writer().write(out, new MetricSnapshots(ScrapeSnapshots.flowFamily(f, flows)), scheme);
        }
        return out.toByteArray();
    }

    private static void assertSame(Family f, List<FlowSample> flows, EscapingScheme scheme) throws IOException {
        assertThat(HexFormat.of().formatHex(streamed(f, flows, scheme))).as("%s %s, %d flows", f, scheme, flows.size())
                .isEqualTo(HexFormat.of().formatHex(client(f, flows, scheme)));
    }

    @Test
    void aGaugeAndACounterOfOneFlowAreClientJavasMessage() throws IOException {
        List<FlowSample> one = List.of(new FlowSample("(SRC#1.2.3.4|5)(DST#6.7.8.9|10)", 12.5, 10, 1000, 7, 9, 1));
        byte[] rtt = streamed(Family.TCP_RTT, one, EscapingScheme.DEFAULT);
        String hex = HexFormat.of().formatHex(rtt);
        assertThat(hex).startsWith("bc01" + "0a07" + HexFormat.of().formatHex("tcp_rtt".getBytes()))
                // metric: its flow label pair, then the gauge holding 12.5
                .endsWith("2234" + "0a27" + "0a04" + HexFormat.of().formatHex("flow".getBytes()) + "121f"
                        + HexFormat.of().formatHex("(SRC#1.2.3.4|5)(DST#6.7.8.9|10)".getBytes())
                        + "1209" + "09" + "0000000000002940");
        for (Family f : ScrapeSnapshots.PER_FLOW) {
            assertSame(f, one, EscapingScheme.DEFAULT);
        }
    }

    /** Random flows, labels of any length (some longer than the 64 KiB buffer), with and without netns. */
    @Test
    void randomFlowsMatchClientJavaForEveryEscapingScheme() throws IOException {
        Random random = new Random(20_261_126);
        for (int round = 0; round < 40; round++) {
            int n = random.nextInt(random.nextBoolean() ? 5 : 1500);
            String netns = random.nextInt(3) == 0 ? "net:[" + random.nextInt(1 << 30) + "]" : "";
            Set<String> labels = new HashSet<>();
            List<FlowSample> flows = new ArrayList<>();
            while (flows.size() < n) {
                String label = random.nextInt(300) == 0 ? "x".repeat(70_000 + random.nextInt(200))
                        : FlowTextWriterTest.randomLabel(random);
                if (labels.add(label)) {
                    flows.add(new FlowSample(label, FlowTextWriterTest.randomDouble(random),
                            FlowTextWriterTest.randomLong(random), FlowTextWriterTest.randomLong(random),
                            FlowTextWriterTest.randomLong(random) & Long.MAX_VALUE,
                            FlowTextWriterTest.randomLong(random) & Long.MAX_VALUE, 1 + random.nextInt(4), netns));
                }
            }
            List<FlowSample> sorted = ScrapeSnapshots.sortedFlows(flows);
            EscapingScheme scheme = EscapingScheme.values()[random.nextInt(EscapingScheme.values().length)];
            for (Family f : ScrapeSnapshots.PER_FLOW) {
                assertSame(f, sorted, scheme);
            }
        }
    }

    @Test
    void signalFamiliesSkipFlowsWithoutTheSignalAndEmptyFamiliesAreNotWritten() throws IOException {
        Random random = new Random(11);
        List<FlowSample> flows = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            Map<TcpSignal, Double> present = new EnumMap<>(TcpSignal.class);
            for (TcpSignal s : TcpSignal.values()) {
                if (s != TcpSignal.LOST && random.nextInt(3) > 0) {
                    present.put(s, (double) random.nextInt(100_000));
                }
            }
            flows.add(new FlowSample("f%04d".formatted(i), 1, 1, 1, 1, 1, 1, SignalValues.of(present)));
        }
        for (Family f : ScrapeSnapshots.PER_FLOW) {
            assertSame(f, flows, EscapingScheme.DEFAULT);
        }
        assertThat(streamed(Family.TCP_LOST_SEGS, flows, EscapingScheme.DEFAULT)).as("no flow has tcpi_lost").isEmpty();
        assertThat(streamed(Family.TCP_RTT, List.of(), EscapingScheme.DEFAULT)).isEmpty();
    }

    /** Flows of several namespaces in one list, as a scrape of several namespaces merges them. */
    @Test
    void eachFlowCarriesItsOwnNetnsLabel() throws IOException {
        List<FlowSample> flows = ScrapeSnapshots.sortedFlows(List.of(
                new FlowSample("(SRC#127.0.0.1|8080)(DST#127.0.0.1|40000)", 0.05, 10, 1, 2, 3, 1, "net:[4026532500]"),
                new FlowSample("(SRC#127.0.0.1|8080)(DST#127.0.0.1|40000)", 0.07, 11, 1, 2, 3, 1, "blue"),
                new FlowSample("(SRC#127.0.0.1|40000)(DST#127.0.0.1|8080)", 0.06, 12, 1, 2, 3, 1, "quo\"te\n"),
                new FlowSample("(SRC#127.0.0.1|40001)(DST#127.0.0.1|8080)", 0.06, 12, 1, 2, 3, 1, "blue")));
        for (EscapingScheme scheme : EscapingScheme.values()) {
            for (Family f : ScrapeSnapshots.PER_FLOW) {
                assertSame(f, flows, scheme);
            }
        }
    }

    @Test
    void onlyPerFlowFamiliesCanBeStreamed() {
        assertThatThrownBy(() -> streamed(Family.FLOWS, List.of(new FlowSample("a", 1, 1, 1, 1, 1, 1)),
                EscapingScheme.DEFAULT)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("FLOWS is not a per-flow family");
    }

    @Test
    void varintsAreProtobufsBase128() {
        byte[] buf = new byte[10];
        for (long v : new long[] {0, 1, 127, 128, 300, 16_383, 16_384, (1L << 35) + 5, Long.MAX_VALUE}) {
            int n = FlowProtobufWriter.putVarint(buf, 0, v);
            assertThat(n).as("size of %d", v).isEqualTo(FlowProtobufWriter.varintSize(v));
            long back = 0;
            for (int i = 0; i < n; i++) {
                back |= (long) (buf[i] & 0x7F) << (7 * i);
                assertThat(buf[i] < 0).as("continuation bit of byte %d of %d", i, v).isEqualTo(i < n - 1);
            }
            assertThat(back).isEqualTo(v);
        }
        assertThat(FlowProtobufWriter.putVarint(buf, 0, 300)).isEqualTo(2);
        assertThat(buf[0]).isEqualTo((byte) 0xAC);
        assertThat(buf[1]).isEqualTo((byte) 0x02);
    }
}
