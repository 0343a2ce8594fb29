package dev.ssexporter.netlink;

/**
 * The members of the kernel's {@code struct tcp_info} ({@code include/uapi/linux/tcp.h}), in
 * declaration order, each with its byte offset and size.
 *
 * <p>The struct only ever grows at its end, so a field is present in a reply exactly when
 * {@code offset + size} lies within the length of the {@code INET_DIAG_INFO} attribute the kernel
 * sent. Bit fields ({@code tcpi_snd_wscale : 4} and friends) name their byte with a bit shift and
 * width, as laid out on little-endian machines (x86-64, arm64), where the first declared bit
 * field takes the low bits. Units are the kernel's: times in microseconds unless the name says
 * otherwise, rates in bytes per second, windows in segments or bytes as the uapi comment says.
 *
 * <p>Offsets are checked against the Linux 6.18 uapi header by the layout test of
 * {@code dev.ssexporter.netlink.internal.TcpInfoLayout}.
 */
public enum TcpInfoField {
    STATE(0, 1),
    CA_STATE(1, 1),
    RETRANSMITS(2, 1),
    PROBES(3, 1),
    BACKOFF(4, 1),
    OPTIONS(5, 1),
    SND_WSCALE(6, 1, 0, 4),
    RCV_WSCALE(6, 1, 4, 4),
    DELIVERY_RATE_APP_LIMITED(7, 1, 0, 1),
    FASTOPEN_CLIENT_FAIL(7, 1, 1, 2),
    RTO(8, 4),
    ATO(12, 4),
    SND_MSS(16, 4),
    RCV_MSS(20, 4),
    UNACKED(24, 4),
    SACKED(28, 4),
    LOST(32, 4),
    RETRANS(36, 4),
    FACKETS(40, 4),
    LAST_DATA_SENT(44, 4),
    LAST_ACK_SENT(48, 4),
    LAST_DATA_RECV(52, 4),
    LAST_ACK_RECV(56, 4),
    PMTU(60, 4),
    RCV_SSTHRESH(64, 4),
    RTT(68, 4),
    RTTVAR(72, 4),
    SND_SSTHRESH(76, 4),
    SND_CWND(80, 4),
    ADVMSS(84, 4),
    REORDERING(88, 4),
    RCV_RTT(92, 4),
    RCV_SPACE(96, 4),
    TOTAL_RETRANS(100, 4),
    PACING_RATE(104, 8),
    MAX_PACING_RATE(112, 8),
    BYTES_ACKED(120, 8),
    BYTES_RECEIVED(128, 8),
    SEGS_OUT(136, 4),
    SEGS_IN(140, 4),
    NOTSENT_BYTES(144, 4),
    MIN_RTT(148, 4),
    DATA_SEGS_IN(152, 4),
    DATA_SEGS_OUT(156, 4),
    DELIVERY_RATE(160, 8),
    BUSY_TIME(168, 8),
    RWND_LIMITED(176, 8),
    SNDBUF_LIMITED(184, 8),
    DELIVERED(192, 4),
    DELIVERED_CE(196, 4),
    BYTES_SENT(200, 8),
    BYTES_RETRANS(208, 8),
    DSACK_DUPS(216, 4),
    REORD_SEEN(220, 4),
    RCV_OOOPACK(224, 4),
    SND_WND(228, 4),
    RCV_WND(232, 4),
    REHASH(236, 4),
    TOTAL_RTO(240, 2),
    TOTAL_RTO_RECOVERIES(242, 2),
    TOTAL_RTO_TIME(244, 4),
    /** Linux 6.18: CE-marked segments received. */
    RECEIVED_CE(248, 4),
    /** Linux 6.18: Accurate ECN, ECT(1) bytes delivered. */
    DELIVERED_E1_BYTES(252, 4),
    /** Linux 6.18: Accurate ECN, ECT(0) bytes delivered. */
    DELIVERED_E0_BYTES(256, 4),
    /** Linux 6.18: Accurate ECN, CE bytes delivered. */
    DELIVERED_CE_BYTES(260, 4),
    /** Linux 6.18: Accurate ECN, ECT(1) bytes received. */
    RECEIVED_E1_BYTES(264, 4),
    /** Linux 6.18: Accurate ECN, ECT(0) bytes received. */
    RECEIVED_E0_BYTES(268, 4),
    /** Linux 6.18: Accurate ECN, CE bytes received. */
    RECEIVED_CE_BYTES(272, 4);

    /**
     * Size in bytes of the struct as this class knows it: the end of its last member.
     *
     * <p>Linux 6.18 sends 280 bytes: the 4 bytes after {@link #RECEIVED_CE_BYTES} are
     * {@code __u16 tcpi_accecn_fail_mode; __u16 tcpi_accecn_opt_seen;} there, but Linux 7.0 packs
     * the same 4 bytes as bit fields ({@code tcpi_ecn_mode:2, tcpi_accecn_opt_seen:2,
     * tcpi_accecn_fail_mode:4, tcpi_options2:24}). As one offset means two things depending on the
     * kernel, they are left out rather than misread; a 280-byte struct is simply longer than known.
     */
    public static final int KNOWN_SIZE = 276;

    private final int offset;
    private final int size;
    private final int bitShift;
    private final int bitWidth;

    TcpInfoField(int offset, int size) {
        this(offset, size, 0, size * 8);
    }

    TcpInfoField(int offset, int size, int bitShift, int bitWidth) {
        this.offset = offset;
        this.size = size;
        this.bitShift = bitShift;
        this.bitWidth = bitWidth;
    }

    /** Byte offset of the member in {@code struct tcp_info}. */
    public int offset() {
        return offset;
    }

    /** Size in bytes of the storage unit holding the member. */
    public int size() {
        return size;
    }

    /** For bit fields, the shift of the member inside its storage unit; 0 otherwise. */
    public int bitShift() {
        return bitShift;
    }

    /** Width in bits of the member. */
    public int bitWidth() {
        return bitWidth;
    }

    /** Whether a {@code tcp_info} of {@code length} bytes contains this member. */
    public boolean presentIn(int length) {
        return offset + size <= length;
    }
}
