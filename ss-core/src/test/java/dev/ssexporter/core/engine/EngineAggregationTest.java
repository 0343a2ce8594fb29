package dev.ssexporter.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssexporter.core.aggregate.ListenerStats;
import dev.ssexporter.core.aggregate.SocketStateCounts;
import dev.ssexporter.core.config.AggregationConfig;
import dev.ssexporter.core.config.ExporterConfig;
import dev.ssexporter.core.config.MetricsConfig;
import dev.ssexporter.core.config.PeerSelection;
import dev.ssexporter.core.config.ProcessSelection;
import dev.ssexporter.core.config.SelectionConfig;
import dev.ssexporter.core.config.ServicesConfig;
import dev.ssexporter.core.folding.LabelFolding;
import dev.ssexporter.core.selection.PortRange;
import dev.ssexporter.core.selection.TestSocket;
import dev.ssexporter.netlink.AddressFamily;
import dev.ssexporter.netlink.DumpExtension;
import dev.ssexporter.netlink.DumpQuery;
import dev.ssexporter.netlink.DumpStats;
import dev.ssexporter.netlink.SocketFilter;
import dev.ssexporter.netlink.SocketRecord;
import dev.ssexporter.netlink.SocketSource;
import dev.ssexporter.netlink.TcpState;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The engine feeding the aggregates: which dumps it asks for, and what the aggregates see. */
class EngineAggregationTest {
    private static final List<SocketRecord> SOCKETS = List.of(
            TestSocket.of("10.0.0.1", 443, "0.0.0.0", 0).state(TcpState.LISTEN).queues(2, 128).build(),
            TestSocket.of("10.0.0.1", 443, "10.0.0.2", 50000).inode(1).rtt(1000, 10).build(),
            TestSocket.of("10.0.0.1", 443, "10.0.0.3", 50001).inode(2).state(TcpState.SYN_RECV).build(),
            TestSocket.of("10.0.0.1", 40000, "10.0.0.4", 5432).inode(3).rtt(2000, 10).build(),
            TestSocket.of("10.0.0.1", 40001, "10.0.0.4", 5432).inode(4).state(TcpState.TIME_WAIT).build());

    /** Passes the records in the query's states that match its filter, as the kernel does. */
    private static final class KernelLike implements SocketSource {
        final List<DumpQuery> queries = new ArrayList<>();

        @Override
        public DumpStats dump(DumpQuery query, Consumer<? super SocketRecord> sink) {
            queries.add(query);
            long n = 0;
            for (SocketRecord s : SOCKETS) {
                if (query.states().contains(s.state()) && query.filter().matches(s)) {
                    sink.accept(s);
                    n++;
                }
            }
            return new DumpStats(n, n, 0, false);
        }
    }

    private static ExporterConfig config(SelectionConfig selection, AggregationConfig aggregation) {
        return new ExporterConfig(MetricsConfig.defaults(), LabelFolding.RAW_ENDPOINT, selection, aggregation);
    }

    private static SelectionConfig port(int p) {
        return new SelectionConfig(TcpState.connected(), ProcessSelection.none(), PeerSelection.none(),
                List.of(PortRange.of(p, p)));
    }

    @Test
    void withoutAKernelFilterOneWidenedDumpFeedsBothAndTheSelectionKeepsItsStates() {
        KernelLike source = new KernelLike();
        try (SocketStatsEngine engine = SocketStatsEngine.builder().source(source)
                .config(config(SelectionConfig.none(), AggregationConfig.defaults())).build()) {
            Scrape s = engine.collect();
            assertThat(source.queries).singleElement().satisfies(q -> {
                assertThat(q.states()).containsAll(SocketStateCounts.STATES);
                assertThat(q.extensions()).containsExactly(DumpExtension.INFO);
            });
            assertThat(engine.censusQuery()).isEmpty();
            assertThat(s.stats().socketsSeen()).as("LISTEN and TIME_WAIT are not in the selection's states")
                    .isEqualTo(3);
            assertThat(s.flows()).hasSize(2);
            assertThat(s.aggregates().states().count(AddressFamily.INET, TcpState.LISTEN)).isEqualTo(1);
            assertThat(s.aggregates().states().count(AddressFamily.INET, TcpState.TIME_WAIT)).isEqualTo(1);
            assertThat(s.aggregates().states().count(AddressFamily.INET, TcpState.ESTABLISHED)).isEqualTo(2);
            assertThat(s.aggregates().listeners()).containsExactly(new ListenerStats("10.0.0.1:443", 2, 128, 1, 1));
        }
    }

    @Test
    void withAKernelFilterACensusDumpWithoutFilterCountsEverySocket() {
        KernelLike source = new KernelLike();
        AggregationConfig all = new AggregationConfig(true, true, new ServicesConfig(true, List.of(), 10));
        try (SocketStatsEngine engine = SocketStatsEngine.builder().source(source)
                .config(config(port(5432), all)).build()) {
            Scrape s = engine.collect();
            assertThat(source.queries).hasSize(2);
            DumpQuery census = source.queries.getFirst();
            assertThat(census.filter()).isEqualTo(SocketFilter.acceptAll());
            assertThat(census.extensions()).isEmpty();
            assertThat(census).isEqualTo(engine.censusQuery().orElseThrow());
            assertThat(source.queries.get(1).filter()).hasToString("(sport = 5432 or dport = 5432)");
            assertThat(s.stats().socketsSelected()).isEqualTo(1);
            assertThat(s.aggregates().states().count(TcpState.ESTABLISHED))
                    .as("the counts are of every socket, not of the selection").isEqualTo(2);
            assertThat(s.aggregates().services()).singleElement().satisfies(svc -> {
                assertThat(svc.direction()).isEqualTo("outbound");
                assertThat(svc.service()).isEqualTo("5432");
                assertThat(svc.connections()).isEqualTo(1);
            });
        }
    }

    @Test
    void withoutAggregatesTheDumpIsUnchanged() {
        ExporterConfig plain = new ExporterConfig(MetricsConfig.defaults(), LabelFolding.RAW_ENDPOINT,
                SelectionConfig.none());
        try (SocketStatsEngine engine = SocketStatsEngine.builder().source(new KernelLike()).config(plain).build()) {
            assertThat(engine.query().states()).isEqualTo(TcpState.connected());
            assertThat(engine.censusQuery()).isEmpty();
            assertThat(engine.collect().aggregates().listeners()).isEmpty();
        }
    }
}
