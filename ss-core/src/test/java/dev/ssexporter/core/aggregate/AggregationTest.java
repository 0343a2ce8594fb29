package dev.ssexporter.core.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.ssexporter.core.config.AggregationConfig;
import dev.ssexporter.core.config.PeerGroup;
import dev.ssexporter.core.config.ServicesConfig;
import dev.ssexporter.core.histogram.BucketBounds;
import dev.ssexporter.core.selection.Cidr;
import dev.ssexporter.core.selection.TestSocket;
import dev.ssexporter.netlink.AddressFamily;
import dev.ssexporter.netlink.SocketRecord;
import dev.ssexporter.netlink.TcpInfo;
import dev.ssexporter.netlink.TcpInfoField;
import dev.ssexporter.netlink.TcpState;
import java.util.List;
import org.junit.jupiter.api.Test;

class AggregationTest {
    private static final BucketBounds BOUNDS = BucketBounds.of(1.0, 10.0, 100.0);
    private static final AggregationConfig STATES_AND_LISTENERS = AggregationConfig.defaults();

    private static AggregationConfig services(int max, PeerGroup... groups) {
        return new AggregationConfig(false, false, new ServicesConfig(true, List.of(groups), max));
    }

    /** A connection with rtt (µs) and the five summed counters. */
    private static SocketRecord conn(String local, int lport, String remote, int rport, long cookie, long rttMicros,
                                     long acked, long received, long retrans, long segsIn, long segsOut) {
        long[] v = new long[TcpInfo.presentCount(TcpInfoField.KNOWN_SIZE)];
        v[TcpInfoField.RTT.ordinal()] = rttMicros;
        v[TcpInfoField.BYTES_ACKED.ordinal()] = acked;
        v[TcpInfoField.BYTES_RECEIVED.ordinal()] = received;
        v[TcpInfoField.TOTAL_RETRANS.ordinal()] = retrans;
        v[TcpInfoField.DATA_SEGS_IN.ordinal()] = segsIn;
        v[TcpInfoField.DATA_SEGS_OUT.ordinal()] = segsOut;
        return TestSocket.of(local, lport, remote, rport).cookie(cookie)
                .info(TcpInfo.of(TcpInfoField.KNOWN_SIZE, v)).build();
    }

    private static SocketRecord listen(String local, int port, long acceptQueue, long backlog) {
        String any = local.indexOf(':') >= 0 ? "::" : "0.0.0.0";
        return TestSocket.of(local, port, any, 0).state(TcpState.LISTEN).queues(acceptQueue, backlog).build();
    }

    private static SocketRecord synRecv(String local, int port, String remote) {
        return TestSocket.of(local, port, remote, 50000).state(TcpState.SYN_RECV).build();
    }

    private static Aggregates scrape(Aggregation a, List<SocketRecord> census, List<SocketRecord> selected) {
        Aggregation.Round r = a.round();
        census.forEach(r::census);
        selected.forEach(r::selected);
        return r.finish();
    }

    @Test
    void countsSocketsPerFamilyAndState() {
        Aggregation a = Aggregation.of(STATES_AND_LISTENERS, BOUNDS);
        Aggregates out = scrape(a, List.of(
                conn("10.0.0.1", 40000, "10.0.0.2", 443, 1, 1000, 0, 0, 0, 0, 0),
                conn("10.0.0.1", 40001, "10.0.0.2", 443, 2, 1000, 0, 0, 0, 0, 0),
                TestSocket.of("10.0.0.1", 40002, "10.0.0.2", 443).state(TcpState.TIME_WAIT).build(),
                TestSocket.of("::ffff:10.0.0.1", 8080, "::ffff:10.0.0.3", 50000).family(AddressFamily.INET6).build(),
                listen("::", 8080, 0, 128)), List.of());
        SocketStateCounts c = out.states();
        assertThat(c.count(AddressFamily.INET, TcpState.ESTABLISHED)).isEqualTo(2);
        assertThat(c.count(AddressFamily.INET, TcpState.TIME_WAIT)).isEqualTo(1);
        assertThat(c.count(AddressFamily.INET6, TcpState.ESTABLISHED)).as("a dual-stack socket counts as ipv6")
                .isEqualTo(1);
        assertThat(c.count(AddressFamily.INET6, TcpState.LISTEN)).isEqualTo(1);
        assertThat(c.count(TcpState.ESTABLISHED)).isEqualTo(3);
        assertThat(c.count(AddressFamily.INET, TcpState.SYN_SENT)).isZero();
        assertThat(SocketStateCounts.STATES).hasSize(11).doesNotContain(TcpState.NEW_SYN_RECV,
                TcpState.BOUND_INACTIVE);
        assertThat(SocketStateCounts.stateLabel(TcpState.TIME_WAIT)).isEqualTo("time_wait");
        assertThat(SocketStateCounts.familyLabel(AddressFamily.INET6)).isEqualTo("ipv6");
    }

