package dev.ssexporter.core.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ssexporter.netlink.ProcFdReader;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ProbedFds} on this JVM's own descriptors in the real {@code /proc}, with the count procfs
 * reports and with counts that went stale: whatever the count, the sockets found are those the
 * links name (a count too high ends in a listing, not in probing on to the budget).
 */
class ProbedFdsTest {
    private static final Path PROC = Path.of("/proc");
    private final int pid = (int) ProcessHandle.current().pid();
    private final List<ServerSocketChannel> listeners = new ArrayList<>();

    @BeforeEach
    void openSockets() throws IOException {
        for (int i = 0; i < 300; i++) {  // more than a chunk of numbers
            ServerSocketChannel s = ServerSocketChannel.open();
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            listeners.add(s);
        }
    }

    @AfterEach
    void closeSockets() throws IOException {
        for (ServerSocketChannel s : listeners) {
            s.close();
        }
    }

    @Test
    void findsWhatTheLinksNameWithTheReportedCount() throws IOException {
        try (ProcFdReader reader = ProcFdReader.open(PROC)) {
            assertThat(reader.procfs()).isTrue();
            int count = reader.descriptorCount(pid);
            assertThat(count).as("open descriptors in the size of /proc/%d/fd (Linux 6.2 and later)", pid)
                    .isGreaterThan(300);
            assertThat(drain(reader, count)).isEqualTo(socketLinks());
        }
    }

    @Test
    void aCountTooHighEndsInAListingAndStillFindsEverySocket() throws IOException {
        try (ProcFdReader reader = ProcFdReader.open(PROC)) {
            int count = reader.descriptorCount(pid);
            assertThat(drain(reader, count + 40)).isEqualTo(socketLinks());
            assertThat(drain(reader, 4 * count)).isEqualTo(socketLinks());
        }
    }

    @Test
    void aHoleLargerThanTheBudgetIsListedPast() throws IOException {
        for (int i = 20; i < 200; i++) {  // a run of unused numbers inside the table
            listeners.get(i).close();
        }
        try (ProcFdReader reader = ProcFdReader.open(PROC)) {
            assertThat(drain(reader, reader.descriptorCount(pid))).isEqualTo(socketLinks());
        }
    }

    @Test
    void budgetsAndBadCounts() {
        assertThat(ProbedFds.absentBudget(1)).isEqualTo(2);
        assertThat(ProbedFds.absentBudget(10_000)).isEqualTo(2_502);
        assertThat(ProbedFds.RANGE_ABSENT).isEqualTo(FdWalk.CHUNK / 4);
        assertThatThrownBy(() -> new ProbedFds(1, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("count 0");
    }

    /** The socket inodes a {@link ProbedFds} of this JVM finds, told {@code count} descriptors are open. */
    private Set<Long> drain(ProcFdReader reader, int count) throws IOException {
        FdWalk walk = FdWalk.start(PROC, inode -> true, 0);  // no helpers: nothing walks unless asked
        FdWalk.Found found = new FdWalk.Found();
        new ProbedFds(pid, count).drain(walk, reader, new long[FdWalk.CHUNK], found);
        assertThat(found.lostCount).isZero();
        Set<Long> inodes = new HashSet<>();
        for (int i = 0; i < found.size; i++) {
            assertThat(found.pids[i]).isEqualTo(pid);
            inodes.add(found.inodes[i]);
        }
        return inodes;
    }

    /** This JVM's socket inodes, from the link texts read through NIO. */
    private Set<Long> socketLinks() throws IOException {
        Set<Long> out = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(PROC.resolve(Integer.toString(pid)).resolve("fd"))) {
            for (Path fd : fds) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (IOException e) {
                    continue;  // the directory stream's own descriptor, closed meanwhile
                }
                if (target.startsWith("socket:[")) {
                    out.add(Long.parseLong(target.substring("socket:[".length(), target.length() - 1)));
                }
            }
        }
        return out;
    }
}
