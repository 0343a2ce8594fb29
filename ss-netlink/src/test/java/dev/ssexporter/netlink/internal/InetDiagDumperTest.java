package dev.ssexporter.netlink.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ssexporter.netlink.AddressFamily;
import dev.ssexporter.netlink.DumpStats;
import dev.ssexporter.netlink.ErrnoException;
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
    void theKernelRefusesAMalformedProgramWithEinval() throws Exception {
        // Each is refused by inet_diag_bc_audit; the model in KernelBytecode agrees.
        List<String> bad = List.of(
                "01040600",             // JMP by 6: not a multiple of 4
                "01040c00",             // JMP by 12 in a 4-byte program: past reject
                "02041400" + "00005000", // S_GE whose yes (4) stops inside its port operand
                "0810" + "1400" + "0221" + "0000" + "ffffffff" + "7f000000", // AF_INET prefix 33
                "63040800");            // no such op
        try (InetDiagDumper dumper = InetDiagDumper.open()) {
            for (String hex : bad) {
                byte[] program = Hex.bytes(hex);
                assertThat(KernelBytecode.audit(program)).as(hex).isEqualTo(KernelBytecode.EINVAL);
                assertThatThrownBy(() -> dumper.dump(AddressFamily.INET, ~0, 0, program, r -> { }))
                        .as(hex)
                        .isInstanceOfSatisfying(ErrnoException.class, e -> {
                            assertThat(e.errno()).isEqualTo(KernelBytecode.EINVAL);
                            assertThat(e.errnoName()).isEqualTo("EINVAL");
                        })
                        .hasMessage("SOCK_DIAG_BY_FAMILY dump (AF_INET) failed: EINVAL (errno 22)");
            }
            // The same socket still dumps with a program the audit accepts: JMP to reject, nothing passes.
            List<SocketRecord> got = new ArrayList<>();
            dumper.dump(AddressFamily.INET, ~0, 0, Hex.bytes("01040800"), got::add);
            assertThat(got).isEmpty();
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
