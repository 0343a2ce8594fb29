package dev.ssexporter.core.process;

import dev.ssexporter.netlink.ErrnoException;
import dev.ssexporter.netlink.ProcFdReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongPredicate;

/**
 * Builds a {@link ProcessTable} by walking {@code /proc}: for every process (the numeric
 * directories, which are thread-group ids; threads are not listed there), read the
 * {@code fd/*} symbolic links and keep those of the form {@code socket:[INODE]}; for a process
 * holding at least one (wanted) socket, also read its name and the basename of the {@code exe}
 * link.
 *
 * <p>Two ways to use it. {@link #scan(Path)} is a one-shot walk. A scanner from
 * {@link #create(Path)} is meant to be kept for the life of an exporter and called once per
 * scrape: it remembers each socket-holding process's names keyed by {@code (pid, starttime)}, so a
 * process seen before costs one read of {@code /proc/PID/stat} per scrape instead of a read of
 * {@code comm} and a {@code readlink} of {@code exe}. A pid reused by a new process has another
 * starttime and is read afresh; a process that {@code exec}s keeps its pid and starttime, but its
 * name in {@code stat} is read on every scrape, and a changed name also re-reads {@code exe}.
 * Both accept a {@link LongPredicate} of the socket inodes the caller cares about (those of the
 * current dump, say): other sockets (UNIX, netlink, other namespaces) are then neither recorded
 * nor a reason to read a process's names.
 *
 * <p>Processes come and go while the walk runs, and an unprivileged exporter cannot open other
 * users' {@code fd} directories. A process whose directory vanishes ({@link NoSuchFileException})
 * or denies access ({@link AccessDeniedException}), or fails to read otherwise, is skipped and
 * counted in {@link ProcessTable#skipped()}. A single descriptor closed between listing and
 * {@code readlink} is ignored without counting: that is ordinary churn, not a lost process. An
 * unreadable {@code exe} link (kernel threads, or no ptrace access) leaves
 * {@link ProcessInfo#exeName()} null; the process is kept by its {@code comm}. The name is the one
 * in {@code /proc/PID/stat} (the same kernel {@code comm} that {@code /proc/PID/comm} shows); a tree
 * without {@code stat} files (a fake {@code /proc}) falls back to {@code comm} and is not cached.
 *
 * <p>How: the descriptor tables are read with {@link ProcFdReader} into native buffers, so a
 * descriptor costs one system call and no Java object. On procfs (Linux 6.2 and later, where
 * {@code stat} of {@code PID/fd} counts the open descriptors) a process's descriptors are looked
 * up by number from 0 with {@code statx}, which gives a socket's inode without listing the
 * directory or formatting {@code socket:[N]}; a table with many holes falls back to listing the
 * rest ({@link ProbedFds}). Elsewhere (older kernels, fake trees) {@code PID/fd} is listed with
 * {@code getdents64} and each link read with {@code statx} or {@code readlinkat}
 * ({@link ListedFds}). Helper threads ({@link #helpers()}: one less than the CPUs, at most
 * {@value #MAX_HELPERS}; the {@value #HELPERS_PROPERTY} system property overrides it, 0 for none)
 * read them while the caller does other work ({@link #start}); the caller joins in for what is
 * left ({@link PendingScan#join()}). A process with many descriptors is read in chunks that any
 * of the threads may take.
 *
 * <p>Cost: one directory listing of {@code procRoot}, one {@code statx} of {@code fd/} and one
 * lookup per open descriptor per process, and for a process holding a wanted socket one read of
 * {@code stat} (plus {@code exe} when it is new). The lookup per descriptor dominates, and it is
 * the kernel's work (path lookup of {@code /proc/PID/fd/N} and the {@code ptrace} access check):
 * a C program doing the same lookups over 20,000 socket descriptors takes about 85 ms of CPU on
 * the 2-CPU test VM (117 ms with {@code getdents64} and {@code readlinkat}), nearly all of it
 * system time. The engine therefore runs the walk only when the configuration needs process
 * attribution ({@code pid_condensed} folding, or a {@code process} selection).
 *
 * <pre>{@code
 * ProcessScanner scanner = ProcessScanner.create(Path.of("/proc"));  // keep it
 * ProcessTable procs = scanner.scan();                               // once per scrape
 * if (procs.skipped() > 0) { ... count them ... }
 * }</pre>
 */
public final class ProcessScanner {
    /** At most this many threads besides the caller: more contend for the same CPUs and kernel locks. */
    private static final int MAX_HELPERS = 3;
    /** The system property that sets the number of helper threads; 0 walks on the caller's thread only. */
    public static final String HELPERS_PROPERTY = "ssexporter.procWalkHelpers";
    private static final String DELETED_SUFFIX = " (deleted)";
    /** {@code starttime} is field 22 of {@code /proc/PID/stat}; fields after the name start at 3. */
    private static final int STARTTIME_FIELD = 22;
    private static final LongPredicate ALL = inode -> true;