    @Test
    void listenersSumReuseportSocketsAndMatchHandshakesToExactThenWildcardListeners() {
        Aggregation a = Aggregation.of(STATES_AND_LISTENERS, BOUNDS);
        Aggregates out = scrape(a, List.of(
                // handshakes first: the dump order must not matter
                synRecv("10.0.0.1", 443, "192.0.2.1"),
                synRecv("10.0.0.2", 443, "192.0.2.2"),
                synRecv("10.0.0.2", 8080, "192.0.2.3"),
                synRecv("2001:db8::1", 8080, "2001:db8::9"),
                synRecv("10.0.0.1", 9999, "192.0.2.4"),
                listen("10.0.0.1", 443, 3, 128),
                listen("0.0.0.0", 443, 0, 511),
                listen("0.0.0.0", 443, 1, 511),
                listen("::", 8080, 5, 4096)), List.of());
        assertThat(out.listeners()).containsExactly(
                new ListenerStats("0.0.0.0:443", 1, 1022, 1, 2),
                new ListenerStats("10.0.0.1:443", 3, 128, 1, 1),
                new ListenerStats("[::]:8080", 5, 4096, 2, 1));
    }

    @Test
    void servicesClassifyByListeningPortAndPeerGroupFirstMatch() {
        PeerGroup internal = new PeerGroup("internal", List.of(Cidr.parse("10.0.0.0/8")));
        PeerGroup lab = new PeerGroup("lab", List.of(Cidr.parse("10.1.0.0/16"), Cidr.parse("fd00::/8")));
        Aggregation a = Aggregation.of(services(100, internal, lab), BOUNDS);
        Aggregates out = scrape(a, List.of(listen("0.0.0.0", 8080, 0, 128)), List.of(
                conn("10.0.0.1", 8080, "10.1.2.3", 51000, 1, 500, 100, 10, 0, 1, 2),   // inbound, internal first
                conn("10.0.0.1", 8080, "192.0.2.7", 51001, 2, 20_000, 200, 20, 1, 3, 4), // inbound, other
                conn("::ffff:10.0.0.1", 8080, "::ffff:10.9.9.9", 51002, 3, 5000, 1, 1, 1, 1, 1),
                conn("10.0.0.1", 40000, "10.0.0.9", 5432, 4, 2000, 1000, 500, 7, 8, 9),   // outbound
                conn("fd00::1", 40001, "fd00::2", 5432, 5, 2000, 1, 2, 3, 4, 5),          // outbound, lab
                TestSocket.of("10.0.0.1", 40002, "10.0.0.9", 5432).state(TcpState.SYN_RECV).build()));
        assertThat(out.services()).extracting(s -> s.direction() + "/" + s.service() + "/" + s.peerGroup()
                + " n=" + s.connections() + " sent=" + s.bytesSent() + " recv=" + s.bytesReceived()
                + " retr=" + s.retransmits() + " in=" + s.dataSegsIn() + " out=" + s.dataSegsOut())
                .containsExactly(
                        "inbound/8080/internal n=2 sent=101 recv=11 retr=1 in=2 out=3",
                        "inbound/8080/other n=1 sent=200 recv=20 retr=1 in=3 out=4",
                        "outbound/5432/internal n=1 sent=1000 recv=500 retr=7 in=8 out=9",
                        "outbound/5432/lab n=1 sent=1 recv=2 retr=3 in=4 out=5");
        ServiceStats first = out.services().getFirst();
        assertThat(first.rtt().count()).isEqualTo(2);
        assertThat(first.rtt().cumulativeCounts()).containsExactly(1, 2, 2, 2);
        assertThat(first.rtt().sumMillis()).isEqualTo(5.5);
        assertThat(out.serviceOverflowConnections()).isZero();
    }

