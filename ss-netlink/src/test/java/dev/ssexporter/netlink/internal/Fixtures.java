package dev.ssexporter.netlink.internal;

/**
 * Netlink replies written out by hand, field by field, in the byte order an x86-64 kernel sends:
 * native (little-endian) for everything but ports and addresses, which are big-endian. Every
 * message here answers request {@link #SEQ} of port {@link #PORT_ID}.
 */
final class Fixtures {
    static final int SEQ = 7;
    static final int PORT_ID = 1234;

    private Fixtures() {}

    /** 104 bytes: {@code struct tcp_info} up to {@code tcpi_total_retrans}, as Linux 3.x sent it. */
    static final String TCP_INFO_104 =
            "01" +       // tcpi_state = 1 (TCP_ESTABLISHED)
            "00" +       // tcpi_ca_state = 0 (TCP_CA_Open)
            "00" +       // tcpi_retransmits = 0
            "00" +       // tcpi_probes = 0
            "00" +       // tcpi_backoff = 0
            "07" +       // tcpi_options = TIMESTAMPS | SACK | WSCALE
            "a7" +       // tcpi_snd_wscale = 7 (low nibble), tcpi_rcv_wscale = 10 (high nibble)
            "03" +       // tcpi_delivery_rate_app_limited = 1 (bit 0), tcpi_fastopen_client_fail = 1 (bits 1-2)
            "400d0300" + // tcpi_rto = 200000 us
            "409c0000" + // tcpi_ato = 40000 us
            "a8050000" + // tcpi_snd_mss = 1448
            "18020000" + // tcpi_rcv_mss = 536
            "02000000" + // tcpi_unacked = 2
            "00000000" + // tcpi_sacked = 0
            "00000000" + // tcpi_lost = 0
            "00000000" + // tcpi_retrans = 0
            "00000000" + // tcpi_fackets = 0
            "0a000000" + // tcpi_last_data_sent = 10 ms
            "00000000" + // tcpi_last_ack_sent = 0
            "14000000" + // tcpi_last_data_recv = 20 ms
            "1e000000" + // tcpi_last_ack_recv = 30 ms
            "dc050000" + // tcpi_pmtu = 1500
            "ffff0000" + // tcpi_rcv_ssthresh = 65535
            "39300000" + // tcpi_rtt = 12345 us
            "a6020000" + // tcpi_rttvar = 678 us
            "ffffff7f" + // tcpi_snd_ssthresh = 2147483647
            "0a000000" + // tcpi_snd_cwnd = 10
            "a8050000" + // tcpi_advmss = 1448
            "03000000" + // tcpi_reordering = 3
            "00000000" + // tcpi_rcv_rtt = 0
            "08390000" + // tcpi_rcv_space = 14600
            "04000000";  // tcpi_total_retrans = 4

    /** 280 bytes: the full Linux 6.18 {@code struct tcp_info}, 4 bytes longer than TcpInfoField knows. */
    static final String TCP_INFO_280 = TCP_INFO_104 +
            "0000000001000000" + // tcpi_pacing_rate = 4294967296
            "ffffffffffffffff" + // tcpi_max_pacing_rate = ~0 (unlimited)
            "e803000000000000" + // tcpi_bytes_acked = 1000
            "d007000000000000" + // tcpi_bytes_received = 2000
            "0b000000" +         // tcpi_segs_out = 11
            "0c000000" +         // tcpi_segs_in = 12
            "00000000" +         // tcpi_notsent_bytes = 0
            "64000000" +         // tcpi_min_rtt = 100 us
            "05000000" +         // tcpi_data_segs_in = 5
            "06000000" +         // tcpi_data_segs_out = 6
            "0000000000000000" + // tcpi_delivery_rate = 0
            "0000000000000000" + // tcpi_busy_time = 0
            "0000000000000000" + // tcpi_rwnd_limited = 0
            "0000000000000000" + // tcpi_sndbuf_limited = 0
            "07000000" +         // tcpi_delivered = 7
            "00000000" +         // tcpi_delivered_ce = 0
            "b80b000000000000" + // tcpi_bytes_sent = 3000
            "0000000000000000" + // tcpi_bytes_retrans = 0
            "00000000" +         // tcpi_dsack_dups = 0
            "00000000" +         // tcpi_reord_seen = 0
            "00000000" +         // tcpi_rcv_ooopack = 0
            "00000100" +         // tcpi_snd_wnd = 65536
            "cbff0000" +         // tcpi_rcv_wnd = 65483
            "00000000" +         // tcpi_rehash = 0
            "0100" +             // tcpi_total_rto = 1
            "0200" +             // tcpi_total_rto_recoveries = 2
            "2c010000" +         // tcpi_total_rto_time = 300 ms
            "08000000" +         // tcpi_received_ce = 8
            "00000000" +         // tcpi_delivered_e1_bytes = 0
            "00000000" +         // tcpi_delivered_e0_bytes = 0
            "00000000" +         // tcpi_delivered_ce_bytes = 0
            "00000000" +         // tcpi_received_e1_bytes = 0
            "00000000" +         // tcpi_received_e0_bytes = 0
            "09000000" +         // tcpi_received_ce_bytes = 9
            "0000" +             // tcpi_accecn_fail_mode = 0 (beyond TcpInfoField.KNOWN_SIZE)
            "0000";              // tcpi_accecn_opt_seen = 0

