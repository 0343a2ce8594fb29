package dev.ssexporter.bench;

import dev.ssexporter.netlink.DumpQuery;
import dev.ssexporter.netlink.DumpStats;
import dev.ssexporter.netlink.SockDiagReader;
import dev.ssexporter.netlink.SocketRecord;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * A live dump from the kernel through {@link SockDiagReader}: request, every {@code recvmsg}, and
 * parsing, for whatever sockets the machine has. Run it while {@code bench/loadgen.sh start 10000}
 * holds 20,000 sockets; the set-up prints how many sockets one dump returns, so the cost per
 * socket is the time per operation divided by that.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class LiveDumpBenchmark {
    private static final DumpQuery CONNECTED = DumpQuery.connected();
    private static final DumpQuery CONNECTED_NO_EXTENSIONS =
            new DumpQuery(CONNECTED.families(), CONNECTED.states(), false);

    private SockDiagReader reader;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        reader = SockDiagReader.open();
        DumpStats s = reader.dump(CONNECTED, r -> { });
        System.out.printf("%nLiveDumpBenchmark: one connected dump = %d sockets, %d messages, %d bytes%n",
                s.sockets(), s.messages(), s.bytes());
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        reader.close();
    }

    /** The streaming dump the exporter does per scrape: records go straight to the consumer. */
    @Benchmark
    public DumpStats dumpConnected(Blackhole bh) throws IOException {
        return reader.dump(CONNECTED, bh::consume);
    }

    /** The same into a list, as {@code ss-exporter dump} does. */
    @Benchmark
    public List<SocketRecord> dumpAllConnected() throws IOException {
        return reader.dumpAll(CONNECTED);
    }

    /** Without tcp_info, cong and meminfo: how much the extensions cost the kernel and the parser. */
    @Benchmark
    public DumpStats dumpConnectedNoExtensions(Blackhole bh) throws IOException {
        return reader.dump(CONNECTED_NO_EXTENSIONS, bh::consume);
    }
}
