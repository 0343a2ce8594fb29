package dev.ssexporter.netlink;

/**
 * The kernel's reply does not parse: a length field points outside its message, a struct is cut
 * short, a value is out of range. This is the one exception the parser throws for bad bytes; it
 * never throws {@code IndexOutOfBoundsException} and never loops on them.
 *
 * <p>The message says what is wrong and at which byte offset of the received buffer (one
 * {@code recvmsg} datagram), e.g.:
 *
 * <pre>
 * truncated inet_diag_msg at offset 4096: need 72 bytes, 40 left
 * nlmsghdr at offset 0: nlmsg_len 0 is smaller than the 16-byte header
 * </pre>
 */
public final class MalformedReplyException extends NetlinkException {
    private final long offset;

    /**
     * @param what the thing that is wrong, e.g. {@code truncated inet_diag_msg}
     * @param offset the byte offset of that thing in the received buffer
     * @param detail why, with the numbers, e.g. {@code need 72 bytes, 40 left}
     */
    public MalformedReplyException(String what, long offset, String detail) {
        super(what + " at offset " + offset + ": " + detail);
        this.offset = offset;
    }

    /** Byte offset, in the received buffer, of the malformed part. */
    public long offset() {
        return offset;
    }
}