    /** An IPv4 socket 10.0.0.1:8080 -> 192.168.1.2:50000 with every attribute; 276 bytes. */
    static final String IPV4_ESTABLISHED =
            "14010000" + // nlmsg_len = 276 = 16 + 72 + 12 + 20 + 40 + 108 + 8
            "1400" +     // nlmsg_type = SOCK_DIAG_BY_FAMILY (20)
            "0200" +     // nlmsg_flags = NLM_F_MULTI
            "07000000" + // nlmsg_seq = 7
            "d2040000" + // nlmsg_pid = 1234
            // struct inet_diag_msg
            "02" +       // idiag_family = AF_INET
            "01" +       // idiag_state = TCP_ESTABLISHED
            "01" +       // idiag_timer = 1 (retransmit)
            "02" +       // idiag_retrans = 2
            "1f90" +     // id.idiag_sport = 8080 (big-endian)
            "c350" +     // id.idiag_dport = 50000 (big-endian)
            "0a000001" + "000000000000000000000000" + // id.idiag_src = 10.0.0.1, then 12 unused bytes
            "c0a80102" + "000000000000000000000000" + // id.idiag_dst = 192.168.1.2, then 12 unused bytes
            "03000000" + // id.idiag_if = 3
            "78563412" + // id.idiag_cookie[0] = 0x12345678 (low word)
            "01000000" + // id.idiag_cookie[1] = 0x1 (high word)
            "e8030000" + // idiag_expires = 1000 ms
            "05000000" + // idiag_rqueue = 5
            "06000000" + // idiag_wqueue = 6
            "e8030000" + // idiag_uid = 1000
            "39300000" + // idiag_inode = 12345
            // attribute INET_DIAG_CONG
            "0a00" +     // rta_len = 10 = 4 + "cubic\0"
            "0400" +     // rta_type = INET_DIAG_CONG (4)
            "637562696300" + "0000" + // "cubic\0", 2 bytes of padding
            // attribute INET_DIAG_MEMINFO
            "1400" +     // rta_len = 20
            "0100" +     // rta_type = INET_DIAG_MEMINFO (1)
            "01000000" + // idiag_rmem = 1
            "02000000" + // idiag_wmem = 2
            "03000000" + // idiag_fmem = 3
            "04000000" + // idiag_tmem = 4
            // attribute INET_DIAG_SKMEMINFO, all 9 counters
            "2800" +     // rta_len = 40 = 4 + 9 * 4
            "0700" +     // rta_type = INET_DIAG_SKMEMINFO (7)
            "0b000000" + // SK_MEMINFO_RMEM_ALLOC = 11
            "0c000000" + // SK_MEMINFO_RCVBUF = 12
            "0d000000" + // SK_MEMINFO_WMEM_ALLOC = 13
            "0e000000" + // SK_MEMINFO_SNDBUF = 14
            "0f000000" + // SK_MEMINFO_FWD_ALLOC = 15
            "10000000" + // SK_MEMINFO_WMEM_QUEUED = 16
            "11000000" + // SK_MEMINFO_OPTMEM = 17
            "12000000" + // SK_MEMINFO_BACKLOG = 18
            "13000000" + // SK_MEMINFO_DROPS = 19
            // attribute INET_DIAG_INFO, an old kernel's 104 bytes
            "6c00" +     // rta_len = 108 = 4 + 104
            "0200" +     // rta_type = INET_DIAG_INFO (2)
            TCP_INFO_104 +
            // attribute INET_DIAG_TOS, which the parser does not know
            "0500" +     // rta_len = 5
            "0500" +     // rta_type = INET_DIAG_TOS (5)
            "10" + "000000"; // tos = 0x10, 3 bytes of padding

