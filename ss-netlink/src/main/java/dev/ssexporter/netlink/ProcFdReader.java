package dev.ssexporter.netlink;

import dev.ssexporter.netlink.internal.Errno;
import dev.ssexporter.netlink.internal.ProcFdWalker;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Reads which sockets the processes of a {@code /proc} tree hold: the process ids, each process's
 * descriptor numbers ({@code PID/fd}), and the inode of every descriptor whose link reads
 * {@code socket:[INODE]}. The calls go straight to the kernel ({@code openat}, {@code getdents64},
 * {@code statx} on procfs, {@code readlinkat} elsewhere) into buffers allocated once per reader, so
 * a descriptor costs one system call and no garbage; that matters when a scrape reads every socket
 * descriptor of the host.
 *
 * <p>On procfs with Linux 6.2 or later, {@link #descriptorCount} says how many descriptors a
 * process holds, and {@link #probe} reads them by number without listing {@code PID/fd}: listing
 * costs the kernel nearly as much per entry as reading the entry, and descriptor tables are mostly
 * dense from 0.
 *
 * <p>The tree may be the real {@code /proc}, a host's {@code /proc} mounted elsewhere, or a test
 * directory laid out like one (numeric directories, each with an {@code fd} directory of symbolic
 * links). Processes come and go while it is read: a process whose {@code fd} directory vanished or
 * denies access yields null or -1 (never an exception), and a descriptor closed between listing
 * and reading is left out.
 *
 * <p>A reader belongs to the thread that opened it (its native buffers are confined to it); use
 * one per thread, and close it.
 *
 * <pre>{@code
 * try (ProcFdReader proc = ProcFdReader.open(Path.of("/proc"))) {
 *     long[] inodes = new long[256];
 *     for (int pid : proc.processes()) {
 *         int[] fds = proc.descriptors(pid);          // null: gone or denied
 *         for (int from = 0; fds != null && from < fds.length; from += inodes.length) {
 *             int n = proc.socketInodes(pid, fds, from, Math.min(fds.length, from + inodes.length), inodes);
 *             ...                                      // inodes[0, n) are pid's sockets
 *         }
 *     }
 * }
 * }</pre>
 */
public final class ProcFdReader implements AutoCloseable {
    private final Path root;
    private final ProcFdWalker walker;

    private ProcFdReader(Path root, ProcFdWalker walker) {
        this.root = root;
        this.walker = walker;
    }

    /**
     * Opens the tree at {@code root} (normally {@code /proc}).
     *
     * @throws ErrnoException when {@code root} cannot be opened as a directory, e.g.
     *     {@code open(/nowhere, O_DIRECTORY) failed: ENOENT (errno 2)}
     * @throws IllegalCallerException when native access is not enabled, naming the flag that grants it
     */
    public static ProcFdReader open(Path root) throws ErrnoException {
        Objects.requireNonNull(root, "root");
        return new ProcFdReader(root, ProcFdWalker.open(root.toString()));
    }

    /**
     * The process ids: the root's entries whose names are decimal numbers, in directory order.
     *
     * @throws ErrnoException when the root cannot be listed
     */
    public int[] processes() throws ErrnoException {
        return walker.processes();
    }

    /**
     * The descriptor numbers of process {@code pid} (the numeric entries of {@code PID/fd}), in
     * directory order; null when that directory cannot be read because the process exited or
     * access is denied ({@link #lastError()} names the errno).
     */
    public int[] descriptors(int pid) {
        return walker.descriptors(pid);
    }

    /**
     * The descriptor numbers of process {@code pid} from {@code fromFd} on, as {@link #descriptors(int)};
     * on procfs the listing starts at {@code fromFd}, so earlier entries cost nothing.
     */
    public int[] descriptors(int pid, int fromFd) {
        return walker.descriptors(pid, fromFd);
    }

    /** Whether the tree is a procfs mount, so that {@link #descriptorCount} and {@link #probe} work. */
    public boolean procfs() {
        return walker.procfs();
    }

    /**
     * How many descriptors process {@code pid} holds, from one {@code statx} of {@code PID/fd}; 0
     * when that is not known (not procfs, a kernel before 6.2, or no descriptors): list them with
     * {@link #descriptors(int)} then. -1 when the process is gone ({@link #lastError()}).
     */
    public int descriptorCount(int pid) {
        return walker.descriptorCount(pid);
    }

    /**
     * Reads descriptors {@code from, from + 1, ...} of process {@code pid} by number (no listing),
     * until {@code to}, or until {@code maxOpen} open descriptors or {@code maxAbsent} unused
     * numbers were met, and writes the inode of each socket among them to {@code out} from index 0.
     * Procfs only.
     *
     * @param out room for at least {@code to - from} inodes
     * @throws IllegalStateException when the tree is not procfs ({@link #procfs()})
     */
    public FdProbe probe(int pid, int from, int to, int maxOpen, int maxAbsent, long[] out) {
        return walker.probe(pid, from, to, maxOpen, maxAbsent, out);
    }

    /**
     * Reads the links of descriptors {@code fds[from, to)} of process {@code pid} and writes the
     * inode of each socket among them to {@code out}, from index 0; other descriptors, and those
     * closed since they were listed, are left out.
     *
     * @param out room for at least {@code to - from} inodes
     * @return how many inodes were written; -1 when the process exited or denies access since
     *     ({@link #lastError()} names the errno)
     */
    public int socketInodes(int pid, int[] fds, int from, int to, long[] out) {
        return walker.socketInodes(pid, fds, from, to, out);
    }

    /** The errno name of the last null or -1 answer, e.g. {@code ENOENT}; empty when there was none. */
    public String lastError() {
        int errno = walker.lastErrno();
        return errno == 0 ? "" : Errno.name(errno);
    }

    @Override
    public void close() {
        walker.close();
    }

    @Override
    public String toString() {
        return "ProcFdReader[" + root + "]";
    }
}
