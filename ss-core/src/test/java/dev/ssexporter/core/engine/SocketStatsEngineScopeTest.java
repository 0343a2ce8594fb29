package dev.ssexporter.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssexporter.core.config.ExporterConfig;
import dev.ssexporter.core.config.MetricsConfig;
import dev.ssexporter.core.config.SelectionConfig;
import dev.ssexporter.core.folding.LabelFolding;
import dev.ssexporter.core.histogram.BucketBounds;
import dev.ssexporter.core.process.OwnSockets;
import dev.ssexporter.core.selection.TestSocket;
import dev.ssexporter.netlink.DumpStats;
import dev.ssexporter.netlink.SocketRecord;
import dev.ssexporter.netlink.SocketSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link SocketScope#OWN_PROCESS} keeps the sockets whose inode is in the process's fd table. */
class SocketStatsEngineScopeTest {
    private static final MetricsConfig METRICS = new MetricsConfig(true, BucketBounds.of(1.0), true, true, true,
            true, true);
    private static final SocketRecord MINE = TestSocket.of("127.0.0.1", 8080, "127.0.0.1", 50000).inode(101)
            .info(TestSocket.fullInfo(100, 10, 0, 1, 1)).build();
    private static final SocketRecord ALSO_MINE = TestSocket.of("127.0.0.1", 50001, "127.0.0.1", 5432).inode(102)
            .info(TestSocket.fullInfo(200, 10, 0, 1, 1)).build();
    private static final SocketRecord OTHERS = TestSocket.of("127.0.0.1", 22, "127.0.0.1", 40000).inode(999)
            .info(TestSocket.fullInfo(300, 10, 0, 1, 1)).build();

    @TempDir
    Path fd;

    private Scrape collect(SocketScope scope, OwnSockets own) {
        List<SocketRecord> sockets = List.of(MINE, ALSO_MINE, OTHERS);
        SocketSource source = (query, sink) -> {
            sockets.forEach(sink);
            return new DumpStats(sockets.size(), 1, 0, false);
        };
        try (SocketStatsEngine engine = SocketStatsEngine.builder()
                .config(new ExporterConfig(METRICS, LabelFolding.RAW_ENDPOINT, SelectionConfig.none()))
                .source(source).procRoot(fd.resolve("no-proc")).scope(scope).ownSockets(own).build()) {
            return engine.collect();
        }
    }

    @Test
    void ownProcessKeepsTheSocketsInItsFdTable() throws IOException {
        Files.createSymbolicLink(fd.resolve("5"), Path.of("socket:[101]"));
        Files.createSymbolicLink(fd.resolve("6"), Path.of("socket:[102]"));
        Files.createSymbolicLink(fd.resolve("7"), Path.of("socket:[555]"));
        Files.createSymbolicLink(fd.resolve("1"), Path.of("/dev/null"));

        Scrape own = collect(SocketScope.OWN_PROCESS, OwnSockets.of(fd));
        assertThat(own.flows()).extracting(FlowSample::flow).containsExactly(
                "(SRC#127.0.0.1|50001)(DST#127.0.0.1|5432)", "(SRC#127.0.0.1|8080)(DST#127.0.0.1|50000)");
        assertThat(own.stats().socketsSeen()).isEqualTo(3);
        assertThat(own.stats().socketsSelected()).isEqualTo(2);
        assertThat(own.rtt().cumulativeCount(1)).as("histogram count").isEqualTo(2);

        assertThat(collect(SocketScope.ALL, OwnSockets.of(fd)).flows()).hasSize(3);
    }

    @Test
    void anUnreadableFdTableSelectsNothingAndCountsAProcError() {
        Scrape own = collect(SocketScope.OWN_PROCESS, OwnSockets.of(fd.resolve("missing")));
        assertThat(own.stats().success()).isTrue();
        assertThat(own.flows()).isEmpty();
        assertThat(own.stats().procErrorsTotal()).isEqualTo(1);
    }
}
