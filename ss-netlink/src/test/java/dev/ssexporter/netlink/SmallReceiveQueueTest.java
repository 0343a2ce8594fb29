package dev.ssexporter.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ssexporter.netlink.SsCommand.SsSocket;
import dev.ssexporter.netlink.internal.NetlinkSocket;
import dev.ssexporter.netlink.internal.NetlinkTransport;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A live dump through a netlink socket with a tiny {@code SO_RCVBUF} (4 KiB asked; the kernel
 * doubles it): the kernel must then hold back replies until each is read, and the dump must still
 * be complete, equal to {@code ss -tinHea}'s view of a known set of loopback connections.
 */
class SmallReceiveQueueTest {
    private static final int CONNECTIONS = 150;
    private static final int SMALL_QUEUE = 4096;

    /** Counts the datagrams a dump takes. */
    private static final class Counting implements NetlinkTransport {
        private final NetlinkTransport inner;
        private final AtomicInteger receives;

        Counting(NetlinkTransport inner, AtomicInteger receives) {
            this.inner = inner;
            this.receives = receives;
        }

        @Override
        public int fd() {
            return inner.fd();
        }

        @Override
        public int portId() {
            return inner.portId();
        }

        @Override
        public void send(MemorySegment request) throws NetlinkException {
            inner.send(request);
        }

        @Override
        public int receive(MemorySegment buffer) throws NetlinkException {
            receives.incrementAndGet();
            return inner.receive(buffer);
        }

        @Override
        public void close() throws ErrnoException {
            inner.close();
        }
    }

    private static String key(String state, int localPort, int remotePort, long inode) {
        return state + " " + localPort + " -> " + remotePort + " ino " + inode;
    }

    @Test
    void aTinyReceiveQueueStillGivesTheWholeDump() throws Exception {
        List<SocketChannel> open = new ArrayList<>();
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.INET)) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), CONNECTIONS);
            int port = server.socket().getLocalPort();
            for (int i = 0; i < CONNECTIONS; i++) {
                SocketChannel c = SocketChannel.open(StandardProtocolFamily.INET);
                open.add(c);
                c.connect(server.getLocalAddress());
                open.add(server.accept());
            }
            AtomicInteger receives = new AtomicInteger();
            try (SockDiagReader reader = SockDiagReader.open(
                    () -> new Counting(NetlinkSocket.open(SMALL_QUEUE), receives))) {
                Set<String> ours = new TreeSet<>();
                Set<String> theirs = new TreeSet<>();
                for (int attempt = 0; attempt < 5; attempt++) {
                    ours.clear();
                    theirs.clear();
                    receives.set(0);
                    // Every socket of every state, with every extension: the largest dump there is.
                    DumpStats stats = reader.dump(DumpQuery.all(), r -> {
                        if (r.localPort() == port || r.remotePort() == port) {
                            ours.add(key(r.state().ssName(), r.localPort(), r.remotePort(), r.inode()));
                        }
                    });
                    for (SsSocket s : SsCommand.run("sport = :" + port + " or dport = :" + port)) {
                        theirs.add(key(s.state(), s.localPort(), s.peerPort(), s.number("ino", -1)));
                    }
                    assertThat(stats.sockets()).isGreaterThanOrEqualTo(2L * CONNECTIONS + 1);
                    if (!stats.interrupted() && ours.equals(theirs)) {
                        break;
                    }
                }
                assertThat(ours).as("one listener and both ends of every connection").hasSize(2 * CONNECTIONS + 1);
                assertThat(ours).isEqualTo(theirs);
                assertThat(receives.get()).as("datagrams read for one dump of %d+ sockets", 2 * CONNECTIONS + 1)
                        .isGreaterThan(2);
            }
        } finally {
            for (SocketChannel c : open) {
                c.close();
            }
        }
    }

    @Test
    void aReceiveQueueSizeMustBePositive() {
        assertThatThrownBy(() -> NetlinkSocket.open(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("SO_RCVBUF must be positive, got 0");
    }
}
