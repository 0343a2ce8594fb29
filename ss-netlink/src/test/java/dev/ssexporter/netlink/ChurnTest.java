package dev.ssexporter.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Live dumps while other threads open and close loopback connections as fast as they can: every
 * dump either completes or fails with a {@link NetlinkException} (none other), none hangs, and
 * what each dump reports is plausible for what the threads can hold at once.
 */
class ChurnTest {
    private static final int THREADS = 4;
    /** Connections each thread holds at most before closing them all. */
    private static final int BATCH = 5;
    /**
     * Dumps to run during the churn. Each walks the kernel's whole established hash (262144
     * buckets here), a few hundred ms on a busy 2-CPU machine, so this is bounded by count.
     */
    private static final int DUMPS = 10;

    @Test
    void dumpsDuringChurnCompleteOrFailCleanlyAndNeverHang() throws Exception {
        assertTimeoutPreemptively(Duration.ofSeconds(60), this::churnAndDump,
                "dumps during churn must finish; a hang here means a receive that never returns");
    }

    private void churnAndDump() throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.INET)) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
            int port = server.socket().getLocalPort();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong connections = new AtomicLong();
            ConcurrentLinkedQueue<Throwable> churnErrors = new ConcurrentLinkedQueue<>();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                threads.add(Thread.ofPlatform().name("churn-" + t).start(() -> {
                    try {
                        churn(server, stop, connections);
                    } catch (Throwable e) {
                        churnErrors.add(e);
                    }
                }));
            }
            // The listener's address and port, as either end: a port alone also matches another
            // test's TIME_WAIT socket that happened to use the same port number on 127.0.0.2.
            InetAddress loopback = InetAddress.getLoopbackAddress();
            DumpQuery ours = DumpQuery.all().withFilter(SocketFilter.anyOf(
                    SocketFilter.allOf(SocketFilter.localNetwork(loopback, 32), SocketFilter.localPorts(port, port)),
                    SocketFilter.allOf(SocketFilter.remoteNetwork(loopback, 32), SocketFilter.remotePorts(port, port))));
            // A listener, and both ends of every connection the threads can hold, plus one being
            // accepted per thread.
            long most = 1 + 2L * THREADS * (BATCH + 1);
            int dumps = 0;
            int interrupted = 0;
            List<NetlinkException> failures = new ArrayList<>();
            try (SockDiagReader reader = SockDiagReader.open()) {
                while (dumps + failures.size() < DUMPS) {
                    Map<TcpState, Integer> states = new EnumMap<>(TcpState.class);
                    DumpStats stats;
                    try {
                        stats = reader.dump(ours, r -> states.merge(r.state(), 1, Integer::sum));
                    } catch (NetlinkException documented) {
                        failures.add(documented);
                        continue;
                    }
                    dumps++;
                    long total = states.values().stream().mapToLong(Integer::longValue).sum();
                    assertThat(stats.sockets()).isEqualTo(total);
                    assertThat(total).as("sockets of the churn in dump %d: %s", dumps, states).isBetween(1L, most);
                    if (stats.interrupted()) {
                        interrupted++;
                    } else {
                        assertThat(states.get(TcpState.LISTEN)).as("the listener, once, in dump %d", dumps)
                                .isEqualTo(1);
                    }
                }
                stop.set(true);
                for (Thread t : threads) {
                    t.join();
                }
                assertThat(churnErrors).as("the churn threads themselves").isEmpty();
                assertThat(connections.get()).as("connections opened and closed").isGreaterThan(100);
                assertThat(failures.size()).as("failed dumps: %s (interrupted: %d)", failures, interrupted)
                        .isLessThan(dumps);

                // Once the churn stops, the same reader sees only the listener.
                List<SocketRecord> left = List.of();
                for (int i = 0; i < 100; i++) {
                    left = reader.dumpAll(ours);
                    if (left.size() == 1) {
                        break;
                    }
                    Thread.sleep(20);
                }
                assertThat(left).singleElement().satisfies(r -> {
                    assertThat(r.state()).isEqualTo(TcpState.LISTEN);
                    assertThat(r.localPort()).isEqualTo(port);
                });
            } finally {
                stop.set(true);
            }
        }
    }

    /** Opens up to {@link #BATCH} connections, then resets them all, until told to stop. */
    private static void churn(ServerSocketChannel server, AtomicBoolean stop, AtomicLong connections)
            throws IOException {
        List<SocketChannel> held = new ArrayList<>();
        while (!stop.get()) {
            for (int i = 0; i < BATCH; i++) {
                SocketChannel c = SocketChannel.open(StandardProtocolFamily.INET);
                held.add(c);
                c.setOption(StandardSocketOptions.SO_LINGER, 0); // close resets: no TIME_WAIT piles up
                c.connect(server.getLocalAddress());
                SocketChannel a = server.accept(); // perhaps another thread's; any will do
                held.add(a);
                a.setOption(StandardSocketOptions.SO_LINGER, 0);
                connections.incrementAndGet();
            }
            for (SocketChannel c : held) {
                c.close();
            }
            held.clear();
        }
    }
}
