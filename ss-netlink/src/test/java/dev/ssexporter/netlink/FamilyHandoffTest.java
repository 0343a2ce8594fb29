package dev.ssexporter.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The hand-off of one family's records from a helper thread, with fake dumps and no kernel. */
@Timeout(30)
class FamilyHandoffTest {
    private static final String NAME = "test-handoff";

    private static SocketRecord socket(int port) {
        return new SocketRecord(AddressFamily.INET6, TcpState.ESTABLISHED, InetAddress.ofLiteral("::1"), port,
                InetAddress.ofLiteral("::1"), 443, 0, 1, 1, 0, 0, 0, 0, 0, 0, null, null, null, null);
    }

    /** A dump of {@code n} records, more than the queue holds when n is large. */
    private static FamilyHandoff.Dump records(int n) {
        return sink -> {
            for (int i = 0; i < n; i++) {
                sink.accept(socket(i));
            }
            return new DumpStats(n, 1, 100L * n, false);
        };
    }

    private static boolean helperAlive() {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(NAME) && t.isAlive());
    }

    @Test
    void everyRecordInOrderOnTheCallersThreadThenTheStats() throws IOException {
        int n = 3 * FamilyHandoff.CAPACITY + 7;
        FamilyHandoff h = FamilyHandoff.start(NAME, records(n));
        List<Integer> ports = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        DumpStats stats = h.drainTo(r -> {
            ports.add(r.localPort());
            threads.add(Thread.currentThread());
        });
        assertThat(stats).isEqualTo(new DumpStats(n, 1, 100L * n, false));
        assertThat(ports).hasSize(n).isSorted().startsWith(0).endsWith(n - 1);
        assertThat(threads).containsOnly(Thread.currentThread());
    }

    @Test
    void theHelpersFailureIsThrownByDrainAfterTheRecordsBeforeIt() {
        IOException failure = new IOException("recvmsg failed");
        FamilyHandoff h = FamilyHandoff.start(NAME, sink -> {
            sink.accept(socket(1));
            throw failure;
        });
        AtomicInteger seen = new AtomicInteger();
        assertThatThrownBy(() -> h.drainTo(r -> seen.incrementAndGet())).isSameAs(failure);
        assertThat(seen).hasValue(1);
    }

    @Test
    void aSinkThatThrowsStopsAHelperWaitingForRoom() throws InterruptedException {
        FamilyHandoff h = FamilyHandoff.start(NAME, records(10 * FamilyHandoff.CAPACITY));
        Thread.sleep(Duration.ofMillis(50));  // let the helper fill the queue and wait
        IllegalStateException boom = new IllegalStateException("sink failed");
        assertThatThrownBy(() -> h.drainTo(r -> {
            throw boom;
        })).isSameAs(boom);
        assertThat(helperAlive()).isFalse();
    }

    @Test
    void cancelEndsAHelperEvenWhenItsDumpSwallowsTheCancellation() {
        // A dump that wraps whatever its sink throws, and a queue left full: cancel must still return.
        FamilyHandoff h = FamilyHandoff.start(NAME, sink -> {
            try {
                for (int i = 0; i < 10 * FamilyHandoff.CAPACITY; i++) {
                    sink.accept(socket(i));
                }
            } catch (RuntimeException e) {
                throw new UncheckedIOException(new IOException("wrapped", e));
            }
            return new DumpStats(0, 0, 0, false);
        });
        h.cancel();
        assertThat(helperAlive()).isFalse();
    }

    @Test
    void anInterruptedCallerCancelsTheHelperAndKeepsItsInterrupt() {
        FamilyHandoff h = FamilyHandoff.start(NAME, records(10 * FamilyHandoff.CAPACITY));
        Consumer<SocketRecord> interruptSelf = r -> Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> h.drainTo(interruptSelf)).isInstanceOf(java.io.InterruptedIOException.class);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(helperAlive()).isFalse();
    }
}
