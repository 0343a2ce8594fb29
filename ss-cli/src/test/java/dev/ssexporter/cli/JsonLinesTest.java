package dev.ssexporter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssexporter.netlink.AddressFamily;
import dev.ssexporter.netlink.SocketRecord;
import dev.ssexporter.netlink.TcpState;
import org.junit.jupiter.api.Test;

class JsonLinesTest {
    /** Every member of a 276-byte tcp_info, zero but for the ones the fixtures set. */
    private static String fullTcpInfo(String state, String rtt, String rttvar, String cwnd, String totalRetrans,
                                      String segsIn, String segsOut, String deliveryRate) {
        return ("{\"state\":%s,\"ca_state\":0,\"retransmits\":0,\"probes\":0,\"backoff\":0,\"options\":0,"
                + "\"snd_wscale\":0,\"rcv_wscale\":0,\"delivery_rate_app_limited\":0,\"fastopen_client_fail\":0,"
                + "\"rto\":0,\"ato\":0,\"snd_mss\":0,\"rcv_mss\":0,\"unacked\":0,\"sacked\":0,\"lost\":0,"
                + "\"retrans\":0,\"fackets\":0,\"last_data_sent\":0,\"last_ack_sent\":0,\"last_data_recv\":0,"
                + "\"last_ack_recv\":0,\"pmtu\":0,\"rcv_ssthresh\":0,\"rtt\":%s,\"rttvar\":%s,\"snd_ssthresh\":0,"
                + "\"snd_cwnd\":%s,\"advmss\":0,\"reordering\":0,\"rcv_rtt\":0,\"rcv_space\":0,\"total_retrans\":%s,"
                + "\"pacing_rate\":0,\"max_pacing_rate\":0,\"bytes_acked\":0,\"bytes_received\":0,\"segs_out\":0,"
                + "\"segs_in\":0,\"notsent_bytes\":0,\"min_rtt\":0,\"data_segs_in\":%s,\"data_segs_out\":%s,"
                + "\"delivery_rate\":%s,\"busy_time\":0,\"rwnd_limited\":0,\"sndbuf_limited\":0,\"delivered\":0,"
                + "\"delivered_ce\":0,\"bytes_sent\":0,\"bytes_retrans\":0,\"dsack_dups\":0,\"reord_seen\":0,"
                + "\"rcv_ooopack\":0,\"snd_wnd\":0,\"rcv_wnd\":0,\"rehash\":0,\"total_rto\":0,"
                + "\"total_rto_recoveries\":0,\"total_rto_time\":0,\"received_ce\":0,\"delivered_e1_bytes\":0,"
                + "\"delivered_e0_bytes\":0,\"delivered_ce_bytes\":0,\"received_e1_bytes\":0,"
                + "\"received_e0_bytes\":0,\"received_ce_bytes\":0}")
                .formatted(state, rtt, rttvar, cwnd, totalRetrans, segsIn, segsOut, deliveryRate);
    }

    @Test
    void writesIpv4WithMemoryAndFullTcpInfo() {
        assertThat(JsonLines.line(Fixtures.IPV4)).isEqualTo(
                "{\"family\":\"INET\",\"state\":\"ESTABLISHED\",\"local_address\":\"127.0.0.1\",\"local_port\":8020,"
                + "\"remote_address\":\"127.0.0.1\",\"remote_port\":43908,\"interface_index\":0,\"cookie\":4123,"
                + "\"inode\":98765,\"uid\":1000,\"rqueue\":0,\"wqueue\":0,\"timer\":2,\"retrans\":0,"
                + "\"expires_millis\":89000,\"congestion\":\"cubic\","
                + "\"mem_info\":{\"rmem\":0,\"wmem\":0,\"fmem\":0,\"tmem\":0},"
                + "\"sk_mem_info\":{\"rmem_alloc\":0,\"rcv_buf\":131072,\"wmem_alloc\":0,\"snd_buf\":16384,"
                + "\"fwd_alloc\":0,\"wmem_queued\":0,\"opt_mem\":0,\"backlog\":0,\"drops\":0},"
                + "\"tcp_info\":" + fullTcpInfo("1", "38", "19", "10", "0", "12", "15", "150000000") + "}");
    }

    @Test
    void writesIpv6AddressesInCanonicalFormWithoutBrackets() {
        assertThat(JsonLines.line(Fixtures.IPV6)).isEqualTo(
                "{\"family\":\"INET6\",\"state\":\"ESTABLISHED\",\"local_address\":\"::1\",\"local_port\":33412,"
                + "\"remote_address\":\"2001:db8::1:0:0:1\",\"remote_port\":443,\"interface_index\":0,\"cookie\":7,"
                + "\"inode\":555,\"uid\":0,\"rqueue\":17,\"wqueue\":2048,\"timer\":1,\"retrans\":3,"
                + "\"expires_millis\":204,\"congestion\":\"bbr\","
                + "\"tcp_info\":" + fullTcpInfo("1", "53376", "0", "42", "5", "3", "4", "125") + "}");
    }

    @Test
    void writesV4MappedAddressesAsIpv4AndKeepsTheSocketsFamily() {
        assertThat(JsonLines.line(Fixtures.MAPPED)).isEqualTo(
                "{\"family\":\"INET6\",\"state\":\"CLOSE_WAIT\",\"local_address\":\"10.0.0.1\",\"local_port\":8020,"
                + "\"remote_address\":\"192.168.10.58\",\"remote_port\":39366,\"interface_index\":0,\"cookie\":9,"
                + "\"inode\":556,\"uid\":0,\"rqueue\":0,\"wqueue\":0,\"timer\":0,\"retrans\":0,"
                + "\"expires_millis\":0,\"congestion\":\"cubic\","
                + "\"tcp_info\":" + fullTcpInfo("0", "1500", "0", "10", "0", "0", "0", "1562500") + "}");
    }

