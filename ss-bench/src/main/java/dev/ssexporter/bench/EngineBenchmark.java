package dev.ssexporter.bench;

import dev.ssexporter.core.config.ConfigException;
import dev.ssexporter.core.config.ConfigLoader;
import dev.ssexporter.core.engine.Scrape;
import dev.ssexporter.core.engine.SocketStatsEngine;
import dev.ssexporter.netlink.NetlinkException;
import dev.ssexporter.netlink.SocketRecord;
import dev.ssexporter.netlink.SocketSource;
import java.util.concurrent.TimeUnit;
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

/**
 * {@link SocketStatsEngine#collect()} without a kernel: selection, label folding and the RTT
 * histogram over {@code sockets} pre-built {@link SocketRecord}s (the {@link SyntheticDump}
 * parsed once), served by a {@link SocketSource} that replays them and ignores the query's filter.
 * One operation is one scrape's engine pass; the exposition text is not written.
 *
 * <p>{@code config}: {@code default} exports every flow with {@code raw_endpoint} labels;
 * {@code ports1pct} selects remote ports 5000-5199, 200 of the synthetic dump's 20,000 sockets
 * (1%), the selection done in Java since this source ignores the kernel filter.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class EngineBenchmark {
    @Param({"20000"})
    public int sockets;

    @Param({"default", "ports1pct"})
    public String config;

    private SocketStatsEngine engine;

    @Setup(Level.Trial)
    public void setUp() throws NetlinkException, ConfigException {
        SocketSource source = ReplayedDump.of(sockets);
        String yaml = switch (config) {
            case "default" -> "logic: {}\n";
            case "ports1pct" -> "logic:\n  selection:\n    portRanges:\n      - { lower: 5000, upper: 5199 }\n";
            default -> throw new IllegalArgumentException("unknown config " + config);
        };
        engine = SocketStatsEngine.builder().config(ConfigLoader.parse(yaml, config)).source(source).build();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        engine.close();
    }

    @Benchmark
    public Scrape collect() {
        return engine.collect();
    }
}
