package dev.ssexporter.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ssexporter.core.folding.FlowLabeler;
import dev.ssexporter.core.folding.LabelFolding;
import dev.ssexporter.core.histogram.BucketBounds;
import dev.ssexporter.core.histogram.RttHistogramAccumulator;
import dev.ssexporter.core.process.ProcessTable;
import dev.ssexporter.core.selection.TestSocket;
import dev.ssexporter.core.signals.TcpSignal;
import dev.ssexporter.netlink.AddressFamily;
import dev.ssexporter.netlink.SocketRecord;
import dev.ssexporter.netlink.TcpInfo;
import dev.ssexporter.netlink.TcpInfoField;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The column table folds and orders exactly as a map from label string to running sums would. */
class FlowTableTest {
    private static final ProcessTable PROCS = ProcessTable.builder()
            .process(300, "nginx", "nginx").socket(7, 300).socket(8, 300)
            .build();

    /** What one flow should end up as, folded the plain way. */
    private static final class Expected {
        double rttSum;
        long cwnd;
        long rate;
        long in;
        long out;
        int sockets;
    }

    @Test
    void foldsLikeAMapOfLabelsWhileGrowingFromNothing() {
        Random random = new Random(42);
        List<SocketRecord> sockets = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            // Few enough ports that many sockets share a label, and enough that the table rehashes.
            String local = "10.0." + random.nextInt(8) + "." + random.nextInt(4);
            String remote = i % 4 == 0 ? "2001:db8::" + random.nextInt(3) : "192.168.1." + random.nextInt(3);
            TcpInfo info = TestSocket.fullInfo(random.nextInt(400_000), 1 + random.nextInt(100),
                    random.nextInt(1_000_000), random.nextInt(5000), random.nextInt(5000));
            sockets.add(TestSocket.of(local, 1000 + random.nextInt(300), remote, 443 + random.nextInt(2))
                    .family(i % 4 == 0 ? AddressFamily.INET6
                            : AddressFamily.INET)
                    .inode(i % 10 == 0 ? 7 : 0).info(info).build());
        }
        for (LabelFolding folding : LabelFolding.values()) {
            FlowLabeler labeler = FlowLabeler.of(folding);
            FlowTable table = new FlowTable(labeler.writer(), EnumSet.noneOf(TcpSignal.class), 0);
            Map<String, Expected> expected = new TreeMap<>();
            for (SocketRecord s : sockets) {
                TcpInfo info = s.tcpInfo();
                double rttMs = info.get(TcpInfoField.RTT) / 1000.0;
                table.add(s, PROCS, rttMs, info);
                Expected e = expected.computeIfAbsent(labeler.label(s, PROCS), k -> new Expected());
                e.rttSum += rttMs;
                e.cwnd += info.get(TcpInfoField.SND_CWND);
                e.rate += info.get(TcpInfoField.DELIVERY_RATE);
                e.in += info.get(TcpInfoField.DATA_SEGS_IN);
                e.out += info.get(TcpInfoField.DATA_SEGS_OUT);
                e.sockets++;
            }
            assertThat(table.size()).as(folding.name()).isEqualTo(expected.size()).isGreaterThan(1000);
            FlowList flows = table.finish("blue");
            assertThat(flows).hasSize(expected.size());
            int i = 0;
            for (Map.Entry<String, Expected> entry : expected.entrySet()) {
                Expected e = entry.getValue();
                FlowSample want = new FlowSample(entry.getKey(), e.rttSum / e.sockets, e.cwnd, e.rate, e.in, e.out,
                        e.sockets, "blue");
                assertThat(flows.get(i)).as("%s flow %d", folding, i).isEqualTo(want);
                assertThat(flows.flow(i)).isEqualTo(entry.getKey());
                assertThat(flows.flowLength(i)).isEqualTo(entry.getKey().length());
                i++;
            }
        }
    }

    @Test
    void columnsHeadAndCopies() {
        FlowTable table = new FlowTable(FlowLabeler.of(LabelFolding.RAW_ENDPOINT).writer(),
                EnumSet.noneOf(TcpSignal.class), 4);
        for (String peer : List.of("10.0.0.3", "10.0.0.1", "10.0.0.2")) {
            SocketRecord s = TestSocket.of("10.0.0.9", 22, peer, 5000).rtt(2000, 10).build();
            table.add(s, PROCS, 2.0, s.tcpInfo());
        }
        FlowList flows = table.finish("");
        assertThat(flows).extracting(FlowSample::flow).containsExactly(
                "(SRC#10.0.0.9|22)(DST#10.0.0.1|5000)", "(SRC#10.0.0.9|22)(DST#10.0.0.2|5000)",
                "(SRC#10.0.0.9|22)(DST#10.0.0.3|5000)");
        assertThat(flows.rttMs(1)).isEqualTo(2.0);
        assertThat(flows.cwnd(1)).isEqualTo(10);
        assertThat(flows.sockets(1)).isEqualTo(1);
        assertThat(flows.netns()).isEmpty();
        byte[] dst = new byte[40];
        int end = flows.copyFlow(2, dst, 3);
        assertThat(new String(dst, 3, end - 3, java.nio.charset.StandardCharsets.US_ASCII))
                .isEqualTo("(SRC#10.0.0.9|22)(DST#10.0.0.3|5000)");
        FlowList head = flows.head(2);
        assertThat(head).containsExactlyElementsOf(flows.subList(0, 2));
        assertThatThrownBy(() -> head.get(2)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> head.rttMs(2)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> flows.add(flows.get(0))).isInstanceOf(UnsupportedOperationException.class);
        ScrapeStats stats = new ScrapeStats(true, null, 0.25, 3, 3, 3, false, 0, 0, 0, 0);
        assertThat(new Scrape(flows, RttHistogramAccumulator.empty(BucketBounds.of(1.0)), stats).flows())
                .as("the scrape keeps the engine's list as it is").isSameAs(flows);
        assertThat(FlowTable.empty("")).isEmpty();
    }
}
