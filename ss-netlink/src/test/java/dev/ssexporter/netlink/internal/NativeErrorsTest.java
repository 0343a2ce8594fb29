package dev.ssexporter.netlink.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ssexporter.netlink.AddressFamily;
import dev.ssexporter.netlink.ErrnoException;
import dev.ssexporter.netlink.MalformedReplyException;
import dev.ssexporter.netlink.TcpState;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/** The failure paths of the real system calls: errno captured per call, truncation detected. */
class NativeErrorsTest {

    @Test
    void errnoOfAFailedCallIsCapturedAndNamed() {
        try (Arena arena = Arena.ofConfined()) {
            assertThatThrownBy(() -> LibC.close(arena, -1, "close(fd=-1)"))
                    .isInstanceOfSatisfying(ErrnoException.class, e -> assertThat(e.errno()).isEqualTo(9))
                    .hasMessage("close(fd=-1) failed: EBADF (errno 9)");
            // netlink protocols stop at 31 (MAX_LINKS - 1)
            assertThatThrownBy(() -> LibC.socket(arena, 16, 3, 99, "socket(AF_NETLINK, SOCK_RAW, 99)"))
                    .isInstanceOf(ErrnoException.class)
                    .hasMessage("socket(AF_NETLINK, SOCK_RAW, 99) failed: EPROTONOSUPPORT (errno 93)");
        }
    }

    @Test
    void aDatagramLargerThanTheBufferIsAnErrorNotASilentUndercount() throws Exception {
        try (ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.INET6);
             NetlinkSocket socket = NetlinkSocket.open();
             Arena arena = Arena.ofConfined()) {
            listener.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0));
            MemorySegment request = arena.allocate(RequestEncoder.SIZE);
            new RequestEncoder(1).encode(request, AddressFamily.INET6, TcpState.mask(EnumSet.of(TcpState.LISTEN)),
                    RequestEncoder.ALL_EXTENSIONS);
            socket.send(request);
            MemorySegment tiny = arena.allocate(64);

            assertThatThrownBy(() -> socket.receive(tiny))
                    .isInstanceOf(MalformedReplyException.class)
                    .hasMessageStartingWith("truncated datagram at offset 0: the kernel sent ")
                    .hasMessageEndingWith(" bytes but the receive buffer holds 64; the rest is lost");
        }
    }

    @Test
    void aClosedSocketRefusesIo() throws Exception {
        NetlinkSocket socket = NetlinkSocket.open();
        socket.close();
        socket.close();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(64);
            assertThatThrownBy(() -> socket.receive(buffer))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("netlink socket fd=" + socket.fd() + " is closed");
        }
    }
}