    private final Path procRoot;
    private final boolean caching;
    /** Threads that walk besides the caller. */
    private final int helpers;
    /** Processes that held a wanted socket in the last walk, by pid; replaced by every walk. */
    private Map<Integer, Known> known = new HashMap<>();
    private int lastSocketCount;
    private byte[] statBuffer = new byte[512];

    private ProcessScanner(Path procRoot, boolean caching) {
        this.procRoot = Objects.requireNonNull(procRoot, "procRoot");
        this.caching = caching;
        this.helpers = helpers();
    }

    /**
     * A scanner of {@code procRoot} (normally {@code /proc}; a fake tree in tests, or a host's
     * {@code /proc} mounted elsewhere in a container) that caches process names between walks.
     * Its walks are serialized; one scanner per exporter.
     */
    public static ProcessScanner create(Path procRoot) {
        return new ProcessScanner(procRoot, true);
    }

    /**
     * One walk of {@code procRoot} without a cache, recording every socket.
     *
     * @throws IOException when {@code procRoot} itself cannot be listed; problems with single
     *     processes are counted in {@link ProcessTable#skipped()}, not thrown
     */
    public static ProcessTable scan(Path procRoot) throws IOException {
        return new ProcessScanner(procRoot, false).scan(ALL);
    }

    /**
     * One walk of {@code procRoot} without a cache, recording only sockets whose inode
     * {@code wanted} accepts.
     *
     * @throws IOException when {@code procRoot} itself cannot be listed
     */
    public static ProcessTable scan(Path procRoot, LongPredicate wanted) throws IOException {
        return new ProcessScanner(procRoot, false).scan(wanted);
    }

    /** Walks this scanner's {@code procRoot}, recording every socket. */
    public ProcessTable scan() throws IOException {
        return scan(ALL);
    }

    /**
     * Walks this scanner's {@code procRoot}, recording only sockets whose inode {@code wanted}
     * accepts; a process holding none of them is not recorded and its names are not read.
     * {@code wanted} is called from several threads at once.
     *
     * @throws IOException when {@code procRoot} itself cannot be listed; problems with single
     *     processes are counted in {@link ProcessTable#skipped()}, not thrown
     */
    public ProcessTable scan(LongPredicate wanted) throws IOException {
        return start(wanted).join();
    }

    /**
     * Starts a walk that helper threads do in the background while the caller does something
     * else (the socket dump, say); {@link PendingScan#join()} takes part in what is left and
     * returns the table. Walks of one scanner must not overlap: join one before starting the next.
     *
     * @throws IOException when {@code procRoot} itself cannot be listed
     */
    public PendingScan start(LongPredicate wanted) throws IOException {
        Objects.requireNonNull(wanted, "wanted");
        return new PendingScan(this, FdWalk.start(procRoot, wanted, helpers));
    }

    /** Builds the table from the walk's findings: reads the names of each process found holding a wanted socket. */
    synchronized ProcessTable table(FdWalk.Found[] found) {
        Set<Integer> lost = new HashSet<>();
        int total = 0;
        for (FdWalk.Found f : found) {
            for (int i = 0; i < f.lostCount; i++) {
                lost.add(f.lostPids[i]);
            }
            total += f.size;
        }
        ProcessTable.Builder table = ProcessTable.builder(Math.max(total, lastSocketCount));
        Map<Integer, Known> seen = new HashMap<>(Math.max(16, known.size() * 2));
        Map<Integer, ProcessInfo> described = new HashMap<>();
        int skipped = lost.size();
        for (FdWalk.Found f : found) {
            int lastPid = -1;
            ProcessInfo info = null;
            for (int i = 0; i < f.size; i++) {
                int pid = f.pids[i];
                if (pid != lastPid) {
                    lastPid = pid;
                    info = described.get(pid);
                    if (info == null && !described.containsKey(pid) && !lost.contains(pid)) {
                        try {
                            info = describe(pid, procRoot.resolve(Integer.toString(pid)), seen);
                            table.process(info);
                        } catch (IOException e) {
                            skipped++;
                        }
                        described.put(pid, info);
                    }
                }
                if (info != null) {
                    table.socket(f.inodes[i], pid);
                }
            }
        }
        if (caching) {
            known = seen;
        }
        ProcessTable result = table.skipped(skipped).build();
        lastSocketCount = result.socketCount();
        return result;
    }

