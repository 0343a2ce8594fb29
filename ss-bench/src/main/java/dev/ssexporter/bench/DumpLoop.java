package dev.ssexporter.bench;

import dev.ssexporter.netlink.DumpExtension;
import dev.ssexporter.netlink.DumpQuery;
import dev.ssexporter.netlink.DumpStats;
import dev.ssexporter.netlink.SockDiagReader;
import dev.ssexporter.netlink.SocketRecord;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.function.Consumer;

/**
 * Times live dumps (request, {@code recvmsg}, parse) in one warm JVM, the way the exporter runs
 * them: one {@link SockDiagReader}, {@link DumpQuery#connected()}, records streamed to a consumer
 * that reads a field of each.
 *
 * <p>Standalone: {@code DumpLoop [--warmup 20] [--iterations 30]} warms up, times the dumps and
 * prints the median and p90 wall time, thread CPU time and microseconds per socket.
 *
 * <p>Served, for {@code bench/run.sh} and {@code bench/scale.sh}, which interleave it with
 * {@code ss}: {@code DumpLoop --serve} reads commands from stdin, one per line, and answers each with one line on stdout:
 * {@code warmup N} (N dumps of each query) answers {@code ok N}; {@code dump} (all extensions) and
 * {@code dump-info} ({@code INET_DIAG_INFO} only, what the exporter asks for) answer
 * {@code <wall ns> <thread cpu ns> <sockets> <bytes>}; {@code quit} (or end of input) exits.
 */
public final class DumpLoop {
    private static final DumpQuery QUERY = DumpQuery.connected();
    /** What the exporter asks for: {@code tcp_info} only, no filter. */
    private static final DumpQuery INFO_ONLY = QUERY.withExtensions(EnumSet.of(DumpExtension.INFO));

    private final SockDiagReader reader;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private long checksum;
    private final Consumer<SocketRecord> sink = r -> checksum += r.localPort() + r.remotePort();

    private DumpLoop(SockDiagReader reader) {
        this.reader = reader;
    }

    /** One timed dump: wall ns, thread CPU ns (user + system), sockets, bytes. */
    private long[] dumpOnce() throws IOException {
        return dumpOnce(QUERY);
    }

    /** One timed dump of {@code query}: wall ns, thread CPU ns (user + system), sockets, bytes. */
    private long[] dumpOnce(DumpQuery query) throws IOException {
        long cpu0 = threads.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        DumpStats s = reader.dump(query, sink);
        long wall = System.nanoTime() - t0;
        long cpu = threads.getCurrentThreadCpuTime() - cpu0;
        return new long[] {wall, cpu, s.sockets(), s.bytes()};
    }

    public static void main(String[] args) throws IOException {
        boolean serve = false;
        int warmup = 20;
        int iterations = 30;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--serve" -> serve = true;
                case "--warmup" -> warmup = positive("--warmup", args, ++i);
                case "--iterations" -> iterations = positive("--iterations", args, ++i);
                default -> {
                    System.err.println("DumpLoop: unknown argument " + args[i]
                            + "; usage: DumpLoop [--warmup N] [--iterations N] | --serve");
                    System.exit(2);
                }
            }
        }
        try (SockDiagReader reader = SockDiagReader.open()) {
            DumpLoop loop = new DumpLoop(reader);
            if (serve) {
                loop.serve();
            } else {
                loop.standalone(warmup, iterations);
            }
            System.err.println("DumpLoop: checksum " + loop.checksum);
        }
    }

    private void serve() throws IOException {
        PrintStream out = System.out;
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            String[] cmd = line.trim().split("\\s+");
            switch (cmd[0]) {
                case "warmup" -> {
                    int n = Integer.parseInt(cmd[1]);
                    for (int i = 0; i < n; i++) {
                        dumpOnce(QUERY);
                        dumpOnce(INFO_ONLY);
                    }
                    out.println("ok " + n);
                }
                case "dump", "dump-info" -> {
                    long[] r = dumpOnce(cmd[0].equals("dump") ? QUERY : INFO_ONLY);
                    out.println(r[0] + " " + r[1] + " " + r[2] + " " + r[3]);
                }
                case "quit" -> {
                    return;
                }
                default -> out.println("error unknown command: " + line);
            }
            out.flush();
        }
    }

    private void standalone(int warmup, int iterations) throws IOException {
        for (int i = 0; i < warmup; i++) {
            dumpOnce();
        }
        long[] wall = new long[iterations];
        long[] cpu = new long[iterations];
        long sockets = 0;
        for (int i = 0; i < iterations; i++) {
            long[] r = dumpOnce();
            wall[i] = r[0];
            cpu[i] = r[1];
            sockets = r[2];
        }
        Arrays.sort(wall);
        Arrays.sort(cpu);
        long med = wall[(iterations - 1) / 2];
        System.out.printf("DumpLoop: %d sockets, %d dumps after %d warm-up: wall median %.2f ms, p90 %.2f ms; "
                        + "thread CPU median %.2f ms; %.3f us/socket (median wall)%n",
                sockets, iterations, warmup, med / 1e6, wall[nearestRank(iterations, 0.9)] / 1e6,
                cpu[(iterations - 1) / 2] / 1e6, sockets == 0 ? 0.0 : med / 1e3 / sockets);
    }

    private static int nearestRank(int n, double p) {
        return Math.max(0, (int) Math.ceil(p * n) - 1);
    }

    private static int positive(String name, String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(name + " needs a value");
        }
        int v = Integer.parseInt(args[i]);
        if (v < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, got " + v);
        }
        return v;
    }
}
