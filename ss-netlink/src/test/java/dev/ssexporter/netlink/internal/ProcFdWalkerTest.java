package dev.ssexporter.netlink.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ProcFdWalker}'s {@code statx} reads on the real {@code /proc}: what counts as a socket. */
class ProcFdWalkerTest {
    /** {@code O_PATH}: a descriptor that names a file without opening it. */
    private static final int O_PATH = 0x200000;
    private static final int O_CLOEXEC = 0x80000;

    @TempDir
    Path dir;

    /**
     * A UNIX socket's path opened with {@code O_PATH} is a file of type {@code S_IFSOCK}, but on
     * the file system of the path, not sockfs, and its link text is the path: no socket, as for
     * {@code ss -p}. The listening socket itself, {@code socket:[N]}, is one.
     */
    @Test
    void anOPathDescriptorOfASocketFileIsNoSocket() throws Exception {
        Path file = dir.resolve("s.sock");
        int pid = (int) ProcessHandle.current().pid();
        try (ServerSocketChannel listener = ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX);
             Arena arena = Arena.ofConfined();
             ProcFdWalker walker = ProcFdWalker.open("/proc")) {
            listener.bind(UnixDomainSocketAddress.of(file));
            assertThat(Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther())
                    .as("a socket file").isTrue();
            int pathFd = LibC.open(arena, file.toString(), O_PATH | O_CLOEXEC, "open(" + file + ", O_PATH)");
            try {
                assertThat(walker.procfs()).isTrue();
                Path link = Path.of("/proc/self/fd", Integer.toString(pathFd));
                assertThat(Files.readSymbolicLink(link)).isEqualTo(file);
                long[] out = new long[1];
                assertThat(walker.socketInodes(pid, new int[] {pathFd}, 0, 1, out)).isZero();
                assertThat(walker.probe(pid, pathFd, pathFd + 1, 1, 1, out).sockets()).isZero();

                int sockets = 0;
                for (int fd : walker.descriptors(pid)) {
                    String text;
                    try {
                        text = Files.readSymbolicLink(Path.of("/proc/self/fd", Integer.toString(fd))).toString();
                    } catch (java.io.IOException e) {
                        continue;  // closed meanwhile (a directory stream's own descriptor)
                    }
                    int n = walker.socketInodes(pid, new int[] {fd}, 0, 1, out);
                    if (text.startsWith("socket:[")) {
                        sockets++;
                        assertThat(n).as("fd %d: %s", fd, text).isEqualTo(1);
                        assertThat("socket:[" + out[0] + "]").isEqualTo(text);
                    } else {
                        assertThat(n).as("fd %d: %s", fd, text).isZero();
                    }
                }
                assertThat(sockets).as("the listener at least").isPositive();
            } finally {
                LibC.closeQuietly(LibC.errnoState(arena), pathFd);
            }
        }
    }
}
