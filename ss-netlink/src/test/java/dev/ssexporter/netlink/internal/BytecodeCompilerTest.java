package dev.ssexporter.netlink.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ssexporter.netlink.DumpQuery;
import dev.ssexporter.netlink.SocketFilter;
import dev.ssexporter.netlink.SocketRecord;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Programs for representative filters, byte by byte (x86-64: op fields little-endian, addresses
 * big-endian), then every random filter against the Java model of the kernel's audit and run.
 * Offsets in the comments are from the program's start; "accept" is its end, "reject" 4 past it.
 */
class BytecodeCompilerTest {

    private static InetAddress ip(String literal) {
        return InetAddress.ofLiteral(literal);
    }

    @Test
    void localPortRangeIsTwoComparisonsThatRejectOnFailure() {
        assertThat(BytecodeCompiler.compile(SocketFilter.localPorts(1000, 2000))).isEqualTo(Hex.bytes(
                "02" + "08" + "1400" +  // @0 S_GE, yes 8, no 20 -> reject (16 + 4)
                "00" + "00" + "e803" +  //    operand op: no = port 1000
                "03" + "08" + "0c00" +  // @8 S_LE, yes 8, no 12 -> reject
                "00" + "00" + "d007")); //    port 2000
    }

    @Test
    void openBoundsAreLeftOut() {
        assertThat(BytecodeCompiler.compile(SocketFilter.remotePorts(0, 1023))).isEqualTo(Hex.bytes(
                "05" + "08" + "0c00" +  // @0 D_LE, yes 8, no 12 -> reject (8 + 4)
                "00" + "00" + "ff03")); //    port 1023
        assertThat(BytecodeCompiler.compile(SocketFilter.remotePorts(1024, 65535))).isEqualTo(Hex.bytes(
                "04" + "08" + "0c00" +  // @0 D_GE, yes 8, no 12 -> reject
                "00" + "00" + "0004")); //    port 1024
    }

    @Test
    void ipv4NetworkIsOneHostConditionWithAnyPort() {
        assertThat(BytecodeCompiler.compile(SocketFilter.remoteNetwork(ip("10.20.30.40"), 8))).isEqualTo(Hex.bytes(
                "08" + "10" + "1400" +  // @0 D_COND, yes 16, no 20 -> reject
                "02" +                  //    hostcond.family = AF_INET
                "08" +                  //    prefix_len = 8
                "0000" +                //    padding
                "ffffffff" +            //    port = -1: any
                "0a000000"));           //    addr 10.0.0.0: host bits cleared
    }

    @Test
    void ipv6LocalNetwork() {
        assertThat(BytecodeCompiler.compile(SocketFilter.localNetwork(ip("fd00::1"), 64))).isEqualTo(Hex.bytes(
                "07" + "1c" + "2000" +  // @0 S_COND, yes 28, no 32 -> reject
                "0a" + "40" + "0000" +  //    AF_INET6, prefix 64, padding
                "ffffffff" +            //    any port
                "fd000000000000000000000000000000"));
    }

    @Test
    void anyOfJumpsToAcceptAfterEachMemberButTheLast() {
        byte[] program = BytecodeCompiler.compile(
                SocketFilter.anyOf(SocketFilter.localPorts(80, 80), SocketFilter.remotePorts(80, 80)));
        assertThat(program).isEqualTo(Hex.bytes(
                "02" + "08" + "1400" + "0000" + "5000" + // @0  S_GE 80, no 20 -> @20, the second member
                "03" + "08" + "0c00" + "0000" + "5000" + // @8  S_LE 80, no 12 -> @20
                "01" + "04" + "1400" +                   // @16 JMP, no 20 -> accept (36)
                "04" + "08" + "1400" + "0000" + "5000" + // @20 D_GE 80, no 20 -> reject (40)
                "05" + "08" + "0c00" + "0000" + "5000")); // @28 D_LE 80, no 12 -> reject
    }

    @Test
    void notSwapsAcceptAndRejectAndEndsInAJumpToReject() {
        byte[] program = BytecodeCompiler.compile(SocketFilter.not(SocketFilter.remoteNetwork(ip("::1"), 128)));
        assertThat(program).isEqualTo(Hex.bytes(
                "08" + "1c" + "2000" +  // @0  D_COND, yes 28, no 32 -> accept (32): not in ::1 passes
                "0a" + "80" + "0000" + "ffffffff" + "00000000000000000000000000000001" +
                "01" + "04" + "0800")); // @28 JMP, no 8 -> reject (36): in ::1 fails
    }

    @Test
    void allOfChainsMembersAndSendsEveryFailureToReject() {
        byte[] program = BytecodeCompiler.compile(SocketFilter.allOf(
                SocketFilter.anyOf(SocketFilter.localPorts(443, 443), SocketFilter.remotePorts(443, 443)),
                SocketFilter.not(SocketFilter.remoteNetwork(ip("10.0.0.0"), 8))));
        assertThat(program).isEqualTo(Hex.bytes(
                "02" + "08" + "1400" + "0000" + "bb01" + // @0  S_GE 443, no 20 -> @20, the remote side
                "03" + "08" + "0c00" + "0000" + "bb01" + // @8  S_LE 443, no 12 -> @20
                "01" + "04" + "1400" +                   // @16 JMP, no 20 -> @36: the anyOf holds, on to the not
                "04" + "08" + "2800" + "0000" + "bb01" + // @20 D_GE 443, no 40 -> reject (56 + 4)
                "05" + "08" + "2000" + "0000" + "bb01" + // @28 D_LE 443, no 32 -> reject
                // @36 D_COND 10/8, no 20 -> accept (56): outside 10/8
                "08" + "10" + "1400" + "02" + "08" + "0000" + "ffffffff" + "0a000000" +
                "01" + "04" + "0800")); // @52 JMP, no 8 -> reject: inside 10/8
    }

