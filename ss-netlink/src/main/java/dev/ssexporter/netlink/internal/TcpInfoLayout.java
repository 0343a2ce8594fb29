package dev.ssexporter.netlink.internal;

import static dev.ssexporter.netlink.internal.Layouts.U16;
import static dev.ssexporter.netlink.internal.Layouts.U32;
import static dev.ssexporter.netlink.internal.Layouts.U64;
import static dev.ssexporter.netlink.internal.Layouts.U8;

import dev.ssexporter.netlink.TcpInfoField;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;
import java.util.Locale;

/**
 * {@code struct tcp_info}, the {@code INET_DIAG_INFO} attribute, as Linux 6.18's
 * {@code include/uapi/linux/tcp.h} declares it (280 bytes):
 *
 * <pre>
 * struct tcp_info {
 *     __u8  tcpi_state;
 *     __u8  tcpi_ca_state;
 *     __u8  tcpi_retransmits;
 *     __u8  tcpi_probes;
 *     __u8  tcpi_backoff;
 *     __u8  tcpi_options;
 *     __u8  tcpi_snd_wscale : 4, tcpi_rcv_wscale : 4;
 *     __u8  tcpi_delivery_rate_app_limited:1, tcpi_fastopen_client_fail:2;
 *
 *     __u32 tcpi_rto;
 *     __u32 tcpi_ato;
 *     __u32 tcpi_snd_mss;
 *     __u32 tcpi_rcv_mss;
 *
 *     __u32 tcpi_unacked;
 *     __u32 tcpi_sacked;
 *     __u32 tcpi_lost;
 *     __u32 tcpi_retrans;
 *     __u32 tcpi_fackets;
 *
 *     // Times.
 *     __u32 tcpi_last_data_sent;
 *     __u32 tcpi_last_ack_sent;     // Not remembered, sorry.
 *     __u32 tcpi_last_data_recv;
 *     __u32 tcpi_last_ack_recv;
 *
 *     // Metrics.
 *     __u32 tcpi_pmtu;
 *     __u32 tcpi_rcv_ssthresh;
 *     __u32 tcpi_rtt;
 *     __u32 tcpi_rttvar;
 *     __u32 tcpi_snd_ssthresh;
 *     __u32 tcpi_snd_cwnd;
 *     __u32 tcpi_advmss;
 *     __u32 tcpi_reordering;
 *
 *     __u32 tcpi_rcv_rtt;
 *     __u32 tcpi_rcv_space;
 *
 *     __u32 tcpi_total_retrans;
 *
 *     __u64 tcpi_pacing_rate;
 *     __u64 tcpi_max_pacing_rate;
 *     __u64 tcpi_bytes_acked;     // RFC4898 tcpEStatsAppHCThruOctetsAcked
 *     __u64 tcpi_bytes_received;  // RFC4898 tcpEStatsAppHCThruOctetsReceived
 *     __u32 tcpi_segs_out;        // RFC4898 tcpEStatsPerfSegsOut
 *     __u32 tcpi_segs_in;         // RFC4898 tcpEStatsPerfSegsIn
 *
 *     __u32 tcpi_notsent_bytes;
 *     __u32 tcpi_min_rtt;
 *     __u32 tcpi_data_segs_in;    // RFC4898 tcpEStatsDataSegsIn
 *     __u32 tcpi_data_segs_out;   // RFC4898 tcpEStatsDataSegsOut
 *
 *     __u64 tcpi_delivery_rate;
 *
 *     __u64 tcpi_busy_time;       // Time (usec) busy sending data
 *     __u64 tcpi_rwnd_limited;    // Time (usec) limited by receive window
 *     __u64 tcpi_sndbuf_limited;  // Time (usec) limited by send buffer
 *
 *     __u32 tcpi_delivered;
 *     __u32 tcpi_delivered_ce;
 *
 *     __u64 tcpi_bytes_sent;      // RFC4898 tcpEStatsPerfHCDataOctetsOut
 *     __u64 tcpi_bytes_retrans;   // RFC4898 tcpEStatsPerfOctetsRetrans
 *     __u32 tcpi_dsack_dups;      // RFC4898 tcpEStatsStackDSACKDups
 *     __u32 tcpi_reord_seen;      // reordering events seen
 *
 *     __u32 tcpi_rcv_ooopack;     // Out-of-order packets received
 *
 *     __u32 tcpi_snd_wnd;         // peer's advertised receive window after scaling (bytes)
 *     __u32 tcpi_rcv_wnd;         // local advertised receive window after scaling (bytes)
 *
 *     __u32 tcpi_rehash;          // PLB or timeout triggered rehash attempts
 *
 *     __u16 tcpi_total_rto;       // Total number of RTO timeouts, including SYN/SYN-ACK and recurring timeouts.
 *     __u16 tcpi_total_rto_recoveries; // Total number of RTO recoveries, including any unfinished recovery.
 *     __u32 tcpi_total_rto_time;  // Total time spent in RTO recoveries in milliseconds, including any unfinished recovery.
 *     __u32 tcpi_received_ce;     // # of CE marks received
 *     __u32 tcpi_delivered_e1_bytes;  // Accurate ECN byte counters
 *     __u32 tcpi_delivered_e0_bytes;
 *     __u32 tcpi_delivered_ce_bytes;
 *     __u32 tcpi_received_e1_bytes;
 *     __u32 tcpi_received_e0_bytes;
 *     __u32 tcpi_received_ce_bytes;
 *     __u16 tcpi_accecn_fail_mode;
 *     __u16 tcpi_accecn_opt_seen;
 * };
 * </pre>
 *
 * The two bit-field bytes are members {@code tcpi_wscale} and {@code tcpi_app_limited_fo_fail}
 * here; {@link TcpInfoField} names their bits. The struct grows at its end with every few kernel
 * releases, and a kernel sends the length it knows: a member is read only when it lies inside the
 * attribute's payload ({@link dev.ssexporter.netlink.TcpInfo} decodes the bytes it keeps). {@link TcpInfoField} stops at {@code tcpi_received_ce_bytes}:
 * Linux 7.0 reuses the last 4 bytes for bit fields, so their meaning depends on the kernel.
 */
