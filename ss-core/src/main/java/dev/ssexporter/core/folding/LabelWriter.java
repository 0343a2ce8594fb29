package dev.ssexporter.core.folding;

import dev.ssexporter.core.AddressText;
import dev.ssexporter.core.process.ProcessTable;
import dev.ssexporter.core.process.SocketOwners;
import dev.ssexporter.netlink.SocketRecord;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;

/**
 * Writes the {@code flow} label of a socket as ASCII bytes into a {@link LabelBuffer}: the same
 * text as {@link FlowLabeler#label}, without a {@code String} or {@code StringBuilder} per socket.
 * An address's text is kept in a small cache keyed by the address, so the many sockets of a host
 * that share a local or peer address format it once. Not thread-safe: one per collection thread,
 * made by {@link FlowLabeler#writer()}.
 */
public final class LabelWriter {
    /** The address cache has 2^CACHE_BITS slots. */
    private static final int CACHE_BITS = 10;
    private static final int CACHE_SLOTS = 1 << CACHE_BITS;
    private static final byte[] SRC = "(SRC#".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DST = "(DST#".getBytes(StandardCharsets.US_ASCII);

    private final LabelFolding folding;
    private final InetAddress[] cachedAddress = new InetAddress[CACHE_SLOTS];
    private final byte[][] cachedText = new byte[CACHE_SLOTS][];

    LabelWriter(LabelFolding folding) {
        this.folding = folding;
    }

    /**
     * Appends the {@code flow} label of {@code socket} to {@code out}.
     *
     * @param procs the scrape's process table; only read for {@link LabelFolding#PID_CONDENSED}
     */
    public void write(SocketRecord socket, ProcessTable procs, LabelBuffer out) {
        SocketOwners owners = folding == LabelFolding.PID_CONDENSED ? procs.owners(socket.inode()) : null;
        if (owners == null || owners.isEmpty()) {
            out.put(SRC);
            endpoint(socket.localAddress(), socket.localPort(), out);
        } else {
            out.put((byte) '(');
            out.putAscii(owners.pidList());
            out.put((byte) ')');
        }
        out.put(DST);
        endpoint(socket.remoteAddress(), socket.remotePort(), out);
    }

    /** {@code 10.0.0.1|443)} */
    private void endpoint(InetAddress address, int port, LabelBuffer out) {
        out.put(text(address));
        out.put((byte) '|');
        out.putDecimal(port);
        out.put((byte) ')');
    }

    private byte[] text(InetAddress address) {
        // The high bits of a multiplicative hash: addresses that differ only in their upper bytes
        // (127.77.0.1 and 127.78.0.1) must not share a slot, or they evict each other every socket.
        int slot = (address.hashCode() * 0x9e37_79b9) >>> (Integer.SIZE - CACHE_BITS);
        InetAddress cached = cachedAddress[slot];
        if (cached == address || (cached != null && cached.equals(address))) {
            return cachedText[slot];
        }
        byte[] text = AddressText.format(address).getBytes(StandardCharsets.US_ASCII);
        cachedAddress[slot] = address;
        cachedText[slot] = text;
        return text;
    }

    @Override
    public String toString() {
        return "LabelWriter[" + folding.configName() + "]";
    }
}
