package dev.ssexporter.cli.e2e;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The opt-in signal values that {@code ss -tinHe} prints for one socket, converted to what the
 * exporter's families hold (seconds, bytes, bytes per second), by family name.
 *
 * <p>{@code ss} prints {@code retrans:a/b} (currently retransmitted / total), {@code lost:},
 * {@code notsent:}, {@code bytes_acked:}, {@code bytes_received:}, {@code busy:}, and the two
 * limited times only when they are not zero, so a missing token reads as 0 here.
 * {@code rtt:avg/var} and {@code minrtt:} are milliseconds printed with {@code %g} (six
 * significant digits); {@code busy:}, {@code rwnd_limited:} and {@code sndbuf_limited:} are whole
 * milliseconds, truncated; {@code pacing_rate} is in bits per second. Not printed by {@code -i}:
 * {@code tcpi_retransmits}.
 */
final class SsSignals {
    /** Names of the families read from whole-millisecond tokens, which ss truncates. */
    static final java.util.Set<String> TRUNCATED_MS = java.util.Set.of("tcp_busy_seconds_total",
            "tcp_rwnd_limited_seconds_total", "tcp_sndbuf_limited_seconds_total");

    private static final Pattern TOKEN = Pattern.compile("(?<=\\s)([a-z_]+):([0-9.e+/-]+)(ms)?");
    private static final Pattern PACING = Pattern.compile("(?<=\\s)pacing_rate (\\d+)bps");

    private SsSignals() {}

    /** Family name to the value ss shows; a family whose token ss printed in a form we cannot read is left out. */
    static Map<String, Double> of(Ss.Sock sock) {
        Map<String, Double> v = new LinkedHashMap<>();
        v.put("tcp_retrans_segs_total", 0.0);
        v.put("tcp_lost_segs", 0.0);
        v.put("tcp_acked_bytes_total", 0.0);
        v.put("tcp_received_bytes_total", 0.0);
        v.put("tcp_notsent_bytes", 0.0);
        v.put("tcp_busy_seconds_total", 0.0);
        v.put("tcp_rwnd_limited_seconds_total", 0.0);
        v.put("tcp_sndbuf_limited_seconds_total", 0.0);
        Matcher m = TOKEN.matcher(sock.line());
        while (m.find()) {
            String value = m.group(2);
            switch (m.group(1)) {
                case "retrans" -> v.put("tcp_retrans_segs_total", Double.parseDouble(value.substring(value.indexOf('/') + 1)));
                case "lost" -> v.put("tcp_lost_segs", Double.parseDouble(value));
                case "bytes_acked" -> v.put("tcp_acked_bytes_total", Double.parseDouble(value));
                case "bytes_received" -> v.put("tcp_received_bytes_total", Double.parseDouble(value));
                case "notsent" -> v.put("tcp_notsent_bytes", Double.parseDouble(value));
                case "minrtt" -> v.put("tcp_min_rtt_seconds", Double.parseDouble(value) / 1000);
                case "rtt" -> v.put("tcp_rttvar_seconds", Double.parseDouble(value.substring(value.indexOf('/') + 1)) / 1000);
                case "busy" -> v.put("tcp_busy_seconds_total", Double.parseDouble(value) / 1000);
                case "rwnd_limited" -> v.put("tcp_rwnd_limited_seconds_total", Double.parseDouble(value) / 1000);
                case "sndbuf_limited" -> v.put("tcp_sndbuf_limited_seconds_total", Double.parseDouble(value) / 1000);
                default -> {
                    // cwnd:, mss:, segs_out: and the rest are compared elsewhere or not at all.
                }
            }
        }
        Matcher p = PACING.matcher(sock.line());
        if (p.find()) {
            v.put("tcp_pacing_rate_bytes_per_second", Long.parseLong(p.group(1)) / 8.0);
        }
        return v;
    }
}
