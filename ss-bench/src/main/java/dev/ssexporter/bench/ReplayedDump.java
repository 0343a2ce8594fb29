package dev.ssexporter.bench;

import dev.ssexporter.netlink.AddressFamily;
import dev.ssexporter.netlink.DumpStats;
import dev.ssexporter.netlink.NetlinkException;
import dev.ssexporter.netlink.SocketRecord;
import dev.ssexporter.netlink.SocketSource;
import dev.ssexporter.netlink.internal.InetDiagParser;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link SocketSource} without a kernel: the {@link SyntheticDump} of {@code sockets} IPv4
 * sockets, parsed once into records, replayed on every dump. It ignores the query's states and
 * filter, so a benchmark's selection is done in Java.
 */
final class ReplayedDump {
    private static final int SEQ = 7;
    private static final int PORT_ID = 4242;

    private ReplayedDump() {}

    /**
     * Parses the synthetic dump and returns a source that replays it.
     *
     * @throws IllegalStateException when the parser does not return exactly {@code sockets} records
     */
    static SocketSource of(int sockets) throws NetlinkException {
        List<SocketRecord> records = new ArrayList<>(sockets);
        try (Arena arena = Arena.ofConfined()) {
            SyntheticDump dump = SyntheticDump.build(AddressFamily.INET, sockets, SEQ, PORT_ID, arena);
            InetDiagParser parser = new InetDiagParser();
            for (MemorySegment d : dump.datagrams()) {
                parser.parse(d, (int) d.byteSize(), SEQ, PORT_ID, AddressFamily.INET, records::add);
            }
        }
        if (records.size() != sockets) {
            throw new IllegalStateException("parsed " + records.size() + " sockets, expected " + sockets);
        }
        List<SocketRecord> fixed = List.copyOf(records);
        return (query, sink) -> {
            fixed.forEach(sink);
            return new DumpStats(fixed.size(), fixed.size(), 0, false);
        };
    }
}