    @Test
    void countersStayMonotonicWhenConnectionsCloseAndConnectionsKeepTheirAggregate() {
        Aggregation a = Aggregation.of(services(100), BOUNDS);
        SocketRecord l = listen("0.0.0.0", 80, 0, 128);
        Aggregates s1 = scrape(a, List.of(l), List.of(
                conn("10.0.0.1", 80, "10.0.0.2", 50000, 1, 1000, 100, 10, 1, 1, 1),
                conn("10.0.0.1", 80, "10.0.0.3", 50001, 2, 1000, 200, 20, 0, 1, 1)));
        assertThat(s1.services().getFirst().bytesSent()).isEqualTo(300);
        // cookie 1 grows, cookie 2 closes, cookie 3 opens
        Aggregates s2 = scrape(a, List.of(l), List.of(
                conn("10.0.0.1", 80, "10.0.0.2", 50000, 1, 1000, 150, 10, 1, 1, 1),
                conn("10.0.0.1", 80, "10.0.0.4", 50002, 3, 1000, 5, 0, 0, 1, 1)));
        ServiceStats svc = s2.services().getFirst();
        assertThat(svc.bytesSent()).as("150 open + 5 open + 200 closed").isEqualTo(355);
        assertThat(svc.connections()).isEqualTo(2);
        // everything closes; the listener is gone too: the counters stay, no connection is left
        Aggregates s3 = scrape(a, List.of(), List.of());
        assertThat(s3.services()).singleElement().satisfies(s -> {
            assertThat(s.bytesSent()).isEqualTo(355);
            assertThat(s.bytesReceived()).isEqualTo(30);
            assertThat(s.retransmits()).isEqualTo(1);
            assertThat(s.connections()).isZero();
            assertThat(s.rtt().count()).isZero();
        });
        // a connection first seen inbound stays inbound when its listener goes away
        Aggregation b = Aggregation.of(services(100), BOUNDS);
        SocketRecord c = conn("10.0.0.1", 80, "10.0.0.2", 50000, 9, 1000, 1, 1, 0, 0, 0);
        scrape(b, List.of(l), List.of(c));
        assertThat(scrape(b, List.of(), List.of(c)).services()).extracting(ServiceStats::direction)
                .containsExactly("inbound");
    }

    @Test
    void servicesBeyondTheCapGoToOtherAndAreCounted() {
        Aggregation a = Aggregation.of(services(2), BOUNDS);
        Aggregates out = scrape(a, List.of(), List.of(
                conn("10.0.0.1", 40000, "10.0.0.2", 443, 1, 1000, 1, 0, 0, 0, 0),
                conn("10.0.0.1", 40001, "10.0.0.2", 5432, 2, 1000, 1, 0, 0, 0, 0),
                conn("10.0.0.1", 40002, "10.0.0.2", 6379, 3, 1000, 1, 0, 0, 0, 0),
                conn("10.0.0.1", 40003, "10.0.0.2", 9092, 4, 1000, 1, 0, 0, 0, 0),
                conn("10.0.0.1", 40004, "10.0.0.2", 443, 5, 1000, 1, 0, 0, 0, 0)));
        assertThat(out.services()).extracting(ServiceStats::service, ServiceStats::connections)
                .containsExactly(tuple("443", 2L),
                        tuple("5432", 1L),
                        tuple("other", 2L));
        assertThat(out.serviceOverflowConnections()).isEqualTo(2);
    }

    @Test
    void anUnfinishedRoundChangesNothing() {
        Aggregation a = Aggregation.of(services(100), BOUNDS);
        Aggregation.Round broken = a.round();
        broken.selected(conn("10.0.0.1", 40000, "10.0.0.2", 443, 1, 1000, 99, 0, 0, 0, 0));
        assertThat(scrape(a, List.of(), List.of()).services()).isEmpty();
    }

    @Test
    void censusStatesFollowTheSwitches() {
        assertThat(Aggregation.of(STATES_AND_LISTENERS, BOUNDS).censusStates())
                .containsExactlyInAnyOrderElementsOf(SocketStateCounts.STATES);
        assertThat(Aggregation.of(new AggregationConfig(false, true, ServicesConfig.off()), BOUNDS).censusStates())
                .containsExactlyInAnyOrder(TcpState.LISTEN, TcpState.SYN_RECV);
        assertThat(Aggregation.of(services(1), BOUNDS).censusStates()).containsExactly(TcpState.LISTEN);
        assertThatThrownBy(() -> Aggregation.of(AggregationConfig.none(), BOUNDS))
                .hasMessageContaining("switches every aggregate off");
    }
}
