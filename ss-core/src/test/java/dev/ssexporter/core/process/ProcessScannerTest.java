package dev.ssexporter.core.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessScannerTest {

    @TempDir
    Path proc;

    /** A fake /proc/PID with the given fd link targets, comm and exe target (null: no exe link). */
    private Path process(int pid, String comm, String exe, String... fdTargets) throws IOException {
        Path dir = Files.createDirectories(proc.resolve(Integer.toString(pid)));
        Path fd = Files.createDirectories(dir.resolve("fd"));
        for (int i = 0; i < fdTargets.length; i++) {
            Files.createSymbolicLink(fd.resolve(Integer.toString(i)), Path.of(fdTargets[i]));
        }
        Files.writeString(dir.resolve("comm"), comm + "\n");
        if (exe != null) {
            Files.createSymbolicLink(dir.resolve("exe"), Path.of(exe));
        }
        return dir;
    }

    @Test
    void mapsSocketInodesToSortedOwners() throws IOException {
        process(300, "nginx", "/usr/sbin/nginx", "/dev/null", "socket:[1001]", "pipe:[77]", "socket:[1002]");
        process(20, "nginx", "/usr/sbin/nginx", "socket:[1001]", "anon_inode:[eventpoll]");
        process(1, "systemd", "/usr/lib/systemd/systemd", "socket:[1001]", "socket:[9]");
        process(42, "bash", "/usr/bin/bash", "/dev/pts/0", "pipe:[5]");
        Files.createDirectories(proc.resolve("self"));
        Files.createDirectories(proc.resolve("net"));
        Files.writeString(proc.resolve("uptime"), "1.0 2.0\n");

        ProcessTable t = ProcessScanner.scan(proc);

        assertThat(t.owners(1001).pidList()).isEqualTo("1,20,300");
        assertThat(t.owners(1002).pidList()).isEqualTo("300");
        assertThat(t.owners(9).get(0)).isEqualTo(new ProcessInfo(1, "systemd", "systemd"));
        assertThat(t.owners(77).isEmpty()).as("pipes are not sockets").isTrue();
        assertThat(t.owners(0)).isSameAs(SocketOwners.none());
        assertThat(t.socketCount()).isEqualTo(3);
        assertThat(t.processCount()).as("bash holds no socket and is not recorded").isEqualTo(3);
        assertThat(t.process(42)).isEmpty();
        assertThat(t.process(300)).contains(new ProcessInfo(300, "nginx", "nginx"));
        assertThat(t.skipped()).isZero();
    }

    @Test
    void commAndExeBasenameBothKept() throws IOException {
        process(7, "worker", "/usr/lib/postgresql/16/bin/postgres", "socket:[5]");
        process(8, "python3", "/opt/app/venv/bin/python3.12 (deleted)", "socket:[6]");
        process(9, "kworker", null, "socket:[7]");
        ProcessTable t = ProcessScanner.scan(proc);
        assertThat(t.process(7)).contains(new ProcessInfo(7, "worker", "postgres"));
        assertThat(t.process(8)).contains(new ProcessInfo(8, "python3", "python3.12"));
        assertThat(t.process(9)).contains(new ProcessInfo(9, "kworker", null));
        assertThat(t.process(7).orElseThrow().isNamed("postgres")).isTrue();
        assertThat(t.process(7).orElseThrow().isNamed("worker")).isTrue();
        assertThat(t.process(9).orElseThrow().isNamed("kworker")).isTrue();
        assertThat(t.skipped()).isZero();
    }

    @Test
    void countsProcessesThatVanishedOrDenyAccess() throws IOException {
        process(10, "ok", "/bin/ok", "socket:[100]");
        // vanished between the listing and the reads: the directory has no fd/ and no comm
        Files.createDirectories(proc.resolve("11"));
        // fd/ readable, but comm gone (exited after its fds were read)
        Path half = process(12, "gone", "/bin/gone", "socket:[120]");
        Files.delete(half.resolve("comm"));
        boolean root = "root".equals(System.getProperty("user.name"));
        Path locked = process(13, "secret", "/bin/secret", "socket:[130]");
        Files.setPosixFilePermissions(locked.resolve("fd"), PosixFilePermissions.fromString("---------"));
        try {
            ProcessTable t = ProcessScanner.scan(proc);
            assertThat(t.owners(100).pidList()).isEqualTo("10");
            assertThat(t.owners(120).isEmpty()).isTrue();
            if (root) {
                // root reads through permission bits, so only 11 and 12 are skipped
                assertThat(t.skipped()).isEqualTo(2);
            } else {
                assertThat(t.owners(130).isEmpty()).isTrue();
                assertThat(t.skipped()).isEqualTo(3);
            }
        } finally {
            Files.setPosixFilePermissions(locked.resolve("fd"), PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void danglingFdLinksAreIgnoredNotCounted() throws IOException {
        Path dir = process(10, "ok", "/bin/ok", "socket:[100]");
        Files.createDirectories(dir.resolve("fd").resolve("99"));  // not a link: readlink fails
        ProcessTable t = ProcessScanner.scan(proc);
        assertThat(t.owners(100).pidList()).isEqualTo("10");
        assertThat(t.skipped()).isZero();
    }

    @Test
    void missingRootThrows() {
        assertThatThrownBy(() -> ProcessScanner.scan(proc.resolve("nope"))).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void parsesNamesAndTargets() {
        assertThat(ProcessScanner.parsePid("1")).isEqualTo(1);
        assertThat(ProcessScanner.parsePid("4194304")).isEqualTo(4194304);
        assertThat(ProcessScanner.parsePid("self")).isEqualTo(-1);
        assertThat(ProcessScanner.parsePid("")).isEqualTo(-1);
        assertThat(ProcessScanner.parsePid("12a")).isEqualTo(-1);
        assertThat(ProcessScanner.parsePid("1234567890")).isEqualTo(-1);
        assertThat(ProcessScanner.parseSocketInode("socket:[12345]")).isEqualTo(12345);
        assertThat(ProcessScanner.parseSocketInode("socket:[4294967295]")).isEqualTo(4294967295L);
        assertThat(ProcessScanner.parseSocketInode("socket:[]")).isEqualTo(-1);
        assertThat(ProcessScanner.parseSocketInode("socket:[12x]")).isEqualTo(-1);
        assertThat(ProcessScanner.parseSocketInode("socket:[12")).isEqualTo(-1);
        assertThat(ProcessScanner.parseSocketInode("pipe:[12]")).isEqualTo(-1);
        assertThat(ProcessScanner.parseSocketInode("/tmp/socket:[12]")).isEqualTo(-1);
    }

    /**
     * The real /proc: the test JVM's own listening socket is found, owned by this pid. Its inode
     * comes from {@code /proc/net/tcp*} (by port) and must be among the socket links of
     * {@code /proc/self/fd}; the JVM may open other sockets of its own at the same time.
     */
    @Test
    void findsOwnSocketInRealProc() throws IOException {
        Path self = Path.of("/proc/self/fd");
        assertThat(self).as("this test reads the real Linux /proc").isDirectory();
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            long inode = listeningInode(server.getLocalPort());
            assertThat(socketInodes(self)).contains(inode);

            ProcessTable t = ProcessScanner.scan(Path.of("/proc"));

            int pid = (int) ProcessHandle.current().pid();
            SocketOwners owners = t.owners(inode);
            assertThat(owners.size()).isEqualTo(1);
            assertThat(owners.get(0).pid()).isEqualTo(pid);
            assertThat(owners.get(0).exeName()).isEqualTo("java");
            assertThat(owners.get(0).comm()).isNotEmpty();
            assertThat(t.process(pid)).contains(owners.get(0));
        }
    }

    /** The inode of the LISTEN socket on {@code port}, from /proc/net/tcp and tcp6. */
    private static long listeningInode(int port) throws IOException {
        String hexPort = String.format(":%04X", port);
        for (String file : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
            for (String line : Files.readAllLines(Path.of(file))) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 9 && f[1].endsWith(hexPort) && f[3].equals("0A")) {
                    return Long.parseLong(f[9]);
                }
            }
        }
        throw new AssertionError("no LISTEN socket on port " + port + " in /proc/net/tcp*");
    }

    private static Set<Long> socketInodes(Path fdDir) throws IOException {
        Set<Long> out = new HashSet<>();
        try (var fds = Files.newDirectoryStream(fdDir)) {
            for (Path fd : fds) {
                try {
                    long inode = ProcessScanner.parseSocketInode(Files.readSymbolicLink(fd).toString());
                    if (inode > 0) {
                        out.add(inode);
                    }
                } catch (IOException e) {
                    // the directory stream's own fd, closed meanwhile
                }
            }
        }
        return out;
    }
}
