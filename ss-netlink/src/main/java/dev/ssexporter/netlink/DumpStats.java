package dev.ssexporter.netlink;

/**
 * What one dump cost and whether it can be trusted.
 *
 * @param sockets sockets delivered to the caller
 * @param messages netlink messages read
 * @param bytes bytes read from the netlink socket
 * @param interrupted whether the kernel flagged the dump {@code NLM_F_DUMP_INTR}: the socket
 *     table changed while it was walked, so a socket may be missing or repeated
 */
public record DumpStats(long sockets, long messages, long bytes, boolean interrupted) {

    /** Sums two dumps, e.g. the IPv4 and the IPv6 one. */
    public DumpStats plus(DumpStats other) {
        return new DumpStats(sockets + other.sockets, messages + other.messages, bytes + other.bytes,
                interrupted || other.interrupted);
    }
}
