package dev.ssexporter.netlink.internal;

import dev.ssexporter.netlink.AddressFamily;
import java.lang.foreign.MemorySegment;

/**
 * Builds {@code SOCK_DIAG_BY_FAMILY} dump requests: a {@link NlMsgHdr} with
 * {@code NLM_F_REQUEST | NLM_F_DUMP} followed by an {@link InetDiagReqV2} for {@code IPPROTO_TCP}.
 * Each request gets the next sequence number, which its replies echo. Not thread-safe.
 */
public final class RequestEncoder {
    /** Bytes of one request: 16 + 56 = 72. */
    public static final int SIZE = NlMsgHdr.SIZE + InetDiagReqV2.SIZE;

    /** {@code idiag_ext} asking for INFO, CONG, MEMINFO and SKMEMINFO. */
    public static final int ALL_EXTENSIONS = InetDiagReqV2.extBit(InetDiagMsg.INET_DIAG_MEMINFO)
            | InetDiagReqV2.extBit(InetDiagMsg.INET_DIAG_INFO)
            | InetDiagReqV2.extBit(InetDiagMsg.INET_DIAG_CONG)
            | InetDiagReqV2.extBit(InetDiagMsg.INET_DIAG_SKMEMINFO);

    private int lastSeq;

    /** An encoder whose first request has sequence number {@code firstSeq}. */
    public RequestEncoder(int firstSeq) {
        this.lastSeq = firstSeq - 1;
    }

    /** The {@code idiag_ext} bits for a query with or without extensions. */
    public static int extensions(boolean wanted) {
        return wanted ? ALL_EXTENSIONS : 0;
    }

    /**
     * Writes a dump request into the first {@link #SIZE} bytes of {@code dst}.
     *
     * @param stateMask {@code idiag_states}: bit {@code 1 << state} per TCP state
     * @param ext {@code idiag_ext}, e.g. {@link #ALL_EXTENSIONS}
     * @return the request's sequence number
     */
    public int encode(MemorySegment dst, AddressFamily family, int stateMask, int ext) {
        if ((ext & ~0xff) != 0) {
            throw new IllegalArgumentException("idiag_ext 0x" + Integer.toHexString(ext) + " does not fit a __u8");
        }
        int seq = ++lastSeq;
        MemorySegment req = dst.asSlice(0, SIZE);
        req.fill((byte) 0);
        NlMsgHdr.LEN.set(req, 0L, SIZE);
        NlMsgHdr.TYPE.set(req, 0L, InetDiagReqV2.SOCK_DIAG_BY_FAMILY);
        NlMsgHdr.FLAGS.set(req, 0L, (short) (NlMsgHdr.NLM_F_REQUEST | NlMsgHdr.NLM_F_DUMP));
        NlMsgHdr.SEQ.set(req, 0L, seq);
        NlMsgHdr.PID.set(req, 0L, 0);
        long body = NlMsgHdr.SIZE;
        InetDiagReqV2.FAMILY.set(req, body, (byte) family.code());
        InetDiagReqV2.PROTOCOL.set(req, body, InetDiagReqV2.IPPROTO_TCP);
        InetDiagReqV2.EXT.set(req, body, (byte) ext);
        InetDiagReqV2.STATES.set(req, body, stateMask);
        return seq;
    }
}