    /** An IPv6 LISTEN socket [2001:db8::1]:443, a new kernel's 280-byte tcp_info, 8 SKMEMINFO counters; 408 bytes. */
    static final String IPV6_LISTEN =
            "98010000" + // nlmsg_len = 408 = 16 + 72 + 284 + 36
            "1400" +     // nlmsg_type = SOCK_DIAG_BY_FAMILY (20)
            "0200" +     // nlmsg_flags = NLM_F_MULTI
            "07000000" + // nlmsg_seq = 7
            "d2040000" + // nlmsg_pid = 1234
            // struct inet_diag_msg
            "0a" +       // idiag_family = AF_INET6
            "0a" +       // idiag_state = TCP_LISTEN
            "00" +       // idiag_timer = 0
            "00" +       // idiag_retrans = 0
            "01bb" +     // id.idiag_sport = 443 (big-endian)
            "0000" +     // id.idiag_dport = 0
            "20010db8000000000000000000000001" + // id.idiag_src = 2001:db8::1
            "00000000000000000000000000000000" + // id.idiag_dst = ::
            "00000000" + // id.idiag_if = 0
            "ffffffff" + // id.idiag_cookie[0] = 0xffffffff
            "ffffff7f" + // id.idiag_cookie[1] = 0x7fffffff
            "00000000" + // idiag_expires = 0
            "00000000" + // idiag_rqueue = 0 (accept queue)
            "80000000" + // idiag_wqueue = 128 (backlog)
            "ffffffff" + // idiag_uid = 4294967295 (-1 as an int)
            "ffffffff" + // idiag_inode = 4294967295
            // attribute INET_DIAG_INFO, Linux 6.18's 280 bytes
            "1c01" +     // rta_len = 284 = 4 + 280
            "0200" +     // rta_type = INET_DIAG_INFO (2)
            TCP_INFO_280 +
            // attribute INET_DIAG_SKMEMINFO from a kernel without SK_MEMINFO_DROPS
            "2400" +     // rta_len = 36 = 4 + 8 * 4
            "0700" +     // rta_type = INET_DIAG_SKMEMINFO (7)
            "00000000" + // SK_MEMINFO_RMEM_ALLOC = 0
            "00000200" + // SK_MEMINFO_RCVBUF = 131072
            "00000000" + // SK_MEMINFO_WMEM_ALLOC = 0
            "00400000" + // SK_MEMINFO_SNDBUF = 16384
            "00000000" + // SK_MEMINFO_FWD_ALLOC = 0
            "00000000" + // SK_MEMINFO_WMEM_QUEUED = 0
            "00000000" + // SK_MEMINFO_OPTMEM = 0
            "00000000";  // SK_MEMINFO_BACKLOG = 0

    /** An IPv6 socket with IPv4-mapped addresses ::ffff:127.0.0.1:5000 -> ::ffff:127.0.0.2:40000; 88 bytes. */
    static final String IPV6_MAPPED =
            "58000000" + // nlmsg_len = 88 = 16 + 72, no attributes
            "1400" +     // nlmsg_type = SOCK_DIAG_BY_FAMILY (20)
            "0200" +     // nlmsg_flags = NLM_F_MULTI
            "07000000" + // nlmsg_seq = 7
            "d2040000" + // nlmsg_pid = 1234
            "0a" +       // idiag_family = AF_INET6
            "01" +       // idiag_state = TCP_ESTABLISHED
            "00" +       // idiag_timer
            "00" +       // idiag_retrans
            "1388" +     // id.idiag_sport = 5000
            "9c40" +     // id.idiag_dport = 40000
            "00000000000000000000ffff7f000001" + // id.idiag_src = ::ffff:127.0.0.1
            "00000000000000000000ffff7f000002" + // id.idiag_dst = ::ffff:127.0.0.2
            "00000000" + // id.idiag_if
            "2a000000" + // id.idiag_cookie[0] = 42
            "00000000" + // id.idiag_cookie[1]
            "00000000" + // idiag_expires
            "00000000" + // idiag_rqueue
            "00000000" + // idiag_wqueue
            "00000000" + // idiag_uid = 0
            "15cd5b07";  // idiag_inode = 123456789

