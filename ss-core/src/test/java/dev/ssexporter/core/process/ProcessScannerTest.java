package dev.ssexporter.core.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
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
    void processesWithMoreDescriptorsThanAChunkAreReadWhole() throws IOException {
        String[] big = new String[FdWalk.CHUNK * 4 + 3];
        for (int i = 0; i < big.length; i++) {
            big[i] = i % 7 == 0 ? "pipe:[" + i + "]" : "socket:[" + (10_000 + i) + "]";
        }
        process(500, "proxy", "/usr/bin/proxy", big);
        String[] other = new String[FdWalk.CHUNK + 1];
        for (int i = 0; i < other.length; i++) {
            other[i] = "socket:[" + (50_000 + i) + "]";
        }
        process(501, "db", "/usr/bin/db", other);
        ProcessScanner scanner = ProcessScanner.create(proc);
        for (int round = 0; round < 3; round++) {
            ProcessTable t = scanner.scan();
            for (int i = 0; i < big.length; i++) {
                assertThat(t.owners(10_000 + i).pidList()).isEqualTo(i % 7 == 0 ? "" : "500");
            }
            for (int i = 0; i < other.length; i++) {
                assertThat(t.owners(50_000 + i).pidList()).isEqualTo("501");
            }
            assertThat(t.socketCount()).isEqualTo(big.length - (big.length + 6) / 7 + other.length);
            assertThat(t.skipped()).isZero();
        }
    }

    @Test
    void helperThreadsFollowThePropertyWithinBounds() {
        String before = System.getProperty(ProcessScanner.HELPERS_PROPERTY);
        try {
            System.setProperty(ProcessScanner.HELPERS_PROPERTY, "0");
            assertThat(ProcessScanner.helpers()).isZero();
            System.setProperty(ProcessScanner.HELPERS_PROPERTY, "99");
            assertThat(ProcessScanner.helpers()).isEqualTo(3);
            System.clearProperty(ProcessScanner.HELPERS_PROPERTY);
            assertThat(ProcessScanner.helpers())
                    .isEqualTo(Math.clamp(Runtime.getRuntime().availableProcessors() - 1, 0, 3));
        } finally {
            if (before == null) {
                System.clearProperty(ProcessScanner.HELPERS_PROPERTY);
            } else {
                System.setProperty(ProcessScanner.HELPERS_PROPERTY, before);
            }
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

    /**
     * A fake /proc/PID/stat as the kernel writes it: pid, (comm), state, then fields 4..52, with
     * {@code starttime} as field 22 (placed among realistic neighbours).
     */
    private void stat(int pid, String comm, long starttime) throws IOException {
        StringBuilder sb = new StringBuilder().append(pid).append(" (").append(comm).append(") S");
        for (int field = 4; field <= 52; field++) {
            sb.append(' ').append(field == STARTTIME ? starttime : field == 4 ? 1 : field * 3);
        }
        Files.writeString(proc.resolve(Integer.toString(pid)).resolve("stat"), sb.append('\n').toString());
    }

    private static final int STARTTIME = 22;

    private void relinkExe(int pid, String exe) throws IOException {
        Path link = proc.resolve(Integer.toString(pid)).resolve("exe");
        Files.delete(link);
        Files.createSymbolicLink(link, Path.of(exe));
    }

    @Test
    void statGivesNameAndStarttime() throws IOException {
        process(5, "ignored", "/usr/bin/tricky", "socket:[50]");
        stat(5, "a) (b c", 123456);
        ProcessTable t = ProcessScanner.scan(proc);
        assertThat(t.process(5)).as("the name is between the first '(' and the last ')'")
                .contains(new ProcessInfo(5, "a) (b c", "tricky"));

        byte[] line = "7 (x) y) R 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 999 20\n".getBytes(StandardCharsets.UTF_8);
        int close = new String(line, StandardCharsets.UTF_8).lastIndexOf(')');
        assertThat(ProcessScanner.statField(line, close + 1, line.length, 3)).as("state is no number").isEqualTo(-1);
        assertThat(ProcessScanner.statField(line, close + 1, line.length, 4)).isEqualTo(1);
        assertThat(ProcessScanner.statField(line, close + 1, line.length, 22)).isEqualTo(999);
        assertThat(ProcessScanner.statField(line, close + 1, line.length, 23)).isEqualTo(20);
        assertThat(ProcessScanner.statField(line, close + 1, line.length, 24)).as("past the end").isEqualTo(-1);
    }

    @Test
    void malformedStatSkipsTheProcess() throws IOException {
        process(5, "x", "/bin/x", "socket:[50]");
        Files.writeString(proc.resolve("5").resolve("stat"), "5 (x) S 1 2 3\n");  // no field 22
        process(6, "y", "/bin/y", "socket:[60]");
        stat(6, "y", 1);
        ProcessTable t = ProcessScanner.scan(proc);
        assertThat(t.owners(50).isEmpty()).isTrue();
        assertThat(t.owners(60).pidList()).isEqualTo("6");
        assertThat(t.skipped()).isEqualTo(1);
    }

    @Test
    void cachedScannerReusesNamesWhileStarttimeAndNameHold() throws IOException {
        process(300, "nginx", "/usr/sbin/nginx", "socket:[1001]");
        stat(300, "nginx", 5000);
        ProcessScanner scanner = ProcessScanner.create(proc);

        ProcessInfo first = scanner.scan().process(300).orElseThrow();
        assertThat(first).isEqualTo(new ProcessInfo(300, "nginx", "nginx"));

        // Same process (same starttime, same name): exe is not read again. Relinking it makes
        // that visible: the cached basename stays, and the instance is the same.
        relinkExe(300, "/opt/other/nginx-new");
        ProcessTable second = scanner.scan();
        assertThat(second.process(300).orElseThrow()).isSameAs(first);
        assertThat(second.owners(1001).get(0)).isSameAs(first);

        // An uncached scan reads everything afresh.
        assertThat(ProcessScanner.scan(proc).process(300)).contains(new ProcessInfo(300, "nginx", "nginx-new"));
    }

    @Test
    void pidReusedWithAnotherStarttimeIsReadAfresh() throws IOException {
        process(300, "nginx", "/usr/sbin/nginx", "socket:[1001]");
        stat(300, "nginx", 5000);
        ProcessScanner scanner = ProcessScanner.create(proc);
        assertThat(scanner.scan().process(300)).contains(new ProcessInfo(300, "nginx", "nginx"));

        // nginx exited; a new process got pid 300: another starttime, even with the same name.
        relinkExe(300, "/usr/local/bin/nginx-debug");
        stat(300, "nginx", 7000);
        assertThat(scanner.scan().process(300)).contains(new ProcessInfo(300, "nginx", "nginx-debug"));

        // and again with another name: both names come from the new process
        relinkExe(300, "/usr/bin/python3.12");
        stat(300, "python3", 9000);
        ProcessTable t = scanner.scan();
        assertThat(t.process(300)).contains(new ProcessInfo(300, "python3", "python3.12"));
        assertThat(t.owners(1001).get(0).comm()).isEqualTo("python3");
    }

    @Test
    void execWithSameStarttimeButNewNameRereadsExe() throws IOException {
        process(40, "bash", "/usr/bin/bash", "socket:[400]");
        stat(40, "bash", 100);
        ProcessScanner scanner = ProcessScanner.create(proc);
        assertThat(scanner.scan().process(40)).contains(new ProcessInfo(40, "bash", "bash"));

        // `exec curl`: same pid and starttime, the kernel sets the new name
        relinkExe(40, "/usr/bin/curl");
        stat(40, "curl", 100);
        assertThat(scanner.scan().process(40)).contains(new ProcessInfo(40, "curl", "curl"));
    }

    @Test
    void processGoneFromOneWalkIsForgotten() throws IOException {
        Path dir = process(50, "old", "/bin/old", "socket:[500]");
        stat(50, "old", 1);
        ProcessScanner scanner = ProcessScanner.create(proc);
        assertThat(scanner.scan().process(50)).contains(new ProcessInfo(50, "old", "old"));

        // the process closes its socket: not recorded, and dropped from the cache
        Files.delete(dir.resolve("fd").resolve("0"));
        assertThat(scanner.scan().processCount()).isZero();

        // it opens one again (same pid and starttime) after its exe was replaced: read afresh
        Files.createSymbolicLink(dir.resolve("fd").resolve("0"), Path.of("socket:[501]"));
        relinkExe(50, "/bin/new");
        assertThat(scanner.scan().process(50)).contains(new ProcessInfo(50, "old", "new"));
    }

    @Test
    void inodeFilterRecordsOnlyWantedSocketsAndTheirProcesses() throws IOException {
        process(300, "nginx", "/usr/sbin/nginx", "socket:[1001]", "socket:[1002]", "socket:[7]");
        process(20, "nginx", "/usr/sbin/nginx", "socket:[1001]");
        // holds only unwanted (say UNIX) sockets, and its names are unreadable: never read
        Path unix = process(30, "dbus", "/usr/bin/dbus", "socket:[8]", "socket:[9]");
        Files.delete(unix.resolve("comm"));
        Set<Long> dumped = Set.of(1001L, 1002L, 4242L);

        ProcessTable t = ProcessScanner.scan(proc, dumped::contains);
        assertThat(t.owners(1001).pidList()).isEqualTo("20,300");
        assertThat(t.owners(1002).pidList()).isEqualTo("300");
        assertThat(t.owners(7).isEmpty()).isTrue();
        assertThat(t.owners(4242).isEmpty()).as("in the dump, held by nobody we can see").isTrue();
        assertThat(t.socketCount()).isEqualTo(2);
        assertThat(t.processCount()).isEqualTo(2);
        assertThat(t.process(30)).isEmpty();
        assertThat(t.skipped()).as("process 30's names were not needed, so not read").isZero();

        // the same through a cached scanner, and the whole table without the filter
        assertThat(ProcessScanner.create(proc).scan(dumped::contains).socketCount()).isEqualTo(2);
        ProcessTable all = ProcessScanner.scan(proc);
        assertThat(all.skipped()).as("now process 30's comm is needed, and gone").isEqualTo(1);
        assertThat(all.socketCount()).as("1001, 1002 and 7; 30's sockets went with it").isEqualTo(3);
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
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        out.add(Long.parseLong(target, 8, target.length() - 1, 10));
                    }
                } catch (IOException e) {
                    // the directory stream's own fd, closed meanwhile
                }
            }
        }
        return out;
    }
}
