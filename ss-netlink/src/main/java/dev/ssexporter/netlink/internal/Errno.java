package dev.ssexporter.netlink.internal;

/**
 * Names of Linux errno values ({@code include/uapi/asm-generic/errno-base.h} and
 * {@code errno.h}, the numbering x86-64 and arm64 share), for error messages.
 *
 * <p>This is {@link LibC}'s errno table, kept in a class of its own so that naming the errno of a
 * kernel {@code NLMSG_ERROR} reply (part of a pure parse) never loads the native linker.
 */
public final class Errno {
    /** Operation not permitted. */
    public static final int EPERM = 1;
    /** No such file or directory; netlink: no handler for the requested family. */
    public static final int ENOENT = 2;
    /** Interrupted system call; {@link LibC} retries it. */
    public static final int EINTR = 4;
    /** Resource temporarily unavailable; also what an expired receive timeout reports. */
    public static final int EAGAIN = 11;
    /** Permission denied. */
    public static final int EACCES = 13;
    /** Protocol not supported; socket(): the kernel lacks that netlink protocol. */
    public static final int EPROTONOSUPPORT = 93;
    /** Address family not supported; socket(): the kernel lacks AF_NETLINK. */
    public static final int EAFNOSUPPORT = 97;
    /** Invalid argument; netlink: a request type or payload the kernel does not know. */
    public static final int EINVAL = 22;
    /** Operation not supported; sock_diag: no handler for the request type. */
    public static final int EOPNOTSUPP = 95;
    /** No buffer space available; netlink: the receive queue overflowed. */
    public static final int ENOBUFS = 105;

    /** Kernel-internal "operation not supported" that sometimes leaks out through netlink. */
    public static final int ENOTSUPP = 524;

    private static final String[] NAMES = {
            null, "EPERM", "ENOENT", "ESRCH", "EINTR", "EIO", "ENXIO", "E2BIG", "ENOEXEC", "EBADF",
            "ECHILD", "EAGAIN", "ENOMEM", "EACCES", "EFAULT", "ENOTBLK", "EBUSY", "EEXIST", "EXDEV",
            "ENODEV", "ENOTDIR", "EISDIR", "EINVAL", "ENFILE", "EMFILE", "ENOTTY", "ETXTBSY",
            "EFBIG", "ENOSPC", "ESPIPE", "EROFS", "EMLINK", "EPIPE", "EDOM", "ERANGE", "EDEADLK",
            "ENAMETOOLONG", "ENOLCK", "ENOSYS", "ENOTEMPTY", "ELOOP", null, "ENOMSG", "EIDRM",
            "ECHRNG", "EL2NSYNC", "EL3HLT", "EL3RST", "ELNRNG", "EUNATCH", "ENOCSI", "EL2HLT",
            "EBADE", "EBADR", "EXFULL", "ENOANO", "EBADRQC", "EBADSLT", null, "EBFONT", "ENOSTR",
            "ENODATA", "ETIME", "ENOSR", "ENONET", "ENOPKG", "EREMOTE", "ENOLINK", "EADV", "ESRMNT",
            "ECOMM", "EPROTO", "EMULTIHOP", "EDOTDOT", "EBADMSG", "EOVERFLOW", "ENOTUNIQ", "EBADFD",
            "EREMCHG", "ELIBACC", "ELIBBAD", "ELIBSCN", "ELIBMAX", "ELIBEXEC", "EILSEQ", "ERESTART",
            "ESTRPIPE", "EUSERS", "ENOTSOCK", "EDESTADDRREQ", "EMSGSIZE", "EPROTOTYPE",
            "ENOPROTOOPT", "EPROTONOSUPPORT", "ESOCKTNOSUPPORT", "EOPNOTSUPP", "EPFNOSUPPORT",
            "EAFNOSUPPORT", "EADDRINUSE", "EADDRNOTAVAIL", "ENETDOWN", "ENETUNREACH", "ENETRESET",
            "ECONNABORTED", "ECONNRESET", "ENOBUFS", "EISCONN", "ENOTCONN", "ESHUTDOWN",
            "ETOOMANYREFS", "ETIMEDOUT", "ECONNREFUSED", "EHOSTDOWN", "EHOSTUNREACH", "EALREADY",
            "EINPROGRESS", "ESTALE", "EUCLEAN", "ENOTNAM", "ENAVAIL", "EISNAM", "EREMOTEIO",
            "EDQUOT", "ENOMEDIUM", "EMEDIUMTYPE", "ECANCELED", "ENOKEY", "EKEYEXPIRED",
            "EKEYREVOKED", "EKEYREJECTED", "EOWNERDEAD", "ENOTRECOVERABLE", "ERFKILL", "EHWPOISON"
    };

    private Errno() {}

    /** The symbolic name of {@code errno}, e.g. {@code ENOBUFS}; {@code EUNKNOWN} when unknown. */
    public static String name(int errno) {
        if (errno > 0 && errno < NAMES.length && NAMES[errno] != null) {
            return NAMES[errno];
        }
        return errno == ENOTSUPP ? "ENOTSUPP" : "EUNKNOWN";
    }
}
