package dev.ssexporter.bench;

import dev.ssexporter.netlink.AddressFamily;
import dev.ssexporter.netlink.NetlinkException;
import dev.ssexporter.netlink.SocketRecord;
import dev.ssexporter.netlink.TcpInfo;
import dev.ssexporter.netlink.TcpInfoField;
import dev.ssexporter.netlink.internal.InetDiagParser;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * {@link InetDiagParser} alone, no kernel: parses a whole {@link SyntheticDump} of
 * {@code sockets} real-format messages from native memory into {@link SocketRecord}s. One
 * operation is one dump; divide the time by {@code sockets} for the cost per socket.
 * {@code parseAndRead} also reads the {@code tcp_info} members a full scrape reads from every
 * socket, so that the cost of decoding them when asked is counted too.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class ParseBenchmark {
    private static final int SEQ = 7;
    private static final int PORT_ID = 4242;

    @Param({"20000"})
    public int sockets;

    @Param({"INET"})
    public AddressFamily family;

    private Arena arena;
    private SyntheticDump dump;
    private InetDiagParser parser;

    @Setup(Level.Trial)
    public void setUp() throws NetlinkException {
        arena = Arena.ofShared();
        dump = SyntheticDump.build(family, sockets, SEQ, PORT_ID, arena);
        parser = new InetDiagParser();
        long parsed = parseAll(r -> { });
        if (parsed != sockets) {
            throw new IllegalStateException("parsed " + parsed + " sockets, expected " + sockets);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    @Benchmark
    public long parse(Blackhole bh) throws NetlinkException {
        return parseAll(bh::consume);
    }

    @Benchmark
    public long parseAndRead(Blackhole bh) throws NetlinkException {
        return parseAll(r -> {
            TcpInfo info = r.tcpInfo();
            if (info != null && info.has(TcpInfoField.RTT)) {
                bh.consume(info.get(TcpInfoField.RTT));
                bh.consume(info.getOrDefault(TcpInfoField.SND_CWND, 0));
                bh.consume(info.getOrDefault(TcpInfoField.DELIVERY_RATE, 0));
                bh.consume(info.getOrDefault(TcpInfoField.DATA_SEGS_IN, 0));
                bh.consume(info.getOrDefault(TcpInfoField.DATA_SEGS_OUT, 0));
                bh.consume(info.getOrDefault(TcpInfoField.BYTES_ACKED, 0));
                bh.consume(info.getOrDefault(TcpInfoField.BYTES_RECEIVED, 0));
                bh.consume(info.getOrDefault(TcpInfoField.TOTAL_RETRANS, 0));
            }
            bh.consume(r);
        });
    }

    private long parseAll(Consumer<? super SocketRecord> sink) throws NetlinkException {
        long n = 0;
        for (MemorySegment d : dump.datagrams()) {
            n += parser.parse(d, (int) d.byteSize(), SEQ, PORT_ID, family, sink).sockets();
        }
        return n;
    }
}