public final class TcpInfoLayout {
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            U8.withName("tcpi_state"),
            U8.withName("tcpi_ca_state"),
            U8.withName("tcpi_retransmits"),
            U8.withName("tcpi_probes"),
            U8.withName("tcpi_backoff"),
            U8.withName("tcpi_options"),
            U8.withName("tcpi_wscale"),
            U8.withName("tcpi_app_limited_fo_fail"),
            U32.withName("tcpi_rto"),
            U32.withName("tcpi_ato"),
            U32.withName("tcpi_snd_mss"),
            U32.withName("tcpi_rcv_mss"),
            U32.withName("tcpi_unacked"),
            U32.withName("tcpi_sacked"),
            U32.withName("tcpi_lost"),
            U32.withName("tcpi_retrans"),
            U32.withName("tcpi_fackets"),
            U32.withName("tcpi_last_data_sent"),
            U32.withName("tcpi_last_ack_sent"),
            U32.withName("tcpi_last_data_recv"),
            U32.withName("tcpi_last_ack_recv"),
            U32.withName("tcpi_pmtu"),
            U32.withName("tcpi_rcv_ssthresh"),
            U32.withName("tcpi_rtt"),
            U32.withName("tcpi_rttvar"),
            U32.withName("tcpi_snd_ssthresh"),
            U32.withName("tcpi_snd_cwnd"),
            U32.withName("tcpi_advmss"),
            U32.withName("tcpi_reordering"),
            U32.withName("tcpi_rcv_rtt"),
            U32.withName("tcpi_rcv_space"),
            U32.withName("tcpi_total_retrans"),
            U64.withName("tcpi_pacing_rate"),
            U64.withName("tcpi_max_pacing_rate"),
            U64.withName("tcpi_bytes_acked"),
            U64.withName("tcpi_bytes_received"),
            U32.withName("tcpi_segs_out"),
            U32.withName("tcpi_segs_in"),
            U32.withName("tcpi_notsent_bytes"),
            U32.withName("tcpi_min_rtt"),
            U32.withName("tcpi_data_segs_in"),
            U32.withName("tcpi_data_segs_out"),
            U64.withName("tcpi_delivery_rate"),
            U64.withName("tcpi_busy_time"),
            U64.withName("tcpi_rwnd_limited"),
            U64.withName("tcpi_sndbuf_limited"),
            U32.withName("tcpi_delivered"),
            U32.withName("tcpi_delivered_ce"),
            U64.withName("tcpi_bytes_sent"),
            U64.withName("tcpi_bytes_retrans"),
            U32.withName("tcpi_dsack_dups"),
            U32.withName("tcpi_reord_seen"),
            U32.withName("tcpi_rcv_ooopack"),
            U32.withName("tcpi_snd_wnd"),
            U32.withName("tcpi_rcv_wnd"),
            U32.withName("tcpi_rehash"),
            U16.withName("tcpi_total_rto"),
            U16.withName("tcpi_total_rto_recoveries"),
            U32.withName("tcpi_total_rto_time"),
            U32.withName("tcpi_received_ce"),
            U32.withName("tcpi_delivered_e1_bytes"),
            U32.withName("tcpi_delivered_e0_bytes"),
            U32.withName("tcpi_delivered_ce_bytes"),
            U32.withName("tcpi_received_e1_bytes"),
            U32.withName("tcpi_received_e0_bytes"),
            U32.withName("tcpi_received_ce_bytes"),
            U16.withName("tcpi_accecn_fail_mode"),
            U16.withName("tcpi_accecn_opt_seen")).withName("tcp_info");

    /** {@code sizeof(struct tcp_info)} on Linux 6.18: 280. */
    public static final int SIZE = Layouts.size(LAYOUT);

    private static final TcpInfoField[] FIELDS = TcpInfoField.values();
    private static final VarHandle[] HANDLES = new VarHandle[FIELDS.length];

    static {
        for (TcpInfoField f : FIELDS) {
            HANDLES[f.ordinal()] = Layouts.handle(LAYOUT, memberName(f));
        }
    }

    private TcpInfoLayout() {}

    /** The layout member holding {@code field}: {@code tcpi_rtt} for RTT, the byte for bit fields. */
    public static String memberName(TcpInfoField field) {
        return switch (field) {
            case SND_WSCALE, RCV_WSCALE -> "tcpi_wscale";
            case DELIVERY_RATE_APP_LIMITED, FASTOPEN_CLIENT_FAIL -> "tcpi_app_limited_fo_fail";
            default -> "tcpi_" + field.name().toLowerCase(Locale.ROOT);
        };
    }

    /**
     * The var handle of the member holding {@code field}, coordinates
     * {@code (MemorySegment, long base)}; a bit field's handle reads its whole byte.
     */
    public static VarHandle handle(TcpInfoField field) {
        return HANDLES[field.ordinal()];
    }
}
