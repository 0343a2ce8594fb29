package dev.ssexporter.netlink.internal;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import dev.ssexporter.netlink.ErrnoException;
import dev.ssexporter.netlink.FdProbe;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Objects;

/**
 * Reads the descriptor tables of a {@code /proc} tree with {@code openat}, {@code getdents64},
 * {@code statx} and {@code readlinkat} into native buffers allocated once: no Java path or string
 * per descriptor. The tree may be a real {@code /proc} or any directory laid out like one (numeric
 * process directories, each with an {@code fd} directory of symbolic links).
 *
 * <p>On a real {@code /proc} (a procfs mount) a descriptor is read with {@code statx}, which
 * follows the link to the open file: a socket is a file of type {@code S_IFSOCK} on the kernel's
 * sockfs, and its inode is the {@code N} of the link text {@code socket:[N]}, without the kernel
 * formatting that text. The sockfs device is learned once from a socket of this process; a file of
 * type {@code S_IFSOCK} on another device (an {@code O_PATH} descriptor of a UNIX socket's path) is
 * no socket, as its link text is a path. {@code statx} is asked not to sync with a network file
 * system's server ({@code AT_STATX_DONT_SYNC}), so a descriptor on a hung NFS mount cannot stall
 * the walk. There, {@code stat} of {@code PID/fd} also tells how many descriptors are open (Linux
 * 6.2 and later), so that {@link #probe} can read descriptors by number without listing the
 * directory. Elsewhere (a test tree, or a libc without {@code statx}) the links are read with
 * {@code readlinkat}.
 *
 * <p>Holds a descriptor of the root and a confined arena, so an instance belongs to the thread
 * that opened it; close it when done.
 */
public final class ProcFdWalker implements AutoCloseable {
    private static final int O_RDONLY = 0;
    private static final int O_DIRECTORY = 0x10000;
    private static final int O_CLOEXEC = 0x80000;
    private static final int DIR_FLAGS = O_RDONLY | O_DIRECTORY | O_CLOEXEC;
    /** Room for many entries per {@code getdents64}: 32 KiB holds about 1,300 descriptor names. */
    private static final int DENTS_SIZE = 32 * 1024;
    /** {@code socket:[} and at most 19 digits and {@code ]} is 28 bytes; a longer text is no socket. */
    private static final int LINK_SIZE = 64;
    private static final byte[] SOCKET_PREFIX = {'s', 'o', 'c', 'k', 'e', 't', ':', '['};
    /** {@code NNNNNNNNNN/fd} or a descriptor number, NUL-terminated. */
    private static final int PATH_SIZE = 32;
    /** {@code PROC_SUPER_MAGIC}, the {@code f_type} of a procfs mount. */
    private static final long PROC_SUPER_MAGIC = 0x9fa0;
    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 0x80000;
    /** Following the link, without asking a network file system's server. */
    private static final int FOLLOW_CACHED = Statx.AT_STATX_DONT_SYNC;
    private static final int TYPE_AND_INODE = Statx.STATX_TYPE | Statx.STATX_INO;
    /** {@link #lookUp}: an open descriptor that is no socket. */
    private static final long NO_SOCKET = 0;
    /** {@link #lookUp}: no descriptor with that number (closed, or never open). */
    private static final long ABSENT = -1;
    /** No sockfs device known: descriptors are read with {@code readlinkat}, not {@code statx}. */
    private static final long NO_DEVICE = -1;

    private final String root;
    private final Arena arena;
    private final MemorySegment errno;
    private final MemorySegment dents;
    private final MemorySegment link;
    private final MemorySegment path;
    private final MemorySegment stx;
    private final int rootFd;
    /** The sockfs device ({@code major << 32 | minor}) when the root is procfs, else {@link #NO_DEVICE}. */
    private final long sockfs;
    private int lastErrno;
    private boolean closed;

    private ProcFdWalker(String root, Arena arena, int rootFd) {
        this.root = root;
        this.arena = arena;
        this.rootFd = rootFd;
        this.errno = LibC.errnoState(arena);
        this.dents = arena.allocate(DENTS_SIZE, 8);
        this.link = arena.allocate(LINK_SIZE);
        this.path = arena.allocate(PATH_SIZE);
        this.stx = arena.allocate(Statx.LAYOUT);
        this.sockfs = LibC.statAvailable() && LibC.fileSystemType(arena, rootFd) == PROC_SUPER_MAGIC
                ? Sockfs.DEVICE : NO_DEVICE;
    }

