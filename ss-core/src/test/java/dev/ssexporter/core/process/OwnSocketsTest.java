package dev.ssexporter.core.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OwnSocketsTest {
    @TempDir
    Path fd;

    @Test
    void keepsOnlySocketLinks() throws IOException {
        Files.createSymbolicLink(fd.resolve("0"), Path.of("/dev/null"));
        Files.createSymbolicLink(fd.resolve("3"), Path.of("socket:[4026531993]"));
        Files.createSymbolicLink(fd.resolve("4"), Path.of("pipe:[77]"));
        Files.createSymbolicLink(fd.resolve("5"), Path.of("socket:[12]"));
        Files.createSymbolicLink(fd.resolve("6"), Path.of("anon_inode:[eventpoll]"));
        Files.createSymbolicLink(fd.resolve("7"), Path.of("socket:[x]"));
        Files.writeString(fd.resolve("8"), "not a link");
        OwnSockets.Inodes inodes = OwnSockets.of(fd).read();
        assertThat(inodes.size()).isEqualTo(2);
        assertThat(inodes.contains(12)).isTrue();
        assertThat(inodes.contains(4_026_531_993L)).isTrue();
        assertThat(inodes.contains(77)).isFalse();
        assertThat(inodes).hasToString("Inodes[12, 4026531993]");
    }

    @Test
    void aMissingTableIsAnError() {
        assertThatThrownBy(() -> OwnSockets.of(fd.resolve("gone")).read()).isInstanceOf(NoSuchFileException.class);
        assertThat(OwnSockets.Inodes.NONE.contains(0)).isFalse();
    }

    /** The kernel's own tables ({@code /proc/net/tcp}, {@code tcp6}) give the listener's inode to look for. */
    @Test
    void theJvmsOwnTableListsASocketItJustOpened() throws IOException {
        OwnSockets self = OwnSockets.self();
        long inode;
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            inode = inodeOfListener(server.getLocalPort());
            assertThat(inode).as("inode of port %d in /proc/net/tcp*", server.getLocalPort()).isPositive();
            assertThat(self.read().contains(inode)).isTrue();
        }
        assertThat(self.read().contains(inode)).as("closed").isFalse();
    }

    /** Columns: sl local_address rem_address st ... inode (10th); the port is hex after the colon. */
    private static long inodeOfListener(int port) throws IOException {
        String hexPort = String.format(":%04X", port);
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            for (String line : Files.readAllLines(Path.of(table))) {
                String[] cols = line.trim().split("\\s+");
                if (cols.length > 9 && cols[1].endsWith(hexPort) && cols[3].equals("0A")) {
                    return Long.parseLong(cols[9]);
                }
            }
        }
        return -1;
    }
}
