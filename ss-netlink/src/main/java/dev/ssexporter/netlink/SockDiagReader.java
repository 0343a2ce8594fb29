package dev.ssexporter.netlink;

import dev.ssexporter.netlink.internal.BytecodeCompiler;
import dev.ssexporter.netlink.internal.DumpRequest;
import dev.ssexporter.netlink.internal.Errno;
import dev.ssexporter.netlink.internal.InetDiagDumper;
import dev.ssexporter.netlink.internal.LibC;
import dev.ssexporter.netlink.internal.NetnsOpener;
import dev.ssexporter.netlink.internal.NetlinkTransport;
import dev.ssexporter.netlink.internal.RequestEncoder;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Reads TCP sockets from the Linux kernel over {@code NETLINK_SOCK_DIAG}, as {@code ss -ti} does.
 *
 * <pre>{@code
 * if (!SockDiagReader.probe().available()) { ... tell the user probe().unavailabilityCause() ... }
 * try (SockDiagReader reader = SockDiagReader.open()) {
 *     DumpStats stats = reader.dump(DumpQuery.connected(), socket -> ...);
 * }
 * }</pre>
 *
 * <p>One reader holds one netlink socket and one 64 KiB receive buffer, reused for every dump.
 * Dumps on one reader are serialized: a second thread waits for the first one's dump to end. A dump
 * is one request for both families, or one per family (see {@link #dump}); records are streamed to
 * the sink on the calling thread as each reply datagram is parsed. When a dump fails (or the sink
 * throws), the socket may still hold the rest of that dump, so the reader closes it and opens a
 * fresh one for the next dump.
 *
 * <p>Errors are {@link NetlinkException}s: {@link ErrnoException} for a failed system call or a
 * kernel error reply, {@link MalformedReplyException} for bytes that do not parse.
 * {@code NLM_F_DUMP_INTR} (the socket table changed during the dump) is not an error; it shows
 * in {@link DumpStats#interrupted()}.
 *
 * <p>{@link #openInNamespace} reads another network namespace: its socket is created inside that
 * namespace (on a short-lived thread of its own, see {@link #openInNamespace}) and then used from
 * any thread like any other reader.
 */
public final class SockDiagReader implements SocketSource, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(SockDiagReader.class.getName());

    private final ReentrantLock lock = new ReentrantLock();
    /** Opens the socket again after a failed dump, in the same namespace. */
    private final Opener opener;
    /** The namespace file this reader was opened from; null for the caller's own namespace. */
    private final Path namespace;
    /** The inode of that namespace; 0 for the caller's own. */
    private final long namespaceInode;
    /** Null after a failed dump, until the next dump reopens it. */
    private InetDiagDumper dumper;
    /** How a dump of both families is asked for; moves from UNTRIED to one of the others once. */
    private BothFamilies bothFamilies;
    private boolean closed;

    /** How this reader asks for both families. */
    private enum BothFamilies {
        /** One {@code TCPDIAG_GETSOCK} request, not sent yet: on a refusal, fall back to PER_FAMILY. */
        UNTRIED,
        /** One {@code TCPDIAG_GETSOCK} request, which this kernel answers. */
        ONE_REQUEST,
        /** One {@code SOCK_DIAG_BY_FAMILY} request per family. */
        PER_FAMILY
    }

    /** How a reader (re)opens its socket. */
    @FunctionalInterface
    private interface Opener {
        InetDiagDumper open() throws IOException;
    }

    private SockDiagReader(InetDiagDumper dumper, Opener opener, Path namespace, long namespaceInode,
                           BothFamilies bothFamilies) {
        this.dumper = dumper;
        this.opener = opener;
        this.namespace = namespace;
        this.namespaceInode = namespaceInode;
        this.bothFamilies = bothFamilies;
    }

    /**
     * Whether this JVM on this machine can read sockets, and if not, why.
     *
     * @param available whether a netlink socket opened and a dump succeeded
     * @param unavailabilityCause why not, in a sentence that says what to do; null when available
     */
    public record Availability(boolean available, String unavailabilityCause) {
        public Availability {
            if (available && unavailabilityCause != null) {
                throw new IllegalArgumentException("an available reader has no unavailability cause");
            }
            if (!available && (unavailabilityCause == null || unavailabilityCause.isBlank())) {
                throw new IllegalArgumentException("an unavailable reader needs a cause");
            }
        }
    }

    /**
     * Opens a netlink socket for dumps.
     *
     * @throws ErrnoException when the socket cannot be opened, e.g.
     *     {@code socket(AF_NETLINK, SOCK_RAW|SOCK_CLOEXEC, NETLINK_SOCK_DIAG) failed: EPROTONOSUPPORT (errno 93)}
     * @throws IllegalCallerException when the JVM denies native access; the message names the
     *     flag {@code --enable-native-access=ALL-UNNAMED}
     */
    public static SockDiagReader open() throws NetlinkException {
        return new SockDiagReader(InetDiagDumper.open(), InetDiagDumper::open, null, 0, BothFamilies.UNTRIED);
    }

    /**
     * Opens a netlink socket inside the network namespace {@code nsPath} refers to: a
     * {@code /var/run/netns/NAME} file as {@code ip netns add} makes it, or a
     * {@code /proc/PID/ns/net} link. The calling thread does not change namespace: a platform
     * thread of its own enters the namespace ({@code setns(fd, CLONE_NEWNET)}), creates the socket
     * and ends. The socket stays in that namespace for its whole life, so dumps from any thread
     * list that namespace's sockets.
     *
     * <p>The open socket keeps the namespace alive in the kernel, even after its last process has
     * exited or its name was deleted: close the reader when the namespace is no longer wanted.
     * After a failed dump the reader opens a new socket from {@code nsPath} again; if the path now
     * refers to another namespace (a reused PID), that dump fails instead.
     *
     * @throws ErrnoException when a call fails, e.g. {@code open(...)} with {@code ENOENT} (gone) or
     *     {@code EACCES} (another user's process: needs {@code CAP_SYS_PTRACE}), {@code setns(...)}
     *     with {@code EPERM} (needs {@code CAP_SYS_ADMIN}) or {@code EINVAL} (not a network namespace)
     * @throws IOException when the namespace entered cannot be identified
     * @throws IllegalCallerException when the JVM denies native access
     */
    public static SockDiagReader openInNamespace(Path nsPath) throws IOException {
        Objects.requireNonNull(nsPath, "nsPath");
        NetnsOpener.Opened first = NetnsOpener.open(nsPath);
        long inode = first.inode();
        Opener again = () -> {
            NetnsOpener.Opened o = NetnsOpener.open(nsPath);
            if (o.inode() != inode) {
                try {
                    o.socket().close();
                } catch (ErrnoException e) {
                    LOG.log(System.Logger.Level.DEBUG, "closing a socket of the wrong namespace failed", e);
                }
                throw new FileSystemException(nsPath.toString(), null, "now refers to network namespace net:["
                        + o.inode() + "], not net:[" + inode + "] this reader was opened for");
            }
            return InetDiagDumper.over(o.socket());
        };
        return new SockDiagReader(InetDiagDumper.over(first.socket()), again, nsPath, inode, BothFamilies.UNTRIED);
    }

    /** The namespace file this reader was opened from; empty for the opener's own namespace. */
    public Optional<Path> namespace() {
        return Optional.ofNullable(namespace);
    }

    /**
     * The inode of the network namespace this reader dumps (as in {@code net:[4026531840]}), read
     * from inside it when the socket was created; 0 for a reader of the opener's own namespace.
     */
    public long namespaceInode() {
        return namespaceInode;
    }

    /**
     * Test seam: a reader of the caller's namespace whose sockets come from {@code transports},
     * called now and again after every failed dump (a scripted kernel, or a socket with a small
     * receive queue); it sends one request per family.
     */
    static SockDiagReader open(NetlinkTransport.Opener transports) throws NetlinkException {
        return open(transports, false);
    }

    /**
     * Test seam: {@link #open(NetlinkTransport.Opener)}, asking for both families in one
     * {@code TCPDIAG_GETSOCK} request first when {@code oneRequest} is set.
     */
    static SockDiagReader open(NetlinkTransport.Opener transports, boolean oneRequest) throws NetlinkException {
        Objects.requireNonNull(transports, "transports");
        return new SockDiagReader(InetDiagDumper.open(transports), () -> InetDiagDumper.open(transports), null, 0,
                oneRequest ? BothFamilies.UNTRIED : BothFamilies.PER_FAMILY);
    }

    /** Test seam: {@link #open()}, asking for both families in one request or in one per family. */
    static SockDiagReader open(boolean oneRequest) throws NetlinkException {
        return new SockDiagReader(InetDiagDumper.open(), InetDiagDumper::open, null, 0,
                oneRequest ? BothFamilies.UNTRIED : BothFamilies.PER_FAMILY);
    }

    /**
     * Probes, once per JVM, whether sockets can be read here: opens a socket and runs a dump that
     * matches no state. Never throws.
     */
    public static Availability probe() {
        return ProbeResult.RESULT;
    }

    private static final class ProbeResult {
        static final Availability RESULT = runProbe();
    }

    static Availability runProbe() {
        String os = System.getProperty("os.name", "");
        if (!os.toLowerCase(Locale.ROOT).contains("linux")) {
            return new Availability(false, "NETLINK_SOCK_DIAG exists only on Linux; this is " + os);
        }
        try {
            try (InetDiagDumper d = InetDiagDumper.open()) {
                d.dump(AddressFamily.INET, 0, 0, socket -> { });
            }
        } catch (IllegalCallerException e) {
            return new Availability(false, e.getMessage());
        } catch (UnsatisfiedLinkError | UnsupportedOperationException e) {
            return new Availability(false, "cannot call libc: " + e.getMessage());
        } catch (ErrnoException e) {
            return new Availability(false, explain(e));
        } catch (IOException | RuntimeException e) {
            return new Availability(false, "a test dump failed: " + e);
        }
        if (!LibC.nativeAccessEnabled()) {
            LOG.log(System.Logger.Level.WARNING, "native access is not enabled, so the JVM warns about it and a"
                    + " later JDK will refuse it: add " + LibC.NATIVE_ACCESS_FLAG + " to the java command line");
        }
        return new Availability(true, null);
    }

    private static String explain(ErrnoException e) {
        String hint = switch (e.errno()) {
            case Errno.EPROTONOSUPPORT -> "the kernel lacks NETLINK_SOCK_DIAG (CONFIG_INET_DIAG)";
            case Errno.EAFNOSUPPORT -> "the kernel or sandbox does not offer netlink sockets (AF_NETLINK)";
            case Errno.EPERM, Errno.EACCES ->
                    "netlink sockets are not permitted here (a seccomp profile, SELinux or AppArmor policy?)";
            case Errno.ENOENT -> "the kernel has no TCP handler for inet_diag (load module tcp_diag)";
            default -> "the kernel refused a test dump";
        };
        return hint + ": " + e.getMessage();
    }

    /**
     * Streams every socket matching {@code query} to {@code sink}, on the calling thread. The
     * query's {@linkplain DumpQuery#filter() filter} runs in the kernel, as
     * {@code INET_DIAG_REQ_BYTECODE}: sockets that fail it are never copied out.
     *
     * <p>Each request walks the kernel's whole table of connections, whatever it keeps: about
     * 8 ms for a table of 262,144 buckets holding 20,000 sockets, even when none matches. So a
     * query for both families is one {@code TCPDIAG_GETSOCK} request, which the kernel answers
     * with both families from one walk, in its table's order (families mixed). A query for one
     * family, or any query on a kernel that refuses that request, is one
     * {@code SOCK_DIAG_BY_FAMILY} request per family, IPv4 first.
     *
     * @throws ErrnoException when a system call or the kernel reports an error
     * @throws MalformedReplyException when the reply does not parse
     * @throws IllegalStateException when the reader is closed
     */
    @Override
    public DumpStats dump(DumpQuery query, Consumer<? super SocketRecord> sink) throws IOException {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(sink, "sink");
        int ext = RequestEncoder.extensions(query.extensions());
        byte[] program = BytecodeCompiler.compile(query.filter());
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("this SockDiagReader is closed");
            }
            if (dumper == null) {
                dumper = opener.open();
            }
            boolean ok = false;
            try {
                DumpStats total;
                boolean both = query.families().containsAll(EnumSet.allOf(AddressFamily.class));
                if (both && bothFamilies != BothFamilies.PER_FAMILY) {
                    total = dumpBothFamilies(query.stateMask(), ext, program, sink);
                } else {
                    total = dumpPerFamily(query.families(), query.stateMask(), ext, program, sink);
                }
                ok = true;
                return total;
            } finally {
                if (!ok) {
                    discardSocket();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Both families in one {@code TCPDIAG_GETSOCK} request. The first time, if the kernel refuses
     * that request before any socket ({@link #refusal}), this dump sends one request per family
     * instead, and if that works, so does every later dump of this reader. Any other failure is the
     * dump's. Call with {@link #lock} held.
     */
    private DumpStats dumpBothFamilies(int states, int ext, byte[] program, Consumer<? super SocketRecord> sink)
            throws IOException {
        if (bothFamilies == BothFamilies.ONE_REQUEST) {
            return dumper.dump(DumpRequest.BOTH_FAMILIES, states, ext, program, sink);
        }
        long[] delivered = {0};
        DumpStats stats;
        try {
            stats = dumper.dump(DumpRequest.BOTH_FAMILIES, states, ext, program, socket -> {
                delivered[0]++;
                sink.accept(socket);
            });
        } catch (ErrnoException refused) {
            if (delivered[0] > 0 || !refusal(refused)) {
                throw refused;
            }
            try {
                stats = dumpPerFamily(EnumSet.allOf(AddressFamily.class), states, ext, program, sink);
            } catch (IOException | RuntimeException e) {
                e.addSuppressed(refused);
                throw e;
            }
            bothFamilies = BothFamilies.PER_FAMILY;
            LOG.log(System.Logger.Level.INFO, "this kernel does not answer one dump request for both address"
                    + " families ({0}), so each dump{1} sends one per family, and the kernel walks its socket"
                    + " table once for each", refused.getMessage(),
                    namespace == null ? "" : " of " + namespace);
            return stats;
        }
        bothFamilies = BothFamilies.ONE_REQUEST;
        return stats;
    }

    /**
     * Whether {@code e} is the kernel refusing the {@code TCPDIAG_GETSOCK} request itself, as one
     * without it answers: {@code EOPNOTSUPP} (no handler), {@code EINVAL} (a request type it does
     * not know) or the internal {@code ENOTSUPP}. A timeout, a full queue or any other error is not.
     */
    private static boolean refusal(ErrnoException e) {
        return e.call().equals(DumpRequest.BOTH_FAMILIES.description())
                && (e.errno() == Errno.EOPNOTSUPP || e.errno() == Errno.EINVAL || e.errno() == Errno.ENOTSUPP);
    }

    /** One {@code SOCK_DIAG_BY_FAMILY} request per family, IPv4 first; call with {@link #lock} held. */
    private DumpStats dumpPerFamily(Set<AddressFamily> families, int states, int ext, byte[] program,
                                    Consumer<? super SocketRecord> sink) throws IOException {
        DumpStats total = new DumpStats(0, 0, 0, false);
        for (AddressFamily family : AddressFamily.values()) {
            if (families.contains(family)) {
                total = total.plus(dumper.dump(family, states, ext, program, sink));
            }
        }
        return total;
    }

    /** After a failed dump the socket may still queue its rest; start the next dump afresh. */
    private void discardSocket() {
        InetDiagDumper d = dumper;
        dumper = null;
        LOG.log(System.Logger.Level.DEBUG, "dump failed; closing netlink socket fd={0}, the next dump opens a"
                + " new one", d.fd());
        try {
            d.close();
        } catch (ErrnoException e) {
            LOG.log(System.Logger.Level.WARNING, "closing the netlink socket after a failed dump failed too", e);
        }
    }

    /** {@link #dump} into a list. */
    public List<SocketRecord> dumpAll(DumpQuery query) throws IOException {
        List<SocketRecord> out = new ArrayList<>();
        dump(query, out::add);
        return out;
    }

    /** Closes the socket and frees the buffers, waiting for a running dump; a second call does nothing. */
    @Override
    public void close() throws NetlinkException {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            InetDiagDumper d = dumper;
            dumper = null;
            if (d != null) {
                d.close();
            }
        } finally {
            lock.unlock();
        }
    }
}
