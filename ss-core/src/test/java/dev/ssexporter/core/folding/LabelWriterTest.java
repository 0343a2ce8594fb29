package dev.ssexporter.core.folding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ssexporter.core.process.ProcessTable;
import dev.ssexporter.core.selection.TestSocket;
import dev.ssexporter.netlink.AddressFamily;
import dev.ssexporter.netlink.SocketRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The byte labels are exactly {@link FlowLabeler#label}'s text, one after the other in one buffer. */
class LabelWriterTest {
    private static final ProcessTable PROCS = ProcessTable.builder()
            .process(20005, "firefox", "firefox").socket(11, 20005)
            .process(1, "init", "systemd").process(20, "nginx", "nginx").process(300, "nginx", "nginx")
            .socket(44, 300).socket(44, 1).socket(44, 20)
            .build();

    @Test
    void writesWhatFlowLabelerReturnsForEveryShapeOfSocket() {
        List<SocketRecord> sockets = new ArrayList<>(List.of(
                TestSocket.of("192.168.10.58", 39366, "104.19.199.151", 443).inode(11).build(),
                TestSocket.of("0.0.0.0", 0, "255.255.255.255", 65535).inode(44).build(),
                TestSocket.of("2001:db8:0:0:0:0:0:5", 40300, "2001:DB8:1::9", 443).build(),
                TestSocket.of("::", 9, "::1", 10).inode(11).build(),
                TestSocket.of("::ffff:10.0.0.5", 8080, "::ffff:10.0.0.6", 40000).family(AddressFamily.INET6).build(),
                TestSocket.of("10.0.0.5", 8080, "10.0.0.6", 40000).inode(999).build()));
        Random random = new Random(7);
        for (int i = 0; i < 3_000; i++) {
            // Many addresses, so that cache slots are shared and replaced.
            String local = "10." + random.nextInt(4) + "." + random.nextInt(256) + "." + random.nextInt(256);
            String remote = i % 3 == 0 ? "2001:db8::" + Integer.toHexString(random.nextInt(65536))
                    : "172.16." + random.nextInt(256) + "." + random.nextInt(256);
            sockets.add(TestSocket.of(local, random.nextInt(65536), remote, random.nextInt(65536))
                    .family(i % 3 == 0 ? AddressFamily.INET6 : AddressFamily.INET)
                    .inode(i % 5 == 0 ? 44 : 11).build());
        }
        for (LabelFolding folding : LabelFolding.values()) {
            FlowLabeler labeler = FlowLabeler.of(folding);
            LabelWriter writer = labeler.writer();
            LabelBuffer buffer = new LabelBuffer(4);
            int[] ends = new int[sockets.size()];
            for (int i = 0; i < sockets.size(); i++) {
                writer.write(sockets.get(i), PROCS, buffer);
                ends[i] = buffer.size();
            }
            for (int i = 0; i < sockets.size(); i++) {
                assertThat(buffer.text(i == 0 ? 0 : ends[i - 1], ends[i])).as("%s %s", folding, sockets.get(i))
                        .isEqualTo(labeler.label(sockets.get(i), PROCS));
            }
        }
    }

    @Test
    void pidCondensedWithAndWithoutOwners() {
        LabelWriter writer = FlowLabeler.of(LabelFolding.PID_CONDENSED).writer();
        LabelBuffer buffer = new LabelBuffer(0);
        writer.write(TestSocket.of("0.0.0.0", 80, "10.0.0.9", 5000).inode(44).build(), PROCS, buffer);
        assertThat(buffer.text(0, buffer.size())).isEqualTo("(1,20,300)(DST#10.0.0.9|5000)");
        buffer.truncate(0);
        writer.write(TestSocket.of("10.0.0.5", 8080, "10.0.0.6", 40000).build(), PROCS, buffer);
        assertThat(buffer.text(0, buffer.size())).isEqualTo("(SRC#10.0.0.5|8080)(DST#10.0.0.6|40000)");
    }

    @Test
    void bufferTruncatesAndRefusesWhatIsNoLabel() {
        LabelBuffer buffer = new LabelBuffer(2);
        buffer.putAscii("abc");
        buffer.putDecimal(0);
        buffer.putDecimal(65535);
        buffer.putDecimal(Integer.MAX_VALUE);
        assertThat(buffer.text(0, buffer.size())).isEqualTo("abc0655352147483647");
        buffer.truncate(3);
        assertThat(buffer.size()).isEqualTo(3);
        assertThatThrownBy(() -> buffer.truncate(4)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> buffer.putAscii("caf\u00e9")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("U+e9");
        for (String escaped : List.of("a\"b", "a\\b", "a\nb")) {
            assertThatThrownBy(() -> buffer.putAscii(escaped)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> buffer.putDecimal(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LabelBuffer(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
