package dev.ssexporter.core.folding;

import dev.ssexporter.core.AddressText;
import dev.ssexporter.core.process.ProcessTable;
import dev.ssexporter.core.process.SocketOwners;
import dev.ssexporter.netlink.SocketRecord;
import java.util.Objects;

/**
 * Builds the {@code flow} label of a socket for one {@link LabelFolding} mode:
 *
 * <ul>
 *   <li>{@link LabelFolding#RAW_ENDPOINT}: {@code (SRC#192.168.10.58|39366)(DST#104.19.199.151|443)}
 *   <li>{@link LabelFolding#PID_CONDENSED}: {@code (20005)(DST#104.19.199.151|443)}, or
 *       {@code (1,20,300)(DST#10.0.0.1|5432)} when several processes share the socket (pids
 *       ascending). A socket with no known owner keeps its raw label, so it is still exported
 *       and never merged with another process's flows.
 * </ul>
 *
 * <p>Addresses are written by {@link AddressText}: dotted quad for IPv4 and IPv4-mapped, RFC 5952
 * for IPv6 ({@code (SRC#2001:db8::1|443)}). Each call builds one string in one presized
 * {@link StringBuilder}; the pid list comes precomputed from {@link SocketOwners#pidList()}.
 * Immutable and thread-safe.
 *
 * <pre>{@code
 * FlowLabeler labeler = FlowLabeler.of(LabelFolding.PID_CONDENSED);
 * String flow = labeler.label(socket, processTable);  // "(20005)(DST#104.19.199.151|443)"
 * }</pre>
 */
public final class FlowLabeler {
    private final LabelFolding folding;

    private FlowLabeler(LabelFolding folding) {
        this.folding = folding;
    }

    public static FlowLabeler of(LabelFolding folding) {
        return new FlowLabeler(Objects.requireNonNull(folding, "folding"));
    }

    public LabelFolding folding() {
        return folding;
    }

    /**
     * A writer of the same labels as bytes, for a caller that keeps them in one
     * {@link LabelBuffer}; each writer has its own cache, so use one per thread.
     */
    public LabelWriter writer() {
        return new LabelWriter(folding);
    }

    /**
     * The {@code flow} label of {@code socket}.
     *
     * @param procs the scrape's process table; only read for {@link LabelFolding#PID_CONDENSED}
     */
    public String label(SocketRecord socket, ProcessTable procs) {
        return switch (folding) {
            case RAW_ENDPOINT -> raw(socket);
            case PID_CONDENSED -> condensed(socket, procs.owners(socket.inode()));
        };
    }

    private static String raw(SocketRecord s) {
        StringBuilder sb = new StringBuilder(96);
        sb.append("(SRC#");
        AddressText.appendTo(sb, s.localAddress()).append('|').append(s.localPort()).append(')');
        return destination(sb, s);
    }

    private static String condensed(SocketRecord s, SocketOwners owners) {
        if (owners.isEmpty()) {
            return raw(s);
        }
        String pids = owners.pidList();
        StringBuilder sb = new StringBuilder(pids.length() + 56);
        sb.append('(').append(pids).append(')');
        return destination(sb, s);
    }

    private static String destination(StringBuilder sb, SocketRecord s) {
        sb.append("(DST#");
        AddressText.appendTo(sb, s.remoteAddress()).append('|').append(s.remotePort()).append(')');
        return sb.toString();
    }

    @Override
    public String toString() {
        return "FlowLabeler[" + folding.configName() + "]";
    }
}
