package dev.ssexporter.core.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Builds a {@link ProcessTable} by walking {@code /proc}: for every process (the numeric
 * directories, which are thread-group ids; threads are not listed there), read the
 * {@code fd/*} symbolic links and keep those of the form {@code socket:[INODE]}; for a process
 * holding at least one socket, also read {@code comm} and the basename of the {@code exe} link.
 *
 * <p>Processes come and go while the walk runs, and an unprivileged exporter cannot open other
 * users' {@code fd} directories. A process whose directory vanishes ({@link NoSuchFileException})
 * or denies access ({@link AccessDeniedException}), or fails to read otherwise, is skipped and
 * counted in {@link ProcessTable#skipped()}. A single descriptor closed between listing and
 * {@code readlink} is ignored without counting: that is ordinary churn, not a lost process. An
 * unreadable {@code exe} link (kernel threads, or no ptrace access) leaves
 * {@link ProcessInfo#exeName()} null; the process is kept by its {@code comm}.
 *
 * <p>Cost: one directory listing of {@code procRoot}, one listing of {@code fd/} per process,
 * one {@code readlink} per open descriptor, and two small reads ({@code comm}, {@code exe}) per
 * process that holds a socket; every step is a syscall on a pseudo file, so the walk is
 * O(processes + descriptors), dominated by the {@code readlink} per descriptor. Measured: 15
 * processes holding 100 040 socket descriptors took 2.4-4.7 s on a 2-CPU VM at load average ~9,
 * i.e. tens of µs per descriptor under that load. That is why the engine runs it only when the
 * configuration needs process attribution ({@code pid_condensed} folding, or a {@code process}
 * selection). It allocates little beyond the {@link Path} and link-target strings NIO returns.
 *
 * <pre>{@code
 * ProcessTable procs = ProcessScanner.scan(Path.of("/proc"));
 * if (procs.skipped() > 0) { ... count them ... }
 * }</pre>
 */
public final class ProcessScanner {
    private static final String SOCKET_PREFIX = "socket:[";
    private static final String DELETED_SUFFIX = " (deleted)";

    private ProcessScanner() {}

    /**
     * Walks {@code procRoot} (normally {@code /proc}; a fake tree in tests, or a host's
     * {@code /proc} mounted elsewhere in a container).
     *
     * @throws IOException when {@code procRoot} itself cannot be listed; problems with single
     *     processes are counted in {@link ProcessTable#skipped()}, not thrown
     */
    public static ProcessTable scan(Path procRoot) throws IOException {
        ProcessTable.Builder table = ProcessTable.builder();
        long[] inodes = new long[64];
        int skipped = 0;
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(procRoot)) {
            for (Path dir : processes) {
                int pid = parsePid(dir.getFileName().toString());
                if (pid <= 0) {
                    continue;
                }
                try {
                    int n = 0;
                    try (DirectoryStream<Path> fds = Files.newDirectoryStream(dir.resolve("fd"))) {
                        for (Path fd : fds) {
                            long inode = socketInode(fd);
                            if (inode > 0) {
                                if (n == inodes.length) {
                                    inodes = Arrays.copyOf(inodes, n * 2);
                                }
                                inodes[n++] = inode;
                            }
                        }
                    }
                    if (n == 0) {
                        continue;
                    }
                    String comm = readComm(dir.resolve("comm"));
                    table.process(pid, comm, exeName(dir.resolve("exe")));
                    for (int i = 0; i < n; i++) {
                        table.socket(inodes[i], pid);
                    }
                } catch (IOException | DirectoryIteratorException e) {
                    skipped++;
                }
            }
        } catch (DirectoryIteratorException e) {
            throw e.getCause();
        }
        return table.skipped(skipped).build();
    }

    /** The pid a {@code /proc} entry name stands for, or -1 when it is not all digits. */
    static int parsePid(String name) {
        int len = name.length();
        if (len == 0 || len > 9) {
            return -1;
        }
        int pid = 0;
        for (int i = 0; i < len; i++) {
            char c = name.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            pid = pid * 10 + (c - '0');
        }
        return pid;
    }

    /** The inode of the socket {@code fd} links to, or -1 when it is no socket or is gone. */
    private static long socketInode(Path fd) {
        String target;
        try {
            target = Files.readSymbolicLink(fd).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return -1;
        }
        return parseSocketInode(target);
    }

    /** {@code "socket:[12345]"} to 12345; -1 for any other link target. */
    static long parseSocketInode(String target) {
        int len = target.length();
        if (len <= SOCKET_PREFIX.length() + 1 || !target.startsWith(SOCKET_PREFIX) || target.charAt(len - 1) != ']') {
            return -1;
        }
        try {
            return Long.parseLong(target, SOCKET_PREFIX.length(), len - 1, 10);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String readComm(Path comm) throws IOException {
        byte[] b = Files.readAllBytes(comm);
        int len = b.length;
        if (len > 0 && b[len - 1] == '\n') {
            len--;
        }
        return new String(b, 0, len, StandardCharsets.UTF_8);
    }

    private static String exeName(Path exe) {
        try {
            Path name = Files.readSymbolicLink(exe).getFileName();
            if (name == null) {
                return null;
            }
            String s = name.toString();
            return s.endsWith(DELETED_SUFFIX) ? s.substring(0, s.length() - DELETED_SUFFIX.length()) : s;
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }
}
