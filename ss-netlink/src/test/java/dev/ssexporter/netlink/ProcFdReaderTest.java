package dev.ssexporter.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ProcFdReader} on fake {@code /proc} trees, and on the real one against {@code ss -tinHpea}. */
class ProcFdReaderTest {
    @TempDir
    Path proc;

    /** A fake PID/fd with links named by descriptor number. */
    private Path process(int pid, String... targetsByFd) throws IOException {
        Path fd = Files.createDirectories(proc.resolve(Integer.toString(pid)).resolve("fd"));
        for (int i = 0; i < targetsByFd.length; i++) {
            Files.createSymbolicLink(fd.resolve(Integer.toString(i)), Path.of(targetsByFd[i]));
        }
        return fd;
    }

    /** Every socket inode of {@code pid}, read in chunks of {@code chunk}. */
    private static List<Long> sockets(ProcFdReader reader, int pid, int chunk) {
        int[] fds = reader.descriptors(pid);
        assertThat(fds).as("descriptors of %s", pid).isNotNull();
        List<Long> out = new ArrayList<>();
        long[] buffer = new long[chunk];
        for (int from = 0; from < fds.length; from += chunk) {
            int n = reader.socketInodes(pid, fds, from, Math.min(fds.length, from + chunk), buffer);
            assertThat(n).isBetween(0, chunk);
            for (int i = 0; i < n; i++) {
                out.add(buffer[i]);
            }
        }
        return out;
    }

    @Test
    void listsProcessesAndKeepsOnlySocketLinks() throws IOException {
        process(300, "/dev/null", "socket:[1001]", "pipe:[77]", "socket:[4294967295]", "anon_inode:[eventpoll]",
                "socket:[]", "socket:[12x]", "socket:[12", "/tmp/socket:[13]", "socket:[9223372036854775807]",
                "socket:[9223372036854775808]", "socket:[00042]");
        process(20, "socket:[5]");
        Files.createDirectories(proc.resolve("self"));
        Files.createDirectories(proc.resolve("1234567890"));  // ten digits: no pid
        Files.writeString(proc.resolve("uptime"), "1.0 2.0\n");

        try (ProcFdReader reader = ProcFdReader.open(proc)) {
            int[] pids = reader.processes();
            assertThat(pids).containsExactlyInAnyOrder(300, 20);
            assertThat(reader.descriptors(300)).containsExactlyInAnyOrder(IntStream.range(0, 12).toArray());
            assertThat(sockets(reader, 300, 64)).containsExactlyInAnyOrder(1001L, 4294967295L, 9223372036854775807L, 42L);
            assertThat(sockets(reader, 20, 1)).containsExactly(5L);
            assertThat(reader.lastError()).isEmpty();
        }
    }

    @Test
    void hugeDescriptorNumbersAndOddEntries() throws IOException {
        Path fd = process(7);
        Files.createSymbolicLink(fd.resolve("2147483647"), Path.of("socket:[71]"));
        Files.createSymbolicLink(fd.resolve("2147483648"), Path.of("socket:[72]"));  // not an int: left out
        Files.createSymbolicLink(fd.resolve("99999999999"), Path.of("socket:[73]"));
        Files.createSymbolicLink(fd.resolve("x1"), Path.of("socket:[74]"));
        Files.createDirectories(fd.resolve("5"));                                     // not a link: readlink fails
        Files.createSymbolicLink(fd.resolve("6"), Path.of("socket:[" + "1".repeat(300) + "]"));  // longer than the buffer
        Files.createSymbolicLink(fd.resolve("8"), Path.of("/" + "a".repeat(200)));
        try (ProcFdReader reader = ProcFdReader.open(proc)) {
            assertThat(reader.descriptors(7)).containsExactlyInAnyOrder(2147483647, 5, 6, 8);
            assertThat(sockets(reader, 7, 4)).containsExactly(71L);
        }
    }

