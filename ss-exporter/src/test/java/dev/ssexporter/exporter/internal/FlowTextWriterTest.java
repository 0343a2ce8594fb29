package dev.ssexporter.exporter.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ssexporter.core.engine.FlowSample;
import dev.ssexporter.core.signals.SignalValues;
import dev.ssexporter.core.signals.TcpSignal;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The streamed per-flow families are byte for byte what client_java writes for their snapshots. */
class FlowTextWriterTest {
    private static final PrometheusTextFormatWriter CLIENT = PrometheusTextFormatWriter.create();
    private static final ExpositionFormat TEXT = ExpositionFormat.of(CLIENT).orElseThrow();
    private static final ExpositionFormat OPENMETRICS = ExpositionFormat.of(OpenMetricsTextFormatWriter.create()).orElseThrow();

    @Test
    void twoFlowsAreWrittenExactlyAsClientJavaWritesThem() throws IOException {
        List<FlowSample> flows = List.of(
                new FlowSample("(SRC#192.168.10.58|39366)(DST#104.19.199.151|443)", 53.376, 10, 1_234_567, 120, 95, 1),
                new FlowSample("(SRC#2001:db8::5|50484)(DST#2001:db8:0:1::80|993)", 0.038, 20, 987_654, 4, 3, 1));
        assertThat(streamed(Family.TCP_DATA_SEGS_IN, flows, EscapingScheme.DEFAULT)).isEqualTo("""
                # HELP tcp_data_segs_in_total Data segments received on the TCP flow (tcpi_data_segs_in); summed over the sockets that share the flow label.
                # TYPE tcp_data_segs_in_total counter
                tcp_data_segs_in_total{flow="(SRC#192.168.10.58|39366)(DST#104.19.199.151|443)"} 120.0
                tcp_data_segs_in_total{flow="(SRC#2001:db8::5|50484)(DST#2001:db8:0:1::80|993)"} 4.0
                """);
        for (Family f : ScrapeSnapshots.PER_FLOW) {
            assertThat(streamed(f, flows, EscapingScheme.DEFAULT)).as(f.name()).isEqualTo(client(f, flows, EscapingScheme.DEFAULT));
        }
    }

    @Test
    void noFlowsWriteNothingAsClientJavaDoes() throws IOException {
        for (Family f : ScrapeSnapshots.PER_FLOW) {
            assertThat(streamed(f, List.of(), EscapingScheme.DEFAULT)).isEmpty();
            assertThat(client(f, List.of(), EscapingScheme.DEFAULT)).isEmpty();
        }
    }

    @Test
    void labelValuesAreEscapedAsClientJavaEscapesThem() throws IOException {
        List<FlowSample> flows = ScrapeSnapshots.sortedFlows(List.of(
                sample("back\\slash", 1), sample("quo\"te", 2), sample("new\nline", 3),
                sample("\\\"\n\\\\\"\"\n\n", 4), sample("caf\u00e9 \u65e5\u672c \ud83d\ude00", 5),
                sample("lone \ud800 surrogate", 6), sample("", 7), sample("ctl\t\r\u0000\u007f", 8)));
        for (Family f : ScrapeSnapshots.PER_FLOW) {
            assertThat(streamed(f, flows, EscapingScheme.DEFAULT)).as(f.name()).isEqualTo(client(f, flows, EscapingScheme.DEFAULT));
        }
        assertThat(streamed(Family.TCP_CWND, flows, EscapingScheme.DEFAULT))
                .contains("tcp_cwnd{flow=\"back\\\\slash\"} 1.0\n", "tcp_cwnd{flow=\"quo\\\"te\"} 2.0\n",
                        "tcp_cwnd{flow=\"new\\nline\"} 3.0\n");
    }

    @Test
    void extremeValuesAreFormattedAsClientJavaFormatsThem() throws IOException {
        long[] longs = {0, 1, -1, 9_999_999, 10_000_000, -9_999_999, -10_000_000, 123_456_789, Long.MAX_VALUE,
                Long.MIN_VALUE, (1L << 53) + 1, 4_294_967_295L};
        double[] doubles = {0.0, -0.0, 1.0, 0.038, 1.0E-4, 0.001, 0.0009999, 53.376, 9_999_999.0, 9_999_999.5,
                10_000_000.0, 1e300, -1e-300, Double.MIN_VALUE, Double.MAX_VALUE, Double.NaN,
                Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -5.0, 4_294_967.295};
        List<FlowSample> flows = new ArrayList<>();
        for (int i = 0; i < Math.max(longs.length, doubles.length); i++) {
            long v = longs[i % longs.length];
            flows.add(new FlowSample("f%03d".formatted(i), doubles[i % doubles.length], v, -v, Math.abs(v / 3),
                    (v ^ 0x5555) & Long.MAX_VALUE, 1));
        }
        for (Family f : ScrapeSnapshots.PER_FLOW) {
            for (ExpositionFormat format : List.of(TEXT, OPENMETRICS)) {
                assertThat(streamed(f, flows, EscapingScheme.DEFAULT, format)).as("%s %s", f, format)
                        .isEqualTo(client(f, flows, EscapingScheme.DEFAULT, format));
            }
        }
        assertThat(streamed(Family.TCP_RTT, flows, EscapingScheme.DEFAULT))
                .contains("{flow=\"f003\"} 0.038\n", "{flow=\"f004\"} 1.0E-4\n", "{flow=\"f001\"} -0.0\n",
                        "{flow=\"f016\"} +Inf\n", "{flow=\"f015\"} NaN\n");
    }