    /**
     * Helper threads per walk: the {@value #HELPERS_PROPERTY} system property when set (clamped
     * to 0..{@value #MAX_HELPERS}), else one less than the CPUs available, at most
     * {@value #MAX_HELPERS}.
     */
    static int helpers() {
        int cpus = Runtime.getRuntime().availableProcessors();
        return Math.clamp(Integer.getInteger(HELPERS_PROPERTY, cpus - 1), 0, MAX_HELPERS);
    }

    /** {@code e} as the {@link java.nio.file.FileSystemException} NIO would throw for {@code path}. */
    static IOException asFileException(Path path, ErrnoException e) {
        IOException mapped = switch (e.errnoName()) {
            case "ENOENT" -> new NoSuchFileException(path.toString(), null, e.getMessage());
            case "EACCES", "EPERM" -> new AccessDeniedException(path.toString(), null, e.getMessage());
            case "ENOTDIR" -> new NotDirectoryException(path.toString());
            default -> e;
        };
        if (mapped != e) {
            mapped.initCause(e);
        }
        return mapped;
    }

    /** The names of process {@code pid}, from the cache when its starttime and name are unchanged. */
    private ProcessInfo describe(int pid, Path dir, Map<Integer, Known> seen) throws IOException {
        int len;
        try {
            len = readStat(dir.resolve("stat"));
        } catch (NoSuchFileException e) {
            // A tree without stat files (a fake /proc); on a real /proc the process is gone, and
            // reading comm fails the same way.
            return new ProcessInfo(pid, readComm(dir.resolve("comm")), exeName(dir.resolve("exe")));
        }
        int open = indexOf(statBuffer, len, (byte) '(');
        int close = lastIndexOf(statBuffer, len, (byte) ')');
        if (open < 0 || close < open) {
            throw new IOException(dir.resolve("stat") + ": no (comm) in " + len + " bytes");
        }
        long starttime = statField(statBuffer, close + 1, len, STARTTIME_FIELD);
        if (starttime < 0) {
            throw new IOException(dir.resolve("stat") + ": no starttime (field " + STARTTIME_FIELD + ")");
        }
        Known previous = known.get(pid);
        ProcessInfo info;
        if (previous != null && previous.starttime == starttime
                && sameName(previous.info.comm(), statBuffer, open + 1, close)) {
            info = previous.info;
        } else {
            String comm = new String(statBuffer, open + 1, close - open - 1, StandardCharsets.UTF_8);
            info = new ProcessInfo(pid, comm, exeName(dir.resolve("exe")));
        }
        if (caching) {
            seen.put(pid, new Known(starttime, info));
        }
        return info;
    }

    /** Reads {@code stat} into {@link #statBuffer} (growing it), returns its length. */
    private int readStat(Path stat) throws IOException {
        try (InputStream in = Files.newInputStream(stat)) {
            int len = 0;
            for (int r; (r = in.read(statBuffer, len, statBuffer.length - len)) > 0; ) {
                len += r;
                if (len == statBuffer.length) {
                    statBuffer = Arrays.copyOf(statBuffer, len * 2);
                }
            }
            return len;
        }
    }

    /** Whether the UTF-8 bytes {@code b[from, to)} spell {@code name} (names are mostly ASCII). */
    private static boolean sameName(String name, byte[] b, int from, int to) {
        if (name.length() != to - from) {
            return name.equals(new String(b, from, to - from, StandardCharsets.UTF_8));
        }
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) != (b[from + i] & 0xff) || b[from + i] < 0) {
                return name.equals(new String(b, from, to - from, StandardCharsets.UTF_8));
            }
        }
        return true;
    }

    /**
     * The decimal field {@code field} (1-based, as in proc(5)) of a {@code stat} line whose fields
     * from 3 on start after {@code from} (just past the closing parenthesis of the name); -1 when
     * missing or not a number.
     */
    static long statField(byte[] b, int from, int len, int field) {
        int current = 2;
        int i = from;
        while (current < field) {
            while (i < len && b[i] == ' ') {
                i++;
            }
            if (i >= len || b[i] == '\n') {
                return -1;
            }
            current++;
            if (current == field) {
                break;
            }
            while (i < len && b[i] != ' ' && b[i] != '\n') {
                i++;
            }
        }
        long value = 0;
        int digits = 0;
        for (; i < len && b[i] >= '0' && b[i] <= '9'; i++, digits++) {
            value = value * 10 + (b[i] - '0');
        }
        return digits == 0 || digits > 18 || (i < len && b[i] != ' ' && b[i] != '\n') ? -1 : value;
    }

    private static int indexOf(byte[] b, int len, byte c) {
        for (int i = 0; i < len; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    private static int lastIndexOf(byte[] b, int len, byte c) {
        for (int i = len - 1; i >= 0; i--) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
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

    /** A process as the last walk saw it. */
    private record Known(long starttime, ProcessInfo info) {}
}
