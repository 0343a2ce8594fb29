package dev.ssexporter.netlink.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssexporter.netlink.AddressFamily;
import dev.ssexporter.netlink.DumpStats;
import dev.ssexporter.netlink.SocketRecord;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The dump loop against the real kernel, below the public reader. */
class InetDiagDumperTest {

    @Test
    void anEmptyStateMaskDumpsNothingButTheEnd() throws Exception {
        try (InetDiagDumper dumper = InetDiagDumper.open()) {
            for (AddressFamily family : AddressFamily.values()) {
                List<SocketRecord> got = new ArrayList<>();
                DumpStats stats = dumper.dump(family, 0, RequestEncoder.ALL_EXTENSIONS, got::add);
                assertThat(got).as("%s", family).isEmpty();
                // one NLMSG_DONE: 16-byte header and a 4-byte status
                assertThat(stats).as("%s", family).isEqualTo(new DumpStats(0, 1, 20, false));
            }
            assertThat(dumper.skippedMessages()).isZero();
        }
    }

    @Test
    void theSocketLearnsItsPortId() throws Exception {
        try (NetlinkSocket a = NetlinkSocket.open(); NetlinkSocket b = NetlinkSocket.open()) {
            assertThat(a.portId()).isNotZero();
            assertThat(b.portId()).isNotZero().isNotEqualTo(a.portId());
            assertThat(a.fd()).isNotEqualTo(b.fd());
        }
    }
}