    @Test
    void manyDescriptorsSpanSeveralDirectoryReads() throws IOException {
        int n = 5000;  // about 120 KiB of directory entries: several getdents64 calls
        String[] targets = new String[n];
        for (int i = 0; i < n; i++) {
            targets[i] = i % 5 == 0 ? "pipe:[" + i + "]" : "socket:[" + (100_000 + i) + "]";
        }
        process(42, targets);
        try (ProcFdReader reader = ProcFdReader.open(proc)) {
            List<Long> found = sockets(reader, 42, 256);
            Set<Long> expected = new HashSet<>();
            for (int i = 0; i < n; i++) {
                if (i % 5 != 0) {
                    expected.add(100_000L + i);
                }
            }
            assertThat(found).hasSize(expected.size());
            assertThat(new HashSet<>(found)).isEqualTo(expected);
        }
    }

    @Test
    void vanishedOrUnreadableProcessesAnswerNullOrMinusOne() throws IOException {
        Path fd = process(10, "socket:[100]");
        Files.createDirectories(proc.resolve("11"));                   // exited: no fd directory
        Files.writeString(Files.createDirectories(proc.resolve("12")).resolve("fd"), "not a directory");
        try (ProcFdReader reader = ProcFdReader.open(proc)) {
            assertThat(reader.descriptors(11)).isNull();
            assertThat(reader.lastError()).isEqualTo("ENOENT");
            assertThat(reader.descriptors(12)).isNull();
            assertThat(reader.lastError()).isEqualTo("ENOTDIR");
            assertThat(reader.descriptors(99)).isNull();

            int[] fds = reader.descriptors(10);
            assertThat(fds).containsExactly(0);
            // The process exits between the listing and the reads.
            Files.delete(fd.resolve("0"));
            Files.delete(fd);
            assertThat(reader.socketInodes(10, fds, 0, 1, new long[1])).isEqualTo(-1);
            assertThat(reader.lastError()).isEqualTo("ENOENT");
        }
    }

    @Test
    void descriptorClosedBetweenListingAndReadingIsLeftOut() throws IOException {
        Path fd = process(10, "socket:[100]", "socket:[101]");
        try (ProcFdReader reader = ProcFdReader.open(proc)) {
            int[] fds = reader.descriptors(10);
            Files.delete(fd.resolve("0"));
            long[] out = new long[2];
            assertThat(reader.socketInodes(10, fds, 0, 2, out)).isEqualTo(1);
            assertThat(out[0]).isEqualTo(101);
        }
    }

