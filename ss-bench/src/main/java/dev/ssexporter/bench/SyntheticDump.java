package dev.ssexporter.bench;

import dev.ssexporter.netlink.AddressFamily;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code SOCK_DIAG_BY_FAMILY} dump of any size, built in native memory from real kernel
 * messages: the capture {@code captures/loopback-established.nlmsg} (written by
 * {@code bench/capture_sockdiag.py} from a Linux 6.18 kernel while {@code bench/loadgen.sh} held
 * connections) holds 16 IPv4 and 16 IPv6 messages with {@code tcp_info}, {@code cong},
 * {@code meminfo} and {@code skmeminfo}. They are replicated, each copy with its own ports and
 * cookie, and packed into datagrams of at most {@link #DATAGRAM_BYTES}, as the kernel packs a dump
 * into {@code recvmsg} datagrams; the last datagram ends with {@code NLMSG_DONE}.
 *
 * @param family the family every socket of the dump has
 * @param sockets the number of socket messages
 * @param seq the sequence number every message carries
 * @param portId the port ID every message carries
 * @param datagrams the datagrams, each a segment of exactly its length
 */
public record SyntheticDump(AddressFamily family, int sockets, int seq, int portId,
                            List<MemorySegment> datagrams) {

    /** A datagram's size limit: the kernel caps dump skbs near 32 KiB (SKB_WITH_OVERHEAD(32768)). */
    public static final int DATAGRAM_BYTES = 32_000;
    static final String CAPTURE = "/captures/loopback-established.nlmsg";

    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfShort BE16 =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final int NLMSG_HDRLEN = 16;
    private static final int NLMSG_DONE = 3;
    private static final int SOCK_DIAG_BY_FAMILY = 20;
    // struct inet_diag_msg offsets, relative to the netlink payload
    private static final int IDIAG_FAMILY = 0;
    private static final int IDIAG_SPORT = 4;
    private static final int IDIAG_DPORT = 6;
    private static final int IDIAG_COOKIE = 44;

    /** Builds a dump of {@code sockets} sockets of {@code family}, in memory of {@code arena}. */
    public static SyntheticDump build(AddressFamily family, int sockets, int seq, int portId, Arena arena) {
        if (sockets < 0) {
            throw new IllegalArgumentException("sockets " + sockets + " is negative");
        }
        List<byte[]> templates = templates(family);
        List<MemorySegment> datagrams = new ArrayList<>();
        MemorySegment current = arena.allocate(DATAGRAM_BYTES, 8);
        long used = 0;
        for (int i = 0; i < sockets; i++) {
            byte[] t = templates.get(i % templates.size());
            int size = align(t.length);
            if (used + size > DATAGRAM_BYTES) {
                datagrams.add(current.asSlice(0, used));
                current = arena.allocate(DATAGRAM_BYTES, 8);
                used = 0;
            }
            MemorySegment.copy(MemorySegment.ofArray(t), 0, current, used, t.length);
            current.set(U32, used + 8, seq);
            current.set(U32, used + 12, portId);
            long p = used + NLMSG_HDRLEN;
            current.set(BE16, p + IDIAG_SPORT, (short) (20_000 + i / 40_000));
            current.set(BE16, p + IDIAG_DPORT, (short) (1_024 + i % 40_000));
            current.set(U64, p + IDIAG_COOKIE, 0x5353_0000_0000_0000L | i);
            used += size;
        }
        if (used + NLMSG_HDRLEN + 4 > DATAGRAM_BYTES) {
            datagrams.add(current.asSlice(0, used));
            current = arena.allocate(DATAGRAM_BYTES, 8);
            used = 0;
        }
        current.set(U32, used, NLMSG_HDRLEN + 4);
        current.set(ValueLayout.JAVA_SHORT_UNALIGNED, used + 4, (short) NLMSG_DONE);
        current.set(ValueLayout.JAVA_SHORT_UNALIGNED, used + 6, (short) 0x2); // NLM_F_MULTI
        current.set(U32, used + 8, seq);
        current.set(U32, used + 12, portId);
        current.set(U32, used + NLMSG_HDRLEN, 0);
        used += NLMSG_HDRLEN + 4;
        datagrams.add(current.asSlice(0, used));
        return new SyntheticDump(family, sockets, seq, portId, List.copyOf(datagrams));
    }

    /** Total bytes of all datagrams. */
    public long bytes() {
        return datagrams.stream().mapToLong(MemorySegment::byteSize).sum();
    }

    /** The captured socket messages of {@code family}, each exactly {@code nlmsg_len} long. */
    static List<byte[]> templates(AddressFamily family) {
        byte[] all;
        try (InputStream in = SyntheticDump.class.getResourceAsStream(CAPTURE)) {
            if (in == null) {
                throw new IllegalStateException("Missing resource " + CAPTURE + " on the class path");
            }
            all = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + CAPTURE, e);
        }
        MemorySegment s = MemorySegment.ofArray(all);
        List<byte[]> out = new ArrayList<>();
        long off = 0;
        while (off + NLMSG_HDRLEN <= all.length) {
            int len = s.get(U32, off);
            int type = Short.toUnsignedInt(s.get(ValueLayout.JAVA_SHORT_UNALIGNED, off + 4));
            if (len < NLMSG_HDRLEN || off + len > all.length) {
                throw new IllegalStateException(CAPTURE + ": bad nlmsg_len " + len + " at offset " + off);
            }
            if (type == SOCK_DIAG_BY_FAMILY
                    && Byte.toUnsignedInt(s.get(ValueLayout.JAVA_BYTE, off + NLMSG_HDRLEN + IDIAG_FAMILY))
                            == family.code()) {
                out.add(s.asSlice(off, len).toArray(ValueLayout.JAVA_BYTE));
            }
            off += align(len);
        }
        if (out.isEmpty()) {
            throw new IllegalStateException(CAPTURE + " holds no " + family + " socket message");
        }
        return out;
    }

    private static int align(int n) {
        return (n + 3) & ~3;
    }
}