    /** Random flows, IPv4 and IPv6 labels, odd characters, random values; every escaping scheme, both formats. */
    @Test
    void randomFlowsMatchClientJavaForEveryEscapingScheme() throws IOException {
        Random random = new Random(20_251_125);
        for (int round = 0; round < 60; round++) {
            int n = random.nextInt(random.nextBoolean() ? 5 : 1500);
            Set<String> labels = new HashSet<>();
            List<FlowSample> flows = new ArrayList<>();
            while (flows.size() < n) {
                String label = randomLabel(random);
                if (labels.add(label)) {
                    flows.add(new FlowSample(label, randomDouble(random), randomLong(random), randomLong(random),
                            randomLong(random) & Long.MAX_VALUE, randomLong(random) & Long.MAX_VALUE,
                            1 + random.nextInt(4)));
                }
            }
            List<FlowSample> sorted = ScrapeSnapshots.sortedFlows(flows);
            EscapingScheme scheme = EscapingScheme.values()[random.nextInt(EscapingScheme.values().length)];
            for (Family f : ScrapeSnapshots.PER_FLOW) {
                for (ExpositionFormat format : List.of(TEXT, OPENMETRICS)) {
                    assertThat(streamed(f, sorted, scheme, format)).as("round %d, %s, %s, %s", round, f, scheme, format)
                            .isEqualTo(client(f, flows, scheme, format));
                }
            }
        }
    }

    /** Opt-in signal families: a flow without the signal has no line, a family without any has no text. */
    @Test
    void signalFamiliesSkipFlowsWithoutTheSignalAsClientJavaDoes() throws IOException {
        Random random = new Random(7);
        List<FlowSample> flows = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            Map<TcpSignal, Double> present = new EnumMap<>(TcpSignal.class);
            for (TcpSignal s : TcpSignal.values()) {
                if (s != TcpSignal.LOST && random.nextInt(3) > 0) {
                    present.put(s, switch (random.nextInt(3)) {
                        case 0 -> (double) random.nextInt(100);
                        case 1 -> random.nextInt(1_000_000) / 1e6;
                        default -> (double) random.nextLong(1L << 50);
                    });
                }
            }
            flows.add(new FlowSample("f%04d".formatted(i), 1, 1, 1, 1, 1, 1, SignalValues.of(present)));
        }
        for (Family f : ScrapeSnapshots.PER_FLOW) {
            for (ExpositionFormat format : List.of(TEXT, OPENMETRICS)) {
                assertThat(streamed(f, flows, EscapingScheme.DEFAULT, format)).as("%s %s", f, format)
                        .isEqualTo(client(f, flows, EscapingScheme.DEFAULT, format));
            }
        }
        assertThat(streamed(Family.TCP_LOST_SEGS, flows, EscapingScheme.DEFAULT)).as("no flow has tcpi_lost").isEmpty();
        assertThat(streamed(Family.TCP_LOST_SEGS, flows, EscapingScheme.DEFAULT, OPENMETRICS)).isEmpty();

