import dev.ssexporter.netlink.DumpQuery;
import dev.ssexporter.netlink.SockDiagReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What opening a reader inside a network namespace costs, and one dump through it afterwards:
 * {@code java --enable-native-access=ALL-UNNAMED -cp ss-cli/target/ss-exporter.jar
 * bench/NetnsOpenCost.java ROUNDS NSFILE...}. Prints the median and the 90th percentile in
 * microseconds of SockDiagReader.open() (own namespace), openInNamespace(NSFILE) and a
 * connected-states dump through each. See docs/performance.md, "Network namespaces".
 */
public final class NetnsOpenCost {
    public static void main(String[] args) throws Exception {
        int rounds = Integer.parseInt(args[0]);
        List<Path> files = Arrays.stream(args).skip(1).map(Path::of).toList();
        List<Long> own = new ArrayList<>();
        List<Long> entered = new ArrayList<>();
        List<Long> dump = new ArrayList<>();
        for (int warm = 0; warm < 2; warm++) {
            run(files, Math.max(1, rounds / 10), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        }
        run(files, rounds, own, entered, dump);
        print("open() in the own namespace", own);
        print("openInNamespace(file)", entered);
        print("first dump, connected states", dump);
    }

    private static void run(List<Path> files, int rounds, List<Long> own, List<Long> entered, List<Long> dump)
            throws Exception {
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            try (SockDiagReader ignored = SockDiagReader.open()) {
                own.add(System.nanoTime() - t0);
            }
            for (Path f : files) {
                long t1 = System.nanoTime();
                try (SockDiagReader reader = SockDiagReader.openInNamespace(f)) {
                    long t2 = System.nanoTime();
                    reader.dumpAll(DumpQuery.connected());
                    entered.add(t2 - t1);
                    dump.add(System.nanoTime() - t2);
                }
            }
        }
    }

    private static void print(String what, List<Long> nanos) {
        long[] s = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf("%-32s n=%-5d median %7.1f us   p90 %7.1f us%n", what, s.length,
                s[s.length / 2] / 1e3, s[(int) (s.length * 0.9)] / 1e3);
    }
}
