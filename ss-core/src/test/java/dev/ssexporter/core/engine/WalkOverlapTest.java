package dev.ssexporter.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssexporter.core.process.PendingScan;
import dev.ssexporter.core.process.ProcessScanner;
import dev.ssexporter.core.process.ProcessTable;
import dev.ssexporter.core.selection.TestSocket;
import dev.ssexporter.netlink.SocketRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalkOverlapTest {
    @TempDir
    Path proc;

    private PendingScan walk() throws IOException {
        Path fd = Files.createDirectories(proc.resolve("100").resolve("fd"));
        Files.createSymbolicLink(fd.resolve("3"), Path.of("socket:[7]"));
        Files.writeString(proc.resolve("100").resolve("comm"), "app\n");
        return ProcessScanner.create(proc).start(inode -> true);
    }

    private static List<SocketRecord> sockets(int n) {
        List<SocketRecord> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(TestSocket.of("10.0.0.1", 1 + i % 60_000, "10.0.0.2", 443).inode(i + 1).build());
        }
        return out;
    }

    /** Feeds {@code sockets} through an overlap; the sink records them and checks the table came first. */
    private static List<SocketRecord> run(PendingScan walk, List<SocketRecord> sockets, AtomicInteger tables) {
        List<SocketRecord> seen = new ArrayList<>();
        ProcessTable[] table = new ProcessTable[1];
        WalkOverlap overlap = new WalkOverlap(s -> {
            assertThat(table[0]).as("the table is handed over before the first socket").isNotNull();
            assertThat(table[0].owners(7).pidList()).isEqualTo("100");
            seen.add(s);
        }, walk, w -> {
            try {
                return w.join();
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }, t -> {
            tables.incrementAndGet();
            table[0] = t;
        });
        sockets.forEach(overlap);
        overlap.finish();
        overlap.finish();  // a second call does nothing
        return seen;
    }

    @Test
    void socketsReachTheSinkInDumpOrderAfterTheTable() throws IOException {
        List<SocketRecord> sockets = sockets(50);
        AtomicInteger tables = new AtomicInteger();
        assertThat(run(walk(), sockets, tables)).containsExactlyElementsOf(sockets);
        assertThat(tables).hasValue(1);
    }

    @Test
    void atMostMaxHeldWaitBeforeTheWalkIsJoined() throws IOException {
        List<SocketRecord> sockets = sockets(WalkOverlap.MAX_HELD + 10);
        AtomicInteger tables = new AtomicInteger();
        assertThat(run(walk(), sockets, tables)).containsExactlyElementsOf(sockets);
        assertThat(tables).hasValue(1);
    }

    @Test
    void anEmptyDumpStillJoinsTheWalk() throws IOException {
        AtomicInteger tables = new AtomicInteger();
        assertThat(run(walk(), List.of(), tables)).isEmpty();
        assertThat(tables).hasValue(1);
    }
}
