package dev.ssexporter.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReaderLifecycleTest {
    /**
     * LISTEN only: the kernel then walks its small listening hash, not the established hash
     * (262144 buckets here), so a hundred dumps stay cheap even when other processes are dumping
     * at the same time; sock_diag serializes the first part of every dump behind one mutex.
     */
    private static final DumpQuery LISTENERS =
            DumpQuery.of(EnumSet.allOf(AddressFamily.class), EnumSet.of(TcpState.LISTEN));

    @Test
    void oneReaderServesHundredDumpsAndLeaksNoDescriptor() throws Exception {
        try (Loopback l = Loopback.ipv4()) {
            long sockets = Fds.sockets();
            long diag = Fds.sockDiagSockets();
            try (SockDiagReader reader = SockDiagReader.open()) {
                assertThat(Fds.sockDiagSockets()).as("one netlink socket while open").isEqualTo(diag + 1);
                for (int i = 0; i < 100; i++) {
                    List<SocketRecord> mine = l.mine(reader.dumpAll(LISTENERS));
                    assertThat(mine).as("dump %d", i).singleElement()
                            .satisfies(r -> assertThat(r.state()).isEqualTo(TcpState.LISTEN));
                }
                assertThat(Fds.sockDiagSockets()).as("still one after 100 dumps of both families").isEqualTo(diag + 1);
                // and a full dump on the same socket still works
                assertThat(l.mine(reader.dumpAll(DumpQuery.all()))).hasSize(3);
            }
            assertThat(Fds.sockDiagSockets()).isEqualTo(diag);
            assertThat(Fds.sockets()).isEqualTo(sockets);
        }
    }

    @Test
    void openingAndClosingManyReadersLeaksNothing() throws Exception {
        long sockets = Fds.sockets();
        for (int i = 0; i < 100; i++) {
            try (SockDiagReader reader = SockDiagReader.open()) {
                reader.dump(LISTENERS, r -> { });
            }
        }
        assertThat(Fds.sockets()).isEqualTo(sockets);
    }

    @Test
    void aStateWithNoSocketsDumpsNothing() throws Exception {
        // BOUND_INACTIVE: bound but neither listening nor connected; nothing in this JVM is.
        try (SockDiagReader reader = SockDiagReader.open()) {
            DumpQuery q = DumpQuery.of(EnumSet.of(AddressFamily.INET6), EnumSet.of(TcpState.BOUND_INACTIVE));
            List<SocketRecord> got = reader.dumpAll(q);
            assertThat(got).filteredOn(r -> r.state() != TcpState.BOUND_INACTIVE).isEmpty();
        }
    }

    @Test
    void aClosedReaderRefusesDumpsAndClosesTwiceQuietly() throws Exception {
        SockDiagReader reader = SockDiagReader.open();
        reader.close();
        reader.close();
        assertThatThrownBy(() -> reader.dumpAll(DumpQuery.all()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("this SockDiagReader is closed");
    }

    @Test
    void probeSaysAvailableHere() {
        SockDiagReader.Availability a = SockDiagReader.probe();
        assertThat(a.available()).as("cause: %s", a.unavailabilityCause()).isTrue();
        assertThat(a.unavailabilityCause()).isNull();
        assertThat(SockDiagReader.probe()).as("probed once").isSameAs(a);
    }

    @Test
    void availabilityIsConsistent() {
        assertThatThrownBy(() -> new SockDiagReader.Availability(false, " "))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SockDiagReader.Availability(true, "why"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