    @Test
    void filtersTrueWithoutATestCompileToNothing() {
        assertThat(BytecodeCompiler.compile(SocketFilter.acceptAll())).isEmpty();
        assertThat(BytecodeCompiler.compile(SocketFilter.localPorts(0, 65535))).isEmpty();
        assertThat(BytecodeCompiler.compile(SocketFilter.anyOf(
                SocketFilter.remotePorts(80, 80), SocketFilter.allOf()))).isEmpty();
        assertThat(BytecodeCompiler.compile(SocketFilter.allOf(SocketFilter.allOf(), SocketFilter.remotePorts(0, 65535))))
                .isEmpty();
    }

    @Test
    void filtersFalseWithoutATestAreOneJumpToReject() {
        byte[] reject = Hex.bytes("01" + "04" + "0800"); // JMP, no 8 -> reject
        assertThat(BytecodeCompiler.compile(SocketFilter.anyOf())).isEqualTo(reject);
        assertThat(BytecodeCompiler.compile(SocketFilter.not(SocketFilter.acceptAll()))).isEqualTo(reject);
    }

    @Test
    void aProgramLongerThanAnAttributeCanCarryIsRefused() {
        List<SocketFilter> networks = new ArrayList<>();
        for (int i = 0; i < 4000; i++) { // 4000 x (16 + 4) - 4 bytes
            networks.add(new SocketFilter.RemoteNetwork(new byte[] {10, (byte) (i >> 8), (byte) i, 0}, 24));
        }
        SocketFilter big = SocketFilter.anyOf(networks);
        assertThat(BytecodeCompiler.length(big)).isEqualTo(79996);
        assertThatThrownBy(() -> BytecodeCompiler.compile(big))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("the socket filter compiles to 79996 bytes of inet_diag bytecode, more than"
                        + " the 65528 a request attribute can carry: (dst 10.0.0.0/24 or dst 10.0.1.0/24 or ")
                .hasMessageEndingWith("...");
        assertThatThrownBy(() -> DumpQuery.connected().withFilter(big))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("79996 bytes");
    }

    @Test
    void randomFiltersPassTheAuditAndTheKernelModelAgreesWithMatches() {
        SplittableRandom seeds = new SplittableRandom(20240611L);
        int programs = 0;
        int[] verdicts = new int[2];
        for (int i = 0; i < 3000; i++) {
            RandomFilters gen = new RandomFilters(seeds.split());
            SocketFilter filter = gen.filter(4);
            byte[] program = BytecodeCompiler.compile(filter);
            assertThat(program.length).as("%s", filter).isEqualTo(BytecodeCompiler.length(filter));
            for (int s = 0; s < 40; s++) {
                SocketRecord socket = gen.socket();
                boolean expected = filter.matches(socket);
                verdicts[expected ? 1 : 0]++;
                if (program.length == 0) {
                    assertThat(expected).as("an empty program for %s passes %s", filter, socket).isTrue();
                    continue;
                }
                assertThat(KernelBytecode.run(program, socket))
                        .as("%s on %s %s:%d -> %s:%d", filter, socket.family(), socket.localAddress(),
                                socket.localPort(), socket.remoteAddress(), socket.remotePort())
                        .isEqualTo(expected);
            }
            if (program.length > 0) {
                programs++;
                assertThat(KernelBytecode.audit(program)).as("audit of %s", filter).isZero();
            }
        }
        assertThat(programs).isGreaterThan(2000);
        assertThat(verdicts[0]).as("sockets failing").isGreaterThan(30_000);
        assertThat(verdicts[1]).as("sockets passing").isGreaterThan(30_000);
    }

    @Test
    void theKernelModelRefusesBadJumps() {
        // The model must refuse what the kernel refuses, or the test above proves nothing.
        assertThat(KernelBytecode.audit(Hex.bytes("01040800"))).isZero();      // JMP to reject
        assertThat(KernelBytecode.audit(Hex.bytes("01040600"))).isEqualTo(22); // no not a multiple of 4
        assertThat(KernelBytecode.audit(Hex.bytes("01040c00"))).isEqualTo(22); // past reject
        assertThat(KernelBytecode.audit(Hex.bytes("01040000"))).isEqualTo(22); // backwards / in place
        assertThat(KernelBytecode.audit(Hex.bytes("02041400" + "00005000"))).isEqualTo(22); // yes inside its operand
        assertThat(KernelBytecode.audit(Hex.bytes("0808" + "1000" + "0220" + "0000" + "ffffffff" + "0a000000")))
                .isEqualTo(22); // IPv4 prefix 32 is fine, but yes 8 stops inside the hostcond
        assertThat(KernelBytecode.audit(Hex.bytes("0810" + "1400" + "0221" + "0000" + "ffffffff" + "0a000000")))
                .isEqualTo(22); // prefix 33 for IPv4
        assertThat(KernelBytecode.audit(Hex.bytes("63040800"))).isEqualTo(22); // unknown op 99
    }
}
