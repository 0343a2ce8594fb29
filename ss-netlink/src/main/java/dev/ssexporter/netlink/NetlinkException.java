package dev.ssexporter.netlink;

import java.io.IOException;

/**
 * A failure talking to the kernel over {@code NETLINK_SOCK_DIAG}: either a system call or the
 * kernel's own reply reported an errno ({@link ErrnoException}), or the reply's bytes do not parse
 * ({@link MalformedReplyException}).
 */
public abstract sealed class NetlinkException extends IOException
        permits ErrnoException, MalformedReplyException {

    NetlinkException(String message) {
        super(message);
    }
}