        List<FlowSample> two = List.of(
                new FlowSample("a", 1, 1, 1, 1, 1, 1, SignalValues.of(Map.of(TcpSignal.MIN_RTT, 0.000012))),
                new FlowSample("b", 1, 1, 1, 1, 1, 1, SignalValues.of(Map.of(TcpSignal.BYTES_ACKED, 1024.0))));
        assertThat(streamed(Family.TCP_MIN_RTT_SECONDS, two, EscapingScheme.DEFAULT)).isEqualTo("""
                # HELP tcp_min_rtt_seconds Minimum round-trip time seen on the TCP flow, in seconds (tcpi_min_rtt); the smallest over the sockets that share the flow label.
                # TYPE tcp_min_rtt_seconds gauge
                tcp_min_rtt_seconds{flow="a"} 1.2E-5
                """);
        assertThat(streamed(Family.TCP_ACKED_BYTES, two, EscapingScheme.DEFAULT)).isEqualTo("""
                # HELP tcp_acked_bytes_total Bytes sent on the TCP flow and acknowledged by the peer (tcpi_bytes_acked); summed over the sockets that share the flow label.
                # TYPE tcp_acked_bytes_total counter
                tcp_acked_bytes_total{flow="b"} 1024.0
                """);
    }

    @Test
    void flowsWithANetnsLabelAreWrittenAsClientJavaWritesThem() throws IOException {
        // The same flow label in two namespaces is two series; client_java orders them by flow, then netns.
        List<FlowSample> flows = ScrapeSnapshots.sortedFlows(List.of(
                new FlowSample("(SRC#127.0.0.1|8080)(DST#127.0.0.1|40000)", 0.05, 10, 1, 2, 3, 1, "net:[4026532500]"),
                new FlowSample("(SRC#127.0.0.1|8080)(DST#127.0.0.1|40000)", 0.07, 11, 1, 2, 3, 1, "blue"),
                new FlowSample("(SRC#127.0.0.1|40000)(DST#127.0.0.1|8080)", 0.06, 12, 1, 2, 3, 1, "quo\"te\n")));
        assertThat(flows).extracting(FlowSample::netns).containsExactly("quo\"te\n", "blue", "net:[4026532500]");
        for (EscapingScheme scheme : EscapingScheme.values()) {
            for (Family f : ScrapeSnapshots.PER_FLOW) {
                assertThat(streamed(f, flows, scheme)).as(f.name() + " " + scheme).isEqualTo(client(f, flows, scheme));
            }
        }
        assertThat(streamed(Family.TCP_CWND, flows, EscapingScheme.DEFAULT)).contains(
                "tcp_cwnd{flow=\"(SRC#127.0.0.1|8080)(DST#127.0.0.1|40000)\",netns=\"blue\"} 11.0\n");
        assertThatThrownBy(() -> ScrapeSnapshots.sortedFlows(List.of(flows.get(1), flows.get(1))))
                .hasMessage("two flows have the same label");
    }

    /** OpenMetrics: TYPE before HELP, a counter's family named without {@code _total}, its samples with it. */
    @Test
    void openMetricsFamiliesAreWrittenAsClientJavaWritesThem() throws IOException {
        List<FlowSample> flows = List.of(sample("a", 3), sample("quo\"te", 4));
        for (Family f : ScrapeSnapshots.PER_FLOW) {
            assertThat(streamed(f, flows, EscapingScheme.DEFAULT, OPENMETRICS)).as(f.name())
                    .isEqualTo(client(f, flows, EscapingScheme.DEFAULT, OPENMETRICS));
        }
        assertThat(streamed(Family.TCP_DATA_SEGS_IN, flows, EscapingScheme.DEFAULT, OPENMETRICS)).isEqualTo("""
                # TYPE tcp_data_segs_in counter
                # HELP tcp_data_segs_in Data segments received on the TCP flow (tcpi_data_segs_in); summed over the sockets that share the flow label.
                tcp_data_segs_in_total{flow="a"} 3.0
                tcp_data_segs_in_total{flow="quo\\"te"} 4.0
                """);
    }

    @Test
    void sortedFlowsKeepsASortedListAndRejectsDuplicates() {
        List<FlowSample> sorted = List.of(sample("a", 1), sample("b", 2));
        assertThat(ScrapeSnapshots.sortedFlows(sorted)).isSameAs(sorted);
        assertThat(ScrapeSnapshots.sortedFlows(List.of(sample("b", 2), sample("a", 1))))
                .extracting(FlowSample::flow).containsExactly("a", "b");
        assertThatThrownBy(() -> ScrapeSnapshots.sortedFlows(List.of(sample("b", 2), sample("a", 1), sample("b", 3))))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("two flows have the same label");
    }

    @Test
    void onlyPerFlowFamiliesCanBeStreamed() {
        FlowTextWriter writer = FlowTextWriter.of(TEXT, EscapingScheme.DEFAULT);
        assertThatThrownBy(() -> writer.write(new ByteArrayOutputStream(), Family.FLOWS, List.of(sample("a", 1))))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("FLOWS is not a per-flow family");
    }

    @Test
    void labelsEncodedOnceServeEveryFamily() throws IOException {
        List<FlowSample> flows = List.of(sample("a\"b", 1), sample("caf\u00e9", 2));
        FlowLabels labels = FlowLabels.of(flows);
        assertThat(new String(labels.label(0), StandardCharsets.UTF_8)).isEqualTo("flow=\"a\\\"b\"");
        assertThat(labels.label(1)).isEqualTo("flow=\"caf\u00e9\"".getBytes(StandardCharsets.UTF_8));
        FlowTextWriter writer = FlowTextWriter.of(TEXT, EscapingScheme.DEFAULT);
        for (Family f : ScrapeSnapshots.PER_FLOW) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            writer.write(out, f, flows, labels);
            assertThat(out.toString(StandardCharsets.UTF_8)).as(f.name()).isEqualTo(client(f, flows, EscapingScheme.DEFAULT));
        }
        assertThatThrownBy(() -> writer.write(new ByteArrayOutputStream(), Family.TCP_RTT, flows.subList(0, 1), labels))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("2 label sets for 1 flows");
    }

    @Test
    void streamableFlowsSortAndEncodeOnceForEveryCaller() {
        StreamableFlows streamable = new StreamableFlows(List.of(sample("b", 2), sample("a", 1)));
        StreamableFlows.Prepared first = streamable.get();
        assertThat(first.flows()).extracting(FlowSample::flow).containsExactly("a", "b");
        assertThat(new String(first.labels().label(0), StandardCharsets.US_ASCII)).isEqualTo("flow=\"a\"");
        assertThat(streamable.get()).isSameAs(first);
        StreamableFlows duplicates = new StreamableFlows(List.of(sample("a", 2), sample("a", 1)));
        assertThatThrownBy(duplicates::get).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("two flows have the same label");
    }

    private static FlowSample sample(String flow, long cwnd) {
        return new FlowSample(flow, cwnd / 7.0, cwnd, cwnd, cwnd, cwnd, 1);
    }

    static String randomLabel(Random r) {
        StringBuilder sb = new StringBuilder();
        switch (r.nextInt(4)) {
            case 0 -> sb.append("(SRC#10.%d.%d.%d|%d)(DST#192.0.2.%d|443)".formatted(r.nextInt(256), r.nextInt(256),
                    r.nextInt(256), r.nextInt(65536), r.nextInt(256)));
            case 1 -> sb.append("(SRC#2001:db8::%x|%d)(DST#[::ffff:%d.0.0.1]|%d)".formatted(r.nextInt(65536),
                    r.nextInt(65536), r.nextInt(256), r.nextInt(65536)));
            case 2 -> sb.append("(PID#%d|java)(DST#fe80::1%%eth0|%d)".formatted(r.nextInt(1 << 22), r.nextInt(65536)));
            default -> {
                String alphabet = "ab\\\"\n{}=,#|:% \u00e9\u65e5\ud83d\ude00\t";
                // Now and then longer than half the 64 KiB buffer, which takes another path.
                int len = r.nextInt(500) == 0 ? 33_000 : r.nextInt(60);
                for (int i = 0; i < len; i++) {
                    sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
                }
            }
        }
        return sb.toString();
    }

    static long randomLong(Random r) {
        return switch (r.nextInt(5)) {
            case 0 -> r.nextInt(100);
            case 1 -> r.nextLong(20_000_000) - 5_000_000;
            case 2 -> r.nextLong();
            case 3 -> 10_000_000L * (r.nextInt(3) - 1) + r.nextInt(3) - 1;
            default -> r.nextLong(1L << 40);
        };
    }

    static double randomDouble(Random r) {
        return switch (r.nextInt(5)) {
            case 0 -> r.nextInt(10_000_000) / 1000.0;
            case 1 -> r.nextDouble();
            case 2 -> Double.longBitsToDouble(r.nextLong());
            case 3 -> r.nextInt(20_000) - 10_000;
            default -> r.nextDouble() * 1e-3;
        };
    }

    private static String streamed(Family f, List<FlowSample> flows, EscapingScheme scheme) throws IOException {
        return streamed(f, flows, scheme, TEXT);
    }

    private static String streamed(Family f, List<FlowSample> flows, EscapingScheme scheme, ExpositionFormat format)
            throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FlowTextWriter.of(format, scheme).write(out, f, flows);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String client(Family f, List<FlowSample> flows, EscapingScheme scheme) throws IOException {
        return client(f, flows, scheme, TEXT);
    }

    /** What client_java writes for the family's snapshot in {@code format}, without OpenMetrics' {@code # EOF}. */
    private static String client(Family f, List<FlowSample> flows, EscapingScheme scheme, ExpositionFormat format)
            throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!flows.isEmpty()) {
            format.writer().write(out, new MetricSnapshots(ScrapeSnapshots.flowFamily(f, flows)), scheme);
        }
        String text = out.toString(StandardCharsets.UTF_8);
        if (format == OPENMETRICS && !text.isEmpty()) {
            assertThat(text).endsWith("# EOF\n");
            text = text.substring(0, text.length() - "# EOF\n".length());
        }
        return text;
    }
}