    @Test
    void leavesOutWhatTheKernelDidNotSend() {
        assertThat(JsonLines.line(Fixtures.TIME_WAIT)).isEqualTo(
                "{\"family\":\"INET\",\"state\":\"TIME_WAIT\",\"local_address\":\"10.0.0.2\",\"local_port\":51000,"
                + "\"remote_address\":\"104.19.199.151\",\"remote_port\":443,\"interface_index\":0,\"cookie\":11,"
                + "\"inode\":0,\"uid\":0,\"rqueue\":0,\"wqueue\":0,\"timer\":3,\"retrans\":0,"
                + "\"expires_millis\":59000}");
    }

    @Test
    void writesAShortTcpInfoUpToItsLengthOnly() {
        // 104 bytes end with tcpi_total_retrans; the SK_MEMINFO array has no backlog and drops.
        assertThat(JsonLines.line(Fixtures.SHORT_TCP_INFO)).isEqualTo(
                "{\"family\":\"INET\",\"state\":\"ESTABLISHED\",\"local_address\":\"192.168.1.5\",\"local_port\":22,"
                + "\"remote_address\":\"192.168.1.9\",\"remote_port\":60000,\"interface_index\":0,\"cookie\":12,"
                + "\"inode\":777,\"uid\":0,\"rqueue\":0,\"wqueue\":36,\"timer\":2,\"retrans\":0,"
                + "\"expires_millis\":7200000,\"congestion\":\"reno\","
                + "\"sk_mem_info\":{\"rmem_alloc\":0,\"rcv_buf\":87380,\"wmem_alloc\":0,\"snd_buf\":16384,"
                + "\"fwd_alloc\":4096,\"wmem_queued\":0,\"opt_mem\":0},"
                + "\"tcp_info\":{\"state\":1,\"ca_state\":0,\"retransmits\":0,\"probes\":0,\"backoff\":0,\"options\":0,"
                + "\"snd_wscale\":0,\"rcv_wscale\":0,\"delivery_rate_app_limited\":0,\"fastopen_client_fail\":0,"
                + "\"rto\":0,\"ato\":0,\"snd_mss\":0,\"rcv_mss\":0,\"unacked\":0,\"sacked\":0,\"lost\":0,"
                + "\"retrans\":0,\"fackets\":0,\"last_data_sent\":0,\"last_ack_sent\":0,\"last_data_recv\":0,"
                + "\"last_ack_recv\":0,\"pmtu\":0,\"rcv_ssthresh\":0,\"rtt\":2178,\"rttvar\":0,\"snd_ssthresh\":0,"
                + "\"snd_cwnd\":7,\"advmss\":0,\"reordering\":0,\"rcv_rtt\":0,\"rcv_space\":0,\"total_retrans\":1}}");
    }

    @Test
    void writesKernelCountersUnsigned() {
        SocketRecord s = new SocketRecord(AddressFamily.INET, TcpState.SYN_SENT, Fixtures.ip("10.0.0.1"), 1,
                Fixtures.ip("10.0.0.2"), 65535, -1, -1L, 4294967295L, -2, 0, 0, 0, 0, 0,
                "x", null, null, null);
        assertThat(JsonLines.line(s)).isEqualTo(
                "{\"family\":\"INET\",\"state\":\"SYN_SENT\",\"local_address\":\"10.0.0.1\",\"local_port\":1,"
                + "\"remote_address\":\"10.0.0.2\",\"remote_port\":65535,\"interface_index\":4294967295,"
                + "\"cookie\":18446744073709551615,\"inode\":4294967295,\"uid\":4294967294,\"rqueue\":0,"
                + "\"wqueue\":0,\"timer\":0,\"retrans\":0,\"expires_millis\":0,\"congestion\":\"x\"}");
    }

    @Test
    void escapesStrings() {
        assertThat(quote("plain")).isEqualTo("\"plain\"");
        assertThat(quote("")).isEqualTo("\"\"");
        assertThat(quote("say \"hi\"")).isEqualTo("\"say \\\"hi\\\"\"");
        assertThat(quote("C:\\dir")).isEqualTo("\"C:\\\\dir\"");
        assertThat(quote("a/b")).isEqualTo("\"a/b\"");
        assertThat(quote("\n\r\t\b\f")).isEqualTo("\"\\n\\r\\t\\b\\f\"");
        assertThat(quote("\u0000\u0001\u001f\u007f")).isEqualTo("\"\\u0000\\u0001\\u001f\\u007f\"");
        assertThat(quote("café ✓")).isEqualTo("\"café ✓\"");
        assertThat(quote("\uD83D\uDE00")).isEqualTo("\"\uD83D\uDE00\"");
        assertThat(quote("lone \uD83D high")).isEqualTo("\"lone \\ud83d high\"");
        assertThat(quote("lone \uDE00 low")).isEqualTo("\"lone \\ude00 low\"");
        assertThat(quote("end \uD83D")).isEqualTo("\"end \\ud83d\"");
    }

    @Test
    void escapesTheCongestionName() {
        SocketRecord s = new SocketRecord(AddressFamily.INET, TcpState.ESTABLISHED, Fixtures.ip("10.0.0.1"), 1,
                Fixtures.ip("10.0.0.2"), 2, 0, 1L, 1L, 0, 0, 0, 0, 0, 0, "we\"ird\n", null, null, null);
        assertThat(JsonLines.line(s)).endsWith(",\"congestion\":\"we\\\"ird\\n\"}");
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder();
        JsonLines.quote(sb, s);
        return sb.toString();
    }
}
