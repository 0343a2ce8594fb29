package dev.ssexporter.netlink.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.ssexporter.netlink.ErrnoException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The libc downcalls, and nothing else: {@code socket}, {@code bind}, {@code getsockname},
 * {@code setsockopt}, {@code sendto}, {@code recvmsg}, {@code close}, for network namespaces
 * {@code open} and {@code setns}, and for walking {@code /proc} {@code openat}, {@code getdents64},
 * {@code readlinkat}, {@code statx}, {@code fstatfs} and {@code lseek}.
 *
 * <p>Each handle is bound once and called with {@code invokeExact}. Each captures {@code errno}
 * ({@link Linker.Option#captureCallState}) into a segment allocated from the caller's confined
 * arena for that one call, never a shared one, so concurrent calls cannot overwrite each other's
 * errno. A failure becomes an {@link ErrnoException} named after the call and the description the
 * caller passes; {@code EINTR} is retried, except by {@code close} (Linux releases the descriptor
 * even when close is interrupted, and a retry could close a descriptor another thread just got).
 * The errno names are in {@link Errno}.
 *
 * <p>The {@code /proc} calls are made once per descriptor of every process, so they differ: the
 * caller passes an errno segment it allocated once ({@link #errnoState}) and reuses, and a failure
 * is returned as a negative errno instead of thrown, since a process or descriptor that vanished
 * is ordinary there.
 *
 * <p>The handles are bound in four groups, each when first used: the socket calls, the file
 * calls, the {@code stat} calls ({@code statx} needs glibc 2.28; without them the {@code /proc}
 * walk reads links, see {@link #statAvailable()}), {@code setns}. Binding needs native access. When the JVM refuses it
 * ({@code --illegal-native-access=deny} without {@code --enable-native-access}), or libc lacks a
 * symbol, this class still loads, {@link #checkAvailable()} says why for the socket calls, and
 * {@code open} and {@code setns} throw the same way for theirs.
 */
@SuppressWarnings("restricted")
public final class LibC {
    /** The flag that grants this code native access when it runs from the class path. */
    public static final String NATIVE_ACCESS_FLAG = "--enable-native-access=ALL-UNNAMED";

    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno")).withInvokeExactBehavior();

    private static final int SEEK_SET = 0;
    /** Room for {@code struct statfs}: 120 bytes on x86-64 and arm64. */
    private static final long STATFS_SIZE = 256;

    private LibC() {}

    /**
     * The socket calls, bound when first needed, which is when the kernel is first probed: every
     * command needs them. Binding is a good part of start-up (the JVM generates each call stub at
     * run time), so the other groups are bound only when they are first used.
     */
    private static final class Sockets {
        static final MethodHandle SOCKET;
        static final MethodHandle BIND;
        static final MethodHandle GETSOCKNAME;
        static final MethodHandle SETSOCKOPT;
        static final MethodHandle SENDTO;
        static final MethodHandle RECVMSG;
        static final MethodHandle CLOSE;
        /** Why binding failed, or null. */
        static final Throwable UNAVAILABLE;

        static {
            Binder b = new Binder();
            SOCKET = b.bind("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
            BIND = b.bind("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
            GETSOCKNAME = b.bind("getsockname", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
            SETSOCKOPT = b.bind("setsockopt",
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
            SENDTO = b.bind("sendto",
                    FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
            RECVMSG = b.bind("recvmsg", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
            CLOSE = b.bind("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
            UNAVAILABLE = b.failure;
        }
    }

    /** The file calls of the {@code /proc} walk and of opening a network namespace. */
    private static final class Files {
        static final MethodHandle OPEN;
        static final MethodHandle OPENAT;
        static final MethodHandle GETDENTS64;
        static final MethodHandle READLINKAT;
        static final Throwable UNAVAILABLE;

        static {
            Binder b = new Binder();
            // open(const char *path, int flags, ...): the mode is passed as the one variadic argument.
            OPEN = b.bind("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
                    Linker.Option.firstVariadicArg(2));
            // openat(int dirfd, const char *path, int flags, ...): no mode, nothing is created.
            OPENAT = b.bind("openat", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
            GETDENTS64 = b.bind("getdents64", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
            READLINKAT = b.bind("readlinkat",
                    FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
            UNAVAILABLE = b.failure;
        }
    }

    /** The {@code stat} calls of the {@code /proc} walk on procfs; it does without them. */
    private static final class Stat {
        static final MethodHandle STATX;
        static final MethodHandle FSTATFS;
        static final MethodHandle LSEEK;
        static final Throwable UNAVAILABLE;

        static {
            Binder b = new Binder();
            // statx(int dirfd, const char *path, int flags, unsigned int mask, struct statx *buf)
            STATX = b.bind("statx", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS));
            FSTATFS = b.bind("fstatfs", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
            LSEEK = b.bind("lseek", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT));
            UNAVAILABLE = b.failure;
        }
    }

    /** {@code setns}, for reading another network namespace. */
    private static final class Namespaces {
        static final MethodHandle SETNS;
        static final Throwable UNAVAILABLE;

        static {
            Binder b = new Binder();
            SETNS = b.bind("setns", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
            UNAVAILABLE = b.failure;
        }
    }

    /** Binds one group's downcalls; after the first failure, which it keeps, it binds nothing more. */
    private static final class Binder {
        private Linker linker;
        private SymbolLookup libc;
        Throwable failure;

        MethodHandle bind(String name, FunctionDescriptor fd, Linker.Option... extra) {
            if (failure != null) {
                return null;
            }
            try {
                if (linker == null) {
                    linker = Linker.nativeLinker();
                    libc = linker.defaultLookup();
                }
                MemorySegment symbol = libc.find(name)
                        .orElseThrow(() -> new UnsatisfiedLinkError("libc has no symbol '" + name + "'"));
                Linker.Option[] options = new Linker.Option[extra.length + 1];
                options[0] = Linker.Option.captureCallState("errno");
                System.arraycopy(extra, 0, options, 1, extra.length);
                return linker.downcallHandle(symbol, fd, options);
            } catch (IllegalCallerException | UnsatisfiedLinkError | UnsupportedOperationException e) {
                failure = e;
                return null;
            }
        }
    }

    /**
     * Throws when the socket calls could not be bound.
     *
     * @throws IllegalCallerException when native access is denied, naming the flag that grants it
     * @throws UnsatisfiedLinkError when libc lacks a symbol, naming it
     */
    public static void checkAvailable() {
        check(Sockets.UNAVAILABLE);
    }

    /** Throws for {@code unavailable} as {@link #checkAvailable()} says; nothing for null. */
    private static void check(Throwable unavailable) {
        switch (unavailable) {
            case null -> { }
            case IllegalCallerException e -> throw new IllegalCallerException(
                    "native access is not enabled for " + describe(LibC.class.getModule())
                            + ", so NETLINK_SOCK_DIAG cannot be read: add " + NATIVE_ACCESS_FLAG
                            + " to the java command line (or 'Enable-Native-Access: ALL-UNNAMED' to the"
                            + " manifest of an executable jar)", e);
            case UnsatisfiedLinkError e -> throw new UnsatisfiedLinkError(e.getMessage());
            default -> throw new UnsupportedOperationException(
                    "cannot call libc from Java here: " + unavailable.getMessage(), unavailable);
        }
    }

    /** Whether the JVM granted this code native access (otherwise calls work but the JVM warns). */
    public static boolean nativeAccessEnabled() {
        return LibC.class.getModule().isNativeAccessEnabled();
    }

    private static String describe(Module module) {
        return module.isNamed() ? "module " + module.getName() : "the unnamed module (class path)";
    }

    /** A segment for the errno of the calls that take one; allocate once, reuse on one thread. */
    public static MemorySegment errnoState(Arena arena) {
        return errnoSegment(arena);
    }

    private static MemorySegment errnoSegment(Arena arena) {
        return arena.allocate(CAPTURE_LAYOUT);
    }

    private static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    /** {@code socket(domain, type, protocol)}: the new descriptor. */
    public static int socket(Arena arena, int domain, int type, int protocol, String call) throws ErrnoException {
        MemorySegment state = errnoSegment(arena);
        while (true) {
            int fd;
            try {
                fd = (int) Sockets.SOCKET.invokeExact(state, domain, type, protocol);
            } catch (Throwable t) {
                throw rethrow(t);
            }
            if (fd >= 0) {
                return fd;
            }
            failUnlessEintr(state, call);
        }
    }

    /** {@code bind(fd, addr, addr.byteSize())}. */
    public static void bind(Arena arena, int fd, MemorySegment addr, String call) throws ErrnoException {
        MemorySegment state = errnoSegment(arena);
        while (true) {
            int r;
            try {
                r = (int) Sockets.BIND.invokeExact(state, fd, addr, (int) addr.byteSize());
            } catch (Throwable t) {
                throw rethrow(t);
            }
            if (r == 0) {
                return;
            }
            failUnlessEintr(state, call);
        }
    }

    /** {@code getsockname(fd, addr, &len)}: the length the kernel wrote. */
    public static int getsockname(Arena arena, int fd, MemorySegment addr, String call) throws ErrnoException {
        MemorySegment state = errnoSegment(arena);
        MemorySegment len = arena.allocate(JAVA_INT);
        while (true) {
            len.set(JAVA_INT, 0, (int) addr.byteSize());
            int r;
            try {
                r = (int) Sockets.GETSOCKNAME.invokeExact(state, fd, addr, len);
            } catch (Throwable t) {
                throw rethrow(t);
            }
            if (r == 0) {
                return len.get(JAVA_INT, 0);
            }
            failUnlessEintr(state, call);
        }
    }

    /** {@code setsockopt(fd, level, name, value, value.byteSize())}. */
    public static void setsockopt(Arena arena, int fd, int level, int name, MemorySegment value, String call)
            throws ErrnoException {
        MemorySegment state = errnoSegment(arena);
        while (true) {
            int r;
            try {
                r = (int) Sockets.SETSOCKOPT.invokeExact(state, fd, level, name, value, (int) value.byteSize());
            } catch (Throwable t) {
                throw rethrow(t);
            }
            if (r == 0) {
                return;
            }
            failUnlessEintr(state, call);
        }
    }

    /** {@code sendto(fd, buf, buf.byteSize(), flags, dest, dest.byteSize())}: bytes sent. */
    public static long sendto(Arena arena, int fd, MemorySegment buf, int flags, MemorySegment dest, String call)
            throws ErrnoException {
        MemorySegment state = errnoSegment(arena);
        while (true) {
            long n;
            try {
                n = (long) Sockets.SENDTO.invokeExact(state, fd, buf, buf.byteSize(), flags, dest,
                        (int) dest.byteSize());
            } catch (Throwable t) {
                throw rethrow(t);
            }
            if (n >= 0) {
                return n;
            }
            failUnlessEintr(state, call);
        }
    }

    /** {@code recvmsg(fd, msg, flags)}: bytes received (with {@code MSG_TRUNC}: the datagram's size). */
    public static long recvmsg(Arena arena, int fd, MemorySegment msg, int flags, String call) throws ErrnoException {
        MemorySegment state = errnoSegment(arena);
        while (true) {
            long n;
            try {
                n = (long) Sockets.RECVMSG.invokeExact(state, fd, msg, flags);
            } catch (Throwable t) {
                throw rethrow(t);
            }
            if (n >= 0) {
                return n;
            }
            failUnlessEintr(state, call);
        }
    }

    /** {@code close(fd)}, not retried on {@code EINTR} (see the class comment). */
    public static void close(Arena arena, int fd, String call) throws ErrnoException {
        MemorySegment state = errnoSegment(arena);
        int r;
        try {
            r = (int) Sockets.CLOSE.invokeExact(state, fd);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        if (r != 0 && errno(state) != Errno.EINTR) {
            throw new ErrnoException(call, errno(state));
        }
    }

    /** {@code open(path, flags, 0)}: the new descriptor. */
    public static int open(Arena arena, String path, int flags, String call) throws ErrnoException {
        check(Files.UNAVAILABLE);  // the other file calls come after an open
        MemorySegment state = errnoSegment(arena);
        MemorySegment cPath = arena.allocateFrom(path);
        while (true) {
            int fd;
            try {
                fd = (int) Files.OPEN.invokeExact(state, cPath, flags, 0);
            } catch (Throwable t) {
                throw rethrow(t);
            }
            if (fd >= 0) {
                return fd;
            }
            failUnlessEintr(state, call);
        }
    }

    /**
     * {@code setns(fd, nstype)}: moves the <em>calling thread</em> into the namespace {@code fd}
     * refers to. Only that thread changes; for a network namespace, sockets it opens afterwards
     * belong to that namespace.
     */
    public static void setns(Arena arena, int fd, int nstype, String call) throws ErrnoException {
        check(Namespaces.UNAVAILABLE);
        MemorySegment state = errnoSegment(arena);
        while (true) {
            int r;
            try {
                r = (int) Namespaces.SETNS.invokeExact(state, fd, nstype);
            } catch (Throwable t) {
                throw rethrow(t);
            }
            if (r == 0) {
                return;
            }
            failUnlessEintr(state, call);
        }
    }

    /**
     * {@code openat(dirfd, path, flags)} with {@code path} a NUL-terminated string: the new
     * descriptor, or the negative errno. {@code EINTR} is retried.
     */
    public static int openat(MemorySegment state, int dirfd, MemorySegment path, int flags) {
        while (true) {
            int fd;
            try {
                fd = (int) Files.OPENAT.invokeExact(state, dirfd, path, flags);
            } catch (Throwable t) {
                throw rethrow(t);
            }
            if (fd >= 0 || errno(state) != Errno.EINTR) {
                return fd >= 0 ? fd : -errno(state);
            }
        }
    }

    /**
     * {@code getdents64(fd, buf, buf.byteSize())}: the bytes of {@code struct linux_dirent64}
     * records written, 0 at the end of the directory, or the negative errno. {@code EINTR} is
     * retried.
     */
    public static long getdents64(MemorySegment state, int fd, MemorySegment buf) {
        while (true) {
            long n;
            try {
                n = (long) Files.GETDENTS64.invokeExact(state, fd, buf, buf.byteSize());
            } catch (Throwable t) {
                throw rethrow(t);
            }
            if (n >= 0 || errno(state) != Errno.EINTR) {
                return n >= 0 ? n : -errno(state);
            }
        }
    }

    /**
     * {@code readlinkat(dirfd, path, buf, buf.byteSize())}: the length of the link text written
     * (not NUL-terminated; equal to the buffer's size when it may have been cut), or the negative
     * errno. {@code EINTR} is retried.
     */
    public static long readlinkat(MemorySegment state, int dirfd, MemorySegment path, MemorySegment buf) {
        while (true) {
            long n;
            try {
                n = (long) Files.READLINKAT.invokeExact(state, dirfd, path, buf, buf.byteSize());
            } catch (Throwable t) {
                throw rethrow(t);
            }
            if (n >= 0 || errno(state) != Errno.EINTR) {
                return n >= 0 ? n : -errno(state);
            }
        }
    }

    /** Whether {@link #statx}, {@link #fileSystemType} and {@link #lseekSet} can be called. */
    public static boolean statAvailable() {
        return Stat.UNAVAILABLE == null;
    }

    /**
     * {@code lseek(fd, offset, SEEK_SET)}: the new offset, or the negative errno. For a
     * {@code /proc/PID/fd} directory the offset of descriptor {@code N}'s entry is {@code N + 2}.
     */
    public static long lseekSet(MemorySegment state, int fd, long offset) {
        long r;
        try {
            r = (long) Stat.LSEEK.invokeExact(state, fd, offset, SEEK_SET);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        return r >= 0 ? r : -errno(state);
    }

    /**
     * {@code statx(dirfd, path, flags, mask, buf)} with {@code path} a NUL-terminated string and
     * {@code buf} a {@link Statx#LAYOUT}: 0, or the negative errno. {@code EINTR} is retried.
     */
    public static int statx(MemorySegment state, int dirfd, MemorySegment path, int flags, int mask,
                            MemorySegment buf) {
        while (true) {
            int r;
            try {
                r = (int) Stat.STATX.invokeExact(state, dirfd, path, flags, mask, buf);
            } catch (Throwable t) {
                throw rethrow(t);
            }
            if (r == 0 || errno(state) != Errno.EINTR) {
                return r == 0 ? 0 : -errno(state);
            }
        }
    }

    /**
     * The {@code f_type} (file system magic number) of the file system holding {@code fd}, from
     * {@code fstatfs}; the negative errno on failure. {@code f_type} is the first member of
     * {@code struct statfs}, a {@code long} on 64-bit Linux.
     */
    public static long fileSystemType(Arena arena, int fd) {
        MemorySegment state = errnoSegment(arena);
        MemorySegment buf = arena.allocate(STATFS_SIZE, 8);
        while (true) {
            int r;
            try {
                r = (int) Stat.FSTATFS.invokeExact(state, fd, buf);
            } catch (Throwable t) {
                throw rethrow(t);
            }
            if (r == 0) {
                return buf.get(JAVA_LONG, 0);
            }
            if (errno(state) != Errno.EINTR) {
                return -errno(state);
            }
        }
    }

    /** {@code close(fd)} for a descriptor only read from: 0 or the negative errno, never retried. */
    public static int closeQuietly(MemorySegment state, int fd) {
        int r;
        try {
            r = (int) Sockets.CLOSE.invokeExact(state, fd);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        return r == 0 ? 0 : -errno(state);
    }

    private static void failUnlessEintr(MemorySegment state, String call) throws ErrnoException {
        int errno = errno(state);
        if (errno != Errno.EINTR) {
            throw new ErrnoException(call, errno);
        }
    }

    /** A downcall declares Throwable but throws only unchecked errors; pass those through. */
    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException e) {
            return e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("downcall threw a checked exception", t);
    }
}
