package dev.ssexporter.bench;

import dev.ssexporter.core.config.ConfigException;
import dev.ssexporter.core.config.ConfigLoader;
import dev.ssexporter.core.engine.FlowSample;
import dev.ssexporter.core.engine.SocketStatsEngine;
import dev.ssexporter.exporter.internal.Family;
import dev.ssexporter.exporter.internal.FlowLabels;
import dev.ssexporter.exporter.internal.FlowTextWriter;
import dev.ssexporter.exporter.internal.ExpositionFormat;
import dev.ssexporter.exporter.internal.ScrapeSnapshots;
import dev.ssexporter.netlink.NetlinkException;
import dev.ssexporter.netlink.SocketSource;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The text of a scrape's per-flow families: {@link FlowTextWriter} writing the five families of
 * the {@code sockets} flows one {@link SocketStatsEngine#collect()} made of the
 * {@link SyntheticDump} ({@code raw_endpoint} labels, every flow), into a stream that discards the
 * bytes (or into gzip first). No kernel, no HTTP: what a scrape spends after the collection,
 * minus the server's chunking and the socket writes.
 *
 * <ul>
 *   <li>{@code families}: the five families, the labels encoded once ({@link FlowLabels}), as a
 *       scrape does;
 *   <li>{@code labels}: encoding the labels alone;
 *   <li>{@code familiesGzip}: {@code families} through {@code GZIPOutputStream} at {@code level}.
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class TextBenchmark {
    @Param({"20000"})
    public int sockets;

    /** The deflate level of {@code familiesGzip}: 1 is the exporter's, 6 zlib's default. */
    @Param({"1"})
    public int level;

    private List<FlowSample> flows;
    private FlowTextWriter writer;
    private final CountingStream sink = new CountingStream();

    @Setup(Level.Trial)
    public void setUp() throws NetlinkException, ConfigException {
        SocketSource source = ReplayedDump.of(sockets);
        try (SocketStatsEngine engine = SocketStatsEngine.builder()
                .config(ConfigLoader.parse("logic: {}\n", "default")).source(source).build()) {
            flows = ScrapeSnapshots.sortedFlows(engine.collect().flows());
        }
        writer = FlowTextWriter.of(ExpositionFormat.of(PrometheusTextFormatWriter.create()).orElseThrow(), EscapingScheme.DEFAULT);
    }

    @Benchmark
    public long families() throws IOException {
        sink.count = 0;
        writeFamilies(sink);
        return sink.count;
    }

    @Benchmark
    public FlowLabels labels() {
        return FlowLabels.of(flows);
    }

    @Benchmark
    public long familiesGzip() throws IOException {
        sink.count = 0;
        GZIPOutputStream gzip = new GZIPOutputStream(sink, 16 * 1024) {
            {
                def.setLevel(level);
            }
        };
        writeFamilies(gzip);
        gzip.finish();
        gzip.close();
        return sink.count;
    }

    private void writeFamilies(OutputStream out) throws IOException {
        FlowLabels labels = FlowLabels.of(flows);
        for (Family f : ScrapeSnapshots.PER_FLOW) {
            writer.write(out, f, flows, labels);
        }
    }

    /** Discards the bytes, counting them. */
    private static final class CountingStream extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }
}