    @Test
    void badArgumentsAndMissingRootFailClearly() throws IOException {
        assertThatThrownBy(() -> ProcFdReader.open(proc.resolve("nope")))
                .isInstanceOf(ErrnoException.class)
                .hasMessageContaining("nope")
                .hasMessageContaining("ENOENT");
        process(10, "socket:[100]");
        try (ProcFdReader reader = ProcFdReader.open(proc)) {
            int[] fds = reader.descriptors(10);
            assertThatThrownBy(() -> reader.socketInodes(10, fds, 0, 1, new long[0]))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("room for 0");
            assertThatThrownBy(() -> reader.socketInodes(10, fds, 0, 2, new long[2]))
                    .isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> reader.descriptors(0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pid 0");
        }
    }

    @Test
    void aFakeTreeIsListedNotProbed() throws IOException {
        process(10, "socket:[100]", "socket:[101]", "pipe:[5]", "socket:[103]");
        try (ProcFdReader reader = ProcFdReader.open(proc)) {
            assertThat(reader.procfs()).isFalse();
            assertThat(reader.descriptorCount(10)).as("unknown outside procfs: list instead").isZero();
            assertThat(reader.descriptors(10, 2)).containsExactlyInAnyOrder(2, 3);
            assertThat(reader.descriptors(10, 9)).isEmpty();
            assertThat(reader.descriptors(11, 0)).isNull();
            assertThatThrownBy(() -> reader.descriptors(10, -1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> reader.probe(10, 0, 4, 4, 4, new long[4]))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("not procfs");
        }
    }

    /**
     * The real {@code /proc}: this JVM's descriptors looked up by number ({@code statx}) give the
     * same sockets as their link texts read through NIO, the count procfs reports is the listing's
     * length, and a listing from a number leaves out the descriptors before it.
     */
    @Test
    void probingOwnDescriptorsFindsWhatTheLinksSay() throws Exception {
        int pid = (int) ProcessHandle.current().pid();
        try (Loopback a = Loopback.ipv4(); Loopback b = Loopback.ipv4();
             ProcFdReader reader = ProcFdReader.open(Path.of("/proc"))) {
            assertThat(reader.procfs()).isTrue();
            Set<Long> expected = socketLinks(pid);
            assertThat(expected).as("two listeners, two clients, two accepted: %s %s", a, b).hasSizeGreaterThanOrEqualTo(6);
            int[] listed = reader.descriptors(pid);
            int count = reader.descriptorCount(pid);
            assertThat(count).as("open descriptors in the size of /proc/%d/fd (Linux 6.2 and later)", pid)
                    .isBetween(listed.length - 2, listed.length + 2);
            int max = IntStream.of(listed).max().orElseThrow();
            long[] out = new long[max + 100];
            FdProbe all = reader.probe(pid, 0, max + 1, Integer.MAX_VALUE, Integer.MAX_VALUE, out);
            assertThat(all.failed()).isFalse();
            assertThat(all.next()).isEqualTo(max + 1);
            assertThat(all.open() + all.absent()).isEqualTo(max + 1);
            Set<Long> probed = new HashSet<>();
            for (int i = 0; i < all.sockets(); i++) {
                probed.add(out[i]);
            }
            assertThat(probed).isEqualTo(expected);
            assertThat(new HashSet<>(sockets(reader, pid, 256))).as("listed, then read with statx").isEqualTo(expected);

            FdProbe three = reader.probe(pid, 0, max + 1, 3, Integer.MAX_VALUE, out);
            assertThat(three.open()).isEqualTo(3);
            assertThat(three.next()).isLessThanOrEqualTo(max + 1);
            FdProbe oneAbsent = reader.probe(pid, max + 1, max + 100, Integer.MAX_VALUE, 1, out);
            assertThat(oneAbsent).isEqualTo(new FdProbe(0, max + 2, 0, 1));

            int middle = listed[listed.length / 2];
            assertThat(reader.descriptors(pid, middle)).containsExactlyInAnyOrder(
                    IntStream.of(reader.descriptors(pid)).filter(fd -> fd >= middle).toArray());
            assertThat(reader.probe(999_999_999, 0, 4, 4, 4, out).failed()).isTrue();
            assertThat(reader.descriptorCount(999_999_999)).isEqualTo(-1);
            assertThat(reader.lastError()).isEqualTo("ENOENT");
        }
    }

    /** The socket inodes of {@code pid}'s descriptors, from their link texts read through NIO. */
    private static Set<Long> socketLinks(int pid) throws IOException {
        Set<Long> out = new HashSet<>();
        try (var fds = Files.newDirectoryStream(Path.of("/proc", Integer.toString(pid), "fd"))) {
            for (Path fd : fds) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (IOException e) {
                    continue;  // closed meanwhile (the directory stream's own descriptor)
                }
                if (target.startsWith("socket:[")) {
                    out.add(Long.parseLong(target.substring("socket:[".length(), target.length() - 1)));
                }
            }
        }
        return out;
    }

    /**
     * The real {@code /proc}: this JVM's loopback connection and listener, found among its own
     * descriptors, are the sockets {@code ss -tinHpea} reports for their port with this pid.
     */
    @Test
    void ownSocketsEqualWhatSsReports() throws Exception {
        int pid = (int) ProcessHandle.current().pid();
        try (Loopback l = Loopback.ipv4(); ProcFdReader reader = ProcFdReader.open(Path.of("/proc"))) {
            Set<Long> fromSs = new HashSet<>();
            for (SsCommand.SsSocket s : SsCommand.run("( sport = :" + l.port() + " or dport = :" + l.port() + " )")) {
                fromSs.add(s.number("ino", -1));
            }
            assertThat(fromSs).as("listener, client and accepted socket").hasSize(3).doesNotContain(-1L);
            assertThat(IntStream.of(reader.processes()).boxed().toList()).contains(pid);
            Set<Long> ours = new HashSet<>(sockets(reader, pid, 256));
            assertThat(ours).containsAll(fromSs);
        }
    }
}