    /** A bare IPv4 TIME_WAIT socket 127.0.0.1:{@code port} -> 127.0.0.1:80, no attributes; 88 bytes. */
    static String bareIpv4TimeWait(int port) {
        return "58000000" + // nlmsg_len = 88
                "1400" +     // nlmsg_type = SOCK_DIAG_BY_FAMILY
                "0200" +     // nlmsg_flags = NLM_F_MULTI
                "07000000" + // nlmsg_seq = 7
                "d2040000" + // nlmsg_pid = 1234
                "02" +       // idiag_family = AF_INET
                "06" +       // idiag_state = TCP_TIME_WAIT
                "03" +       // idiag_timer = 3 (TIME_WAIT)
                "00" +       // idiag_retrans
                String.format("%04x", port) + // id.idiag_sport (big-endian)
                "0050" +     // id.idiag_dport = 80
                "7f000001" + "000000000000000000000000" + // id.idiag_src = 127.0.0.1
                "7f000001" + "000000000000000000000000" + // id.idiag_dst = 127.0.0.1
                "00000000" + // id.idiag_if
                "00000000" + "00000000" + // id.idiag_cookie
                "10270000" + // idiag_expires = 10000 ms
                "00000000" + // idiag_rqueue
                "00000000" + // idiag_wqueue
                "00000000" + // idiag_uid
                "00000000";  // idiag_inode = 0 (no file)
    }

    /**
     * {@code message} (one socket message above) as the reply to a {@code TCPDIAG_GETSOCK} request
     * carries it: the same bytes with {@code nlmsg_type} 18, since the kernel echoes the request's type.
     */
    static String asTcpDiagGetSock(String message) {
        if (!message.startsWith("1400", 8)) {
            throw new IllegalArgumentException("not a SOCK_DIAG_BY_FAMILY message: " + message.substring(0, 16));
        }
        return message.substring(0, 8) + "1200" + message.substring(12);
    }

    /** {@code NLMSG_DONE} with status {@code status} and flags {@code flags}; 20 bytes. */
    static String done(int flags, int status) {
        return "14000000" + // nlmsg_len = 20
                "0300" +     // nlmsg_type = NLMSG_DONE (3)
                String.format("%02x%02x", flags & 0xff, flags >> 8) + // nlmsg_flags (little-endian)
                "07000000" + // nlmsg_seq = 7
                "d2040000" + // nlmsg_pid = 1234
                Hex.u32(status); // int status
    }

    /** {@code NLMSG_DONE}, status 0, {@code NLM_F_MULTI}. */
    static final String DONE = done(0x02, 0);

    /** {@code NLMSG_ERROR} -EPERM for our request, echoing its header; 36 bytes. */
    static final String ERROR_EPERM =
            "24000000" + // nlmsg_len = 36 = 16 + 20
            "0200" +     // nlmsg_type = NLMSG_ERROR (2)
            "0001" +     // nlmsg_flags = NLM_F_CAPPED (0x100): the request's payload is not echoed
            "07000000" + // nlmsg_seq = 7
            "d2040000" + // nlmsg_pid = 1234
            "ffffffff" + // error = -1 (-EPERM)
            // the request's nlmsghdr
            "48000000" + // nlmsg_len = 72
            "1400" +     // nlmsg_type = SOCK_DIAG_BY_FAMILY
            "0103" +     // nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP
            "07000000" + // nlmsg_seq = 7
            "00000000";  // nlmsg_pid = 0

    /** {@code NLMSG_ERROR} -EOPNOTSUPP for a {@code TCPDIAG_GETSOCK} request, as a kernel without it answers; 36 bytes. */
    static final String ERROR_EOPNOTSUPP_TCPDIAG =
            "24000000" + // nlmsg_len = 36 = 16 + 20
            "0200" +     // nlmsg_type = NLMSG_ERROR (2)
            "0001" +     // nlmsg_flags = NLM_F_CAPPED
            "07000000" + // nlmsg_seq = 7
            "d2040000" + // nlmsg_pid = 1234
            "a1ffffff" + // error = -95 (-EOPNOTSUPP)
            // the request's nlmsghdr
            "4c000000" + // nlmsg_len = 76
            "1200" +     // nlmsg_type = TCPDIAG_GETSOCK
            "0103" +     // nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP
            "07000000" + // nlmsg_seq = 7
            "00000000";  // nlmsg_pid = 0
}
