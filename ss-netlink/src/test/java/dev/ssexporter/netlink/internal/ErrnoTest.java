package dev.ssexporter.netlink.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssexporter.netlink.ErrnoException;
import dev.ssexporter.netlink.MalformedReplyException;
import org.junit.jupiter.api.Test;

class ErrnoTest {

    @Test
    void namesLinuxErrnos() {
        assertThat(Errno.name(1)).isEqualTo("EPERM");
        assertThat(Errno.name(4)).isEqualTo("EINTR");
        assertThat(Errno.name(11)).isEqualTo("EAGAIN");
        assertThat(Errno.name(93)).isEqualTo("EPROTONOSUPPORT");
        assertThat(Errno.name(97)).isEqualTo("EAFNOSUPPORT");
        assertThat(Errno.name(105)).isEqualTo("ENOBUFS");
        assertThat(Errno.name(133)).isEqualTo("EHWPOISON");
        assertThat(Errno.name(524)).isEqualTo("ENOTSUPP");
        assertThat(Errno.name(41)).isEqualTo("EUNKNOWN"); // no errno 41 on Linux
        assertThat(Errno.name(0)).isEqualTo("EUNKNOWN");
        assertThat(Errno.name(-5)).isEqualTo("EUNKNOWN");
        assertThat(Errno.name(10_000)).isEqualTo("EUNKNOWN");
    }

    @Test
    void exceptionMessagesSayCallArgumentsAndErrno() {
        ErrnoException e = new ErrnoException("recvmsg(fd=7, NETLINK_SOCK_DIAG)", 105);
        assertThat(e).hasMessage("recvmsg(fd=7, NETLINK_SOCK_DIAG) failed: ENOBUFS (errno 105)");
        assertThat(e.errno()).isEqualTo(105);
        assertThat(e.errnoName()).isEqualTo("ENOBUFS");
        assertThat(e.call()).isEqualTo("recvmsg(fd=7, NETLINK_SOCK_DIAG)");

        MalformedReplyException m = new MalformedReplyException("truncated inet_diag_msg", 4096, "need 72 bytes, 40 left");
        assertThat(m).hasMessage("truncated inet_diag_msg at offset 4096: need 72 bytes, 40 left");
        assertThat(m.offset()).isEqualTo(4096);
    }
}
