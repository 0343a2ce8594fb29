package dev.ssexporter.netlink.internal;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import dev.ssexporter.netlink.ErrnoException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Objects;

/**
 * Reads the descriptor tables of a {@code /proc} tree with {@code openat}, {@code getdents64} and
 * {@code readlinkat} into native buffers allocated once: no Java path or string per descriptor.
 * The tree may be a real {@code /proc} or any directory laid out like one (numeric process
 * directories, each with an {@code fd} directory of symbolic links).
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

    private final String root;
    private final Arena arena;
    private final MemorySegment errno;
    private final MemorySegment dents;
    private final MemorySegment link;
    private final MemorySegment path;
    private final int rootFd;
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
        int dir = openFdDir(pid);
        if (dir < 0) {
            return null;
        }
        try {
            return numericEntries(dir, 10);
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
            for (int i = from; i < to; i++) {
                putDecimal(fds[i], 0);
                long len = LibC.readlinkat(errno, dir, path, link);
                if (len > 0) {
                    long inode = socketInode((int) len);
                    if (inode > 0) {
                        out[n++] = inode;
                    }
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

    private int openFdDir(int pid) {
        if (pid <= 0) {
            throw new IllegalArgumentException("pid " + pid + " is not positive");
        }
        int end = putDecimal(pid, 0);
        path.set(JAVA_BYTE, end, (byte) '/');
        path.set(JAVA_BYTE, end + 1, (byte) 'f');
        path.set(JAVA_BYTE, end + 2, (byte) 'd');
        path.set(JAVA_BYTE, end + 3, (byte) 0);
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
