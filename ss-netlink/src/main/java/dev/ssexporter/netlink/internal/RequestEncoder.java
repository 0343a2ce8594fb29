package dev.ssexporter.netlink.internal;

import dev.ssexporter.netlink.AddressFamily;
import dev.ssexporter.netlink.DumpExtension;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Set;

/**
 * Builds TCP dump requests: a {@link NlMsgHdr} with {@code NLM_F_REQUEST | NLM_F_DUMP} followed by
 * the {@link DumpRequest}'s struct ({@link InetDiagReqV2} for {@code IPPROTO_TCP} and one family,
 * or {@link InetDiagReq} for both) and, when the dump is filtered, an
 * {@code INET_DIAG_REQ_BYTECODE} {@link RtAttr} carrying the program from {@link BytecodeCompiler}.
 * Each request gets the next sequence number, which its replies echo. Not thread-safe.
 */
public final class RequestEncoder {
    /** Bytes of a one-family request without a filter: 16 + 56 = 72. */
    public static final int SIZE = NlMsgHdr.SIZE + InetDiagReqV2.SIZE;

    /** Bytes of the largest request without a filter: 16 + 60 = 76, for {@link DumpRequest#BOTH_FAMILIES}. */
    public static final int MAX_SIZE = NlMsgHdr.SIZE + Math.max(InetDiagReqV2.SIZE, InetDiagReq.SIZE);

    /** {@code INET_DIAG_REQ_BYTECODE}: the request attribute holding a filter program. */
    public static final int INET_DIAG_REQ_BYTECODE = 1;

    /** {@code idiag_ext} asking for INFO, CONG, MEMINFO and SKMEMINFO. */
    public static final int ALL_EXTENSIONS = InetDiagReqV2.extBit(InetDiagMsg.INET_DIAG_MEMINFO)
            | InetDiagReqV2.extBit(InetDiagMsg.INET_DIAG_INFO)
            | InetDiagReqV2.extBit(InetDiagMsg.INET_DIAG_CONG)
            | InetDiagReqV2.extBit(InetDiagMsg.INET_DIAG_SKMEMINFO);

    private static final byte[] NO_PROGRAM = new byte[0];

    private int lastSeq;

    /** An encoder whose first request has sequence number {@code firstSeq}. */
    public RequestEncoder(int firstSeq) {
        this.lastSeq = firstSeq - 1;
    }

    /** The {@code idiag_ext} bits asking for {@code extensions}. */
    public static int extensions(Set<DumpExtension> extensions) {
        int ext = 0;
        for (DumpExtension e : extensions) {
            ext |= InetDiagReqV2.extBit(e.attributeType());
        }
        return ext;
    }

    /** Bytes of a one-family request carrying {@code program} (none when empty). */
    public static int size(byte[] program) {
        return size(DumpRequest.INET, program);
    }

    /** Bytes of {@code request} carrying {@code program} (none when empty). */
    public static int size(DumpRequest request, byte[] program) {
        int base = NlMsgHdr.SIZE + request.payloadSize();
        return program.length == 0 ? base : base + RtAttr.SIZE + program.length;
    }

    /** {@link #encode(MemorySegment, DumpRequest, int, int, byte[])} for one family, without a filter. */
    public int encode(MemorySegment dst, AddressFamily family, int stateMask, int ext) {
        return encode(dst, DumpRequest.of(family), stateMask, ext, NO_PROGRAM);
    }

    /** {@link #encode(MemorySegment, DumpRequest, int, int, byte[])} for one family. */
    public int encode(MemorySegment dst, AddressFamily family, int stateMask, int ext, byte[] program) {
        return encode(dst, DumpRequest.of(family), stateMask, ext, program);
    }

    /**
     * Writes a dump request into the first {@link #size(DumpRequest, byte[]) size(request, program)}
     * bytes of {@code dst}.
     *
     * @param stateMask {@code idiag_states}: bit {@code 1 << state} per TCP state
     * @param ext {@code idiag_ext}, e.g. {@link #ALL_EXTENSIONS}
     * @param program a {@link BytecodeCompiler} program, sent as {@code INET_DIAG_REQ_BYTECODE};
     *     empty for none. Sent as is: the kernel audits it and answers a bad one with EINVAL.
     * @return the request's sequence number
     */
    public int encode(MemorySegment dst, DumpRequest request, int stateMask, int ext, byte[] program) {
        if ((ext & ~0xff) != 0) {
            throw new IllegalArgumentException("idiag_ext 0x" + Integer.toHexString(ext) + " does not fit a __u8");
        }
        if ((program.length & 3) != 0 || program.length > BytecodeCompiler.MAX_LENGTH) {
            throw new IllegalArgumentException("a filter program of " + program.length
                    + " bytes is not a multiple of 4 up to " + BytecodeCompiler.MAX_LENGTH);
        }
        int size = size(request, program);
        int seq = ++lastSeq;
        MemorySegment req = dst.asSlice(0, size);
        req.fill((byte) 0);
        NlMsgHdr.LEN.set(req, 0L, size);
        NlMsgHdr.TYPE.set(req, 0L, (short) request.messageType());
        NlMsgHdr.FLAGS.set(req, 0L, (short) (NlMsgHdr.NLM_F_REQUEST | NlMsgHdr.NLM_F_DUMP));
        NlMsgHdr.SEQ.set(req, 0L, seq);
        NlMsgHdr.PID.set(req, 0L, 0);
        long body = NlMsgHdr.SIZE;
        // A switch expression, so that a new kind of request cannot be left unwritten.
        long attr = switch (request) {
            case INET, INET6 -> {
                InetDiagReqV2.FAMILY.set(req, body, (byte) request.familyCode());
                InetDiagReqV2.PROTOCOL.set(req, body, InetDiagReqV2.IPPROTO_TCP);
                InetDiagReqV2.EXT.set(req, body, (byte) ext);
                InetDiagReqV2.STATES.set(req, body, stateMask);
                yield body + InetDiagReqV2.SIZE;
            }
            // The message type names the protocol.
            case BOTH_FAMILIES -> {
                InetDiagReq.FAMILY.set(req, body, (byte) request.familyCode());
                InetDiagReq.EXT.set(req, body, (byte) ext);
                InetDiagReq.STATES.set(req, body, stateMask);
                yield body + InetDiagReq.SIZE;
            }
        };
        if (program.length > 0) {
            RtAttr.LEN.set(req, attr, (short) (RtAttr.SIZE + program.length));
            RtAttr.TYPE.set(req, attr, (short) INET_DIAG_REQ_BYTECODE);
            MemorySegment.copy(program, 0, req, ValueLayout.JAVA_BYTE, attr + RtAttr.SIZE, program.length);
        }
        return seq;
    }
}