    /**
     * The device of sockfs ({@code major << 32 | minor}), from a socket this process opens once and
     * closes; {@link #NO_DEVICE} when that fails. Every socket of the host lives on that one mount.
     */
    private static final class Sockfs {
        static final long DEVICE = find();

        private static long find() {
            try (Arena arena = Arena.ofConfined()) {
                int fd = LibC.socket(arena, AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, "socket(AF_UNIX, SOCK_DGRAM)");
                MemorySegment state = LibC.errnoState(arena);
                MemorySegment buf = arena.allocate(Statx.LAYOUT);
                try {
                    int r = LibC.statx(state, fd, arena.allocateFrom(""), Statx.AT_EMPTY_PATH, TYPE_AND_INODE, buf);
                    return r == 0 && (mode(buf) & Statx.S_IFMT) == Statx.S_IFSOCK ? device(buf) : NO_DEVICE;
                } finally {
                    LibC.closeQuietly(state, fd);
                }
            } catch (ErrnoException | RuntimeException e) {
                return NO_DEVICE;
            }
        }
    }

    /**
     * Whether descriptors are read with {@code statx} and {@link #descriptorCount} can tell how
     * many are open: the root is a procfs mount.
     */
    public boolean procfs() {
        return sockfs != NO_DEVICE;
    }

