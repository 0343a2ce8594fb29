package dev.ssexporter.netlink;

import dev.ssexporter.netlink.internal.Errno;

/**
 * A system call, or the kernel's answer to a netlink request, failed with an errno.
 *
 * <p>The message names the call and its key arguments, then the errno's name and number:
 *
 * <pre>
 * recvmsg(fd=7, NETLINK_SOCK_DIAG) failed: ENOBUFS (errno 105)
 * SOCK_DIAG_BY_FAMILY dump (AF_INET6) failed: EPERM (errno 1)
 * </pre>
 *
 * The second form is a kernel {@code NLMSG_ERROR} reply, or a {@code NLMSG_DONE} carrying a
 * negative code, for the dump request of that family.
 */
public final class ErrnoException extends NetlinkException {
    private final String call;
    private final int errno;

    /**
     * @param call what failed with its key arguments, e.g. {@code recvmsg(fd=7, NETLINK_SOCK_DIAG)}
     * @param errno the positive errno number
     */
    public ErrnoException(String call, int errno) {
        super(call + " failed: " + Errno.name(errno) + " (errno " + errno + ")");
        this.call = call;
        this.errno = errno;
    }

    /** The failed call with its key arguments. */
    public String call() {
        return call;
    }

    /** The positive errno number, e.g. 105. */
    public int errno() {
        return errno;
    }

    /** The errno's symbolic name, e.g. {@code ENOBUFS}. */
    public String errnoName() {
        return Errno.name(errno);
    }
}
