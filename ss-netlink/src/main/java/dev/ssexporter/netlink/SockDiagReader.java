package dev.ssexporter.netlink;

import dev.ssexporter.netlink.internal.BytecodeCompiler;
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
 * <p>One reader holds one netlink socket and one 64 KiB receive buffer, reused for every dump,
 * and (except a reader of another namespace) a second pair for the IPv6 request of a dump of both
 * families, which runs at the same time (see {@link #dump}). Dumps on one reader are serialized:
 * a second thread waits for the first one's dump to end. Each family of the query is one request;
 * records are streamed to the sink on the calling thread as each reply datagram is parsed, IPv4
 * first. When a dump fails (or the sink throws), the sockets may still hold the rest of that
 * dump, so the reader closes them and opens fresh ones for the next dump.
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
    /** The socket of the IPv6 half when both families are dumped at once; opened on first use. */
    private InetDiagDumper second;
    /** Whether a dump of both families runs the IPv6 request on a second socket at the same time. */
    private final boolean familiesAtOnce;
    private boolean closed;

    /** How a reader (re)opens its socket. */
    @FunctionalInterface
    private interface Opener {
        InetDiagDumper open() throws IOException;
    }

    private SockDiagReader(InetDiagDumper dumper, Opener opener, Path namespace, long namespaceInode,
                           boolean familiesAtOnce) {
        this.dumper = dumper;
        this.opener = opener;
        this.namespace = namespace;
        this.namespaceInode = namespaceInode;
        this.familiesAtOnce = familiesAtOnce;
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
        return new SockDiagReader(InetDiagDumper.open(), InetDiagDumper::open, null, 0, true);
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
        // One family after the other, on the one socket: a second socket would have to be opened
        // from nsPath later, and the name may be gone by then while this socket keeps the namespace.
        return new SockDiagReader(InetDiagDumper.over(first.socket()), again, nsPath, inode, false);
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
     * receive queue); it dumps the families one after the other, on one socket.
     */
    static SockDiagReader open(NetlinkTransport.Opener transports) throws NetlinkException {
        Objects.requireNonNull(transports, "transports");
        return new SockDiagReader(InetDiagDumper.open(transports), () -> InetDiagDumper.open(transports), null, 0,
                false);
    }

    /** Test seam: {@link #open()}, dumping the families one after the other or at once. */
    static SockDiagReader open(boolean familiesAtOnce) throws NetlinkException {
        return new SockDiagReader(InetDiagDumper.open(), InetDiagDumper::open, null, 0, familiesAtOnce);
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
     * Streams every socket matching {@code query} to {@code sink}: one request per family, IPv4
     * first, always on the calling thread. The query's {@linkplain DumpQuery#filter() filter} runs
     * in the kernel, as {@code INET_DIAG_REQ_BYTECODE}: sockets that fail it are never copied out.
     *
     * <p>Each request walks the kernel's whole table of connections, whatever it keeps: about
     * 10 ms for a table of 262,144 buckets, even with no socket of that family. So when both
     * families are asked for, the IPv6 request runs at the same time on a second socket and a
     * helper thread ({@link FamilyHandoff}), and its sockets reach {@code sink} after the IPv4 ones.
     * A reader of another namespace ({@link #openInNamespace}) sends them one after the other.
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
                DumpStats total = new DumpStats(0, 0, 0, false);
                if (familiesAtOnce && query.families().containsAll(EnumSet.allOf(AddressFamily.class))
                        && secondSocket()) {
                    total = dumpFamiliesAtOnce(query.stateMask(), ext, program, sink);
                } else {
                    for (AddressFamily family : AddressFamily.values()) {
                        if (query.families().contains(family)) {
                            total = total.plus(dumper.dump(family, query.stateMask(), ext, program, sink));
                        }
                    }
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
     * Whether the second socket is open, opening it if needed; when it cannot be opened (out of
     * descriptors, say), this dump sends the families one after the other. Call with {@link #lock} held.
     */
    private boolean secondSocket() {
        if (second == null) {
            try {
                second = opener.open();
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "cannot open a second netlink socket, so this dump sends the"
                        + " families one after the other: {0}", e.toString());
                return false;
            }
        }
        return true;
    }

    /** IPv4 on this thread and socket, IPv6 at the same time on the second; call with {@link #lock} held. */
    private DumpStats dumpFamiliesAtOnce(int states, int ext, byte[] program, Consumer<? super SocketRecord> sink)
            throws IOException {
        InetDiagDumper ipv6 = second;
        FamilyHandoff half = FamilyHandoff.start("ss-exporter-dump-ipv6",
                records -> ipv6.dump(AddressFamily.INET6, states, ext, program, records));
        DumpStats ipv4;
        try {
            ipv4 = dumper.dump(AddressFamily.INET, states, ext, program, sink);
        } catch (IOException | RuntimeException | Error e) {
            half.cancel();
            throw e;
        }
        return ipv4.plus(half.drainTo(sink));
    }

    /** After a failed dump the sockets may still queue its rest; start the next dump afresh. */
    private void discardSocket() {
        InetDiagDumper d = dumper;
        InetDiagDumper s = second;
        dumper = null;
        second = null;
        for (InetDiagDumper each : s == null ? List.of(d) : List.of(d, s)) {
            LOG.log(System.Logger.Level.DEBUG, "dump failed; closing netlink socket fd={0}, the next dump opens a"
                    + " new one", each.fd());
            try {
                each.close();
            } catch (ErrnoException e) {
                LOG.log(System.Logger.Level.WARNING, "closing the netlink socket after a failed dump failed too", e);
            }
        }
    }

    /** {@link #dump} into a list. */
    public List<SocketRecord> dumpAll(DumpQuery query) throws IOException {
        List<SocketRecord> out = new ArrayList<>();
        dump(query, out::add);
        return out;
    }

    /** Closes the sockets and frees the buffers, waiting for a running dump; a second call does nothing. */
    @Override
    public void close() throws NetlinkException {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            InetDiagDumper d = dumper;
            InetDiagDumper s = second;
            dumper = null;
            second = null;
            try {
                if (d != null) {
                    d.close();
                }
            } finally {
                if (s != null) {
                    s.close();
                }
            }
        } finally {
            lock.unlock();
        }
    }
}