    /**
     * Opens the tree at {@code root} (normally {@code /proc}).
     *
     * @throws ErrnoException when {@code root} cannot be opened as a directory
     */
    public static ProcFdWalker open(String root) throws ErrnoException {
        Objects.requireNonNull(root, "root");
        LibC.checkAvailable();
        Arena arena = Arena.ofConfined();
        try {
            int fd = LibC.open(arena, root, DIR_FLAGS, "open(" + root + ", O_DIRECTORY)");
            return new ProcFdWalker(root, arena, fd);
        } catch (ErrnoException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /**
     * The numeric entries of the root (process ids), in directory order.
     *
     * @throws ErrnoException when the root cannot be listed
     */
    public int[] processes() throws ErrnoException {
        path.set(JAVA_BYTE, 0, (byte) '.');
        path.set(JAVA_BYTE, 1, (byte) 0);
        int dir = LibC.openat(errno, rootFd, path, DIR_FLAGS);
        if (dir < 0) {
            throw new ErrnoException("openat(" + root + ", O_DIRECTORY)", -dir);
        }
        try {
            int[] pids = numericEntries(dir, 9);
            if (pids == null) {
                throw new ErrnoException("getdents64(" + root + ")", lastErrno);
            }
            return pids;
        } finally {
            LibC.closeQuietly(errno, dir);
        }
    }

    /**
     * The descriptor numbers in {@code PID/fd}, in directory order; null when the directory cannot
     * be opened or read (the process exited, or access is denied): {@link #lastErrno()} says why.
     */
    public int[] descriptors(int pid) {
        return descriptors(pid, 0);
    }

    /**
     * The descriptor numbers from {@code fromFd} on in {@code PID/fd}, as {@link #descriptors(int)}.
     * On procfs the listing starts there ({@code lseek} to {@code fromFd + 2}), so the entries
     * before it cost nothing.
     */
    public int[] descriptors(int pid, int fromFd) {
        if (fromFd < 0) {
            throw new IllegalArgumentException("fromFd " + fromFd + " is negative");
        }
        int dir = openFdDir(pid);
        if (dir < 0) {
            return null;
        }
        try {
            if (fromFd > 0 && procfs()) {
                long r = LibC.lseekSet(errno, dir, fromFd + 2L);
                if (r < 0) {
                    lastErrno = (int) -r;
                    return null;
                }
            }
            int[] all = numericEntries(dir, 10);
            if (all == null || fromFd == 0) {
                return all;
            }
            int n = 0;
            for (int fd : all) {
                if (fd >= fromFd) {
                    all[n++] = fd;
                }
            }
            return Arrays.copyOf(all, n);
        } finally {
            LibC.closeQuietly(errno, dir);
        }
    }

    /**
     * How many descriptors {@code PID/fd} holds, as procfs reports in the directory's size (Linux
     * 6.2 and later), with one {@code statx}; 0 when that is not known (not procfs, an older
     * kernel, or no descriptors at all): list them with {@link #descriptors} then. -1 when the
     * process is gone ({@link #lastErrno()} says why).
     */
    public int descriptorCount(int pid) {
        if (!procfs()) {
            return 0;
        }
        putFdDir(pid);
        int r = LibC.statx(errno, rootFd, path, 0, Statx.STATX_SIZE, stx);
        if (r < 0) {
            lastErrno = -r;
            return -1;
        }
        long size = (long) Statx.SIZE.get(stx, 0L);
        return size > 0 && size <= Integer.MAX_VALUE ? (int) size : 0;
    }

    /**
     * Reads descriptors {@code from, from + 1, ...} of {@code PID/fd} by number, without listing
     * the directory, until {@code to}, or until {@code maxOpen} open ones or {@code maxAbsent}
     * unused numbers were met, and writes the inode of each socket among them to {@code out} from
     * index 0. Procfs only ({@link #procfs()}).
     *
     * @param out room for at least {@code to - from} inodes
     * @return what was read; {@link FdProbe#sockets()} -1 when {@code PID/fd} cannot be opened
     *     ({@link #lastErrno()} says why)
     */
    public FdProbe probe(int pid, int from, int to, int maxOpen, int maxAbsent, long[] out) {
        if (!procfs()) {
            throw new IllegalStateException(root + " is not procfs: list the descriptors instead");
        }
        if (from < 0 || to < from || maxOpen < 1 || maxAbsent < 1) {
            throw new IllegalArgumentException("probe(from=" + from + ", to=" + to + ", maxOpen=" + maxOpen
                    + ", maxAbsent=" + maxAbsent + ")");
        }
        if (out.length < to - from) {
            throw new IllegalArgumentException("out has room for " + out.length + " inodes, not " + (to - from));
        }
        int dir = openFdDir(pid);
        if (dir < 0) {
            return new FdProbe(-1, from, 0, 0);
        }
        try {
            int n = 0;
            int open = 0;
            int absent = 0;
            int fd = from;
            while (fd < to && open < maxOpen && absent < maxAbsent) {
                putDecimal(fd++, 0);
                long inode = lookUp(dir);
                if (inode == ABSENT) {
                    absent++;
                    continue;
                }
                open++;
                if (inode > 0) {
                    out[n++] = inode;
                }
            }
            return new FdProbe(n, fd, open, absent);
        } finally {
            LibC.closeQuietly(errno, dir);
        }
    }

    /**
     * Reads the links {@code PID/fd/N} for the descriptors {@code fds[from, to)} and writes the
     * inode of each {@code socket:[INODE]} target to {@code out} from index 0. A descriptor closed
     * since it was listed, and any other target, is left out.
     *
     * @return how many inodes were written, or -1 when {@code PID/fd} cannot be opened any more
     *     ({@link #lastErrno()} says why)
     */
    public int socketInodes(int pid, int[] fds, int from, int to, long[] out) {
        Objects.checkFromToIndex(from, to, fds.length);
        if (out.length < to - from) {
            throw new IllegalArgumentException("out has room for " + out.length + " inodes, not " + (to - from));
        }
        int dir = openFdDir(pid);
        if (dir < 0) {
            return -1;
        }
        try {
            int n = 0;
            boolean statx = procfs();  // else a test tree: links to nowhere, which only readlinkat reads
            for (int i = from; i < to; i++) {
                putDecimal(fds[i], 0);
                long inode = statx ? lookUp(dir) : readLink(dir);
                if (inode > 0) {
                    out[n++] = inode;
                }
            }
            return n;
        } finally {
            LibC.closeQuietly(errno, dir);
        }
    }

    /** The errno of the last failed {@link #descriptors} or {@link #socketInodes}, 0 if none. */
    public int lastErrno() {
        return lastErrno;
    }

    /**
     * Descriptor {@link #path} of the {@code fd} directory {@code dir}, with {@code statx}: its
     * socket inode, {@link #NO_SOCKET} for another open file, {@link #ABSENT} when no descriptor
     * has that number. Should {@code statx} be refused otherwise (a security module may deny the
     * {@code stat} of another program's file but allow reading the link), the link is read instead,
     * as {@code ss} does.
     */
    private long lookUp(int dir) {
        int r = LibC.statx(errno, dir, path, FOLLOW_CACHED, TYPE_AND_INODE, stx);
        if (r == 0) {
            return (mode(stx) & Statx.S_IFMT) == Statx.S_IFSOCK && device(stx) == sockfs
                    ? (long) Statx.INO.get(stx, 0L) : NO_SOCKET;
        }
        return r == -Errno.ENOENT ? ABSENT : readLink(dir);
    }

    /** Descriptor {@link #path} with {@code readlinkat}: as {@link #lookUp}. */
    private long readLink(int dir) {
        long len = LibC.readlinkat(errno, dir, path, link);
        if (len <= 0) {
            return ABSENT;
        }
        long inode = socketInode((int) len);
        return inode > 0 ? inode : NO_SOCKET;
    }

    private static int mode(MemorySegment statx) {
        return Short.toUnsignedInt((short) Statx.MODE.get(statx, 0L));
    }

    private static long device(MemorySegment statx) {
        return (Integer.toUnsignedLong((int) Statx.DEV_MAJOR.get(statx, 0L)) << 32)
                | Integer.toUnsignedLong((int) Statx.DEV_MINOR.get(statx, 0L));
    }

    /** Writes {@code PID/fd}, NUL-terminated, to {@link #path}. */
    private void putFdDir(int pid) {
        if (pid <= 0) {
            throw new IllegalArgumentException("pid " + pid + " is not positive");
        }
        int end = putDecimal(pid, 0);
        path.set(JAVA_BYTE, end, (byte) '/');
        path.set(JAVA_BYTE, end + 1, (byte) 'f');
        path.set(JAVA_BYTE, end + 2, (byte) 'd');
        path.set(JAVA_BYTE, end + 3, (byte) 0);
    }

    private int openFdDir(int pid) {
        putFdDir(pid);
        int dir = LibC.openat(errno, rootFd, path, DIR_FLAGS);
        if (dir < 0) {
            lastErrno = -dir;
        }
        return dir;
    }

    /** Writes {@code value} in decimal at {@code at} in {@link #path}, NUL-terminated; returns the end. */
    private int putDecimal(int value, int at) {
        int digits = 1;
        for (int v = value; v >= 10; v /= 10) {
            digits++;
        }
        int end = at + digits;
        int v = value;
        for (int i = end - 1; i >= at; i--) {
            path.set(JAVA_BYTE, i, (byte) ('0' + v % 10));
            v /= 10;
        }
        path.set(JAVA_BYTE, end, (byte) 0);
        return end;
    }

    /**
     * The entries of {@code dir} whose names are decimal numbers of at most {@code maxDigits}
     * digits that fit an int ({@code .}, {@code ..} and other names are left out); null when
     * {@code getdents64} fails.
     */
    private int[] numericEntries(int dir, int maxDigits) {
        int[] found = new int[64];
        int n = 0;
        while (true) {
            long got = LibC.getdents64(errno, dir, dents);
            if (got < 0) {
                lastErrno = (int) -got;
                return null;
            }
            if (got == 0) {
                return Arrays.copyOf(found, n);
            }
            for (long off = 0; off < got; ) {
                int reclen = Short.toUnsignedInt((short) LinuxDirent64.RECLEN.get(dents, off));
                if (reclen < LinuxDirent64.NAME_OFFSET + 1 || off + reclen > got) {
                    throw new IllegalStateException("getdents64 wrote a record of " + reclen + " bytes at offset "
                            + off + " of " + got);
                }
                int value = number(off + LinuxDirent64.NAME_OFFSET, off + reclen, maxDigits);
                if (value >= 0) {
                    if (n == found.length) {
                        found = Arrays.copyOf(found, n * 2);
                    }
                    found[n++] = value;
                }
                off += reclen;
            }
        }
    }

    /** The NUL-terminated decimal name in {@link #dents} at {@code [from, limit)}, or -1. */
    private int number(long from, long limit, int maxDigits) {
        long value = 0;
        int digits = 0;
        for (long i = from; i < limit; i++) {
            byte b = dents.get(JAVA_BYTE, i);
            if (b == 0) {
                break;
            }
            if (b < '0' || b > '9' || ++digits > maxDigits) {
                return -1;
            }
            value = value * 10 + (b - '0');
        }
        return digits == 0 || value > Integer.MAX_VALUE ? -1 : (int) value;
    }

    /** The inode of the link text {@code socket:[INODE]} in {@link #link}, or -1 for any other text. */
    private long socketInode(int len) {
        int prefix = SOCKET_PREFIX.length;
        if (len >= LINK_SIZE || len < prefix + 2 || len > prefix + 20 || link.get(JAVA_BYTE, len - 1) != ']') {
            return -1;
        }
        for (int i = 0; i < prefix; i++) {
            if (link.get(JAVA_BYTE, i) != SOCKET_PREFIX[i]) {
                return -1;
            }
        }
        long value = 0;
        for (int i = prefix; i < len - 1; i++) {
            byte b = link.get(JAVA_BYTE, i);
            if (b < '0' || b > '9' || value > (Long.MAX_VALUE - (b - '0')) / 10) {
                return -1;
            }
            value = value * 10 + (b - '0');
        }
        return value;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            LibC.closeQuietly(errno, rootFd);
            arena.close();
        }
    }

    @Override
    public String toString() {
        return "ProcFdWalker[" + root + "]";
    }
}
