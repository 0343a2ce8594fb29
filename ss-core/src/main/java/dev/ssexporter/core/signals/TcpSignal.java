package dev.ssexporter.core.signals;

import dev.ssexporter.netlink.TcpInfo;
import dev.ssexporter.netlink.TcpInfoField;

/**
 * An opt-in per-flow signal read from {@code struct tcp_info}, off unless the config switches it
 * on: its config key (both spellings), the member it reads, whether it is a counter, the divisor
 * to its base unit, and its fold over the sockets of one flow.
 *
 * <p>A member the kernel did not send is absent, never zero; so are the kernel's "no value yet"
 * markers, {@code ~0U} for {@code tcpi_min_rtt} (no RTT sample) and {@code ~0ULL} for
 * {@code tcpi_pacing_rate} (no pacing rate), which {@code ss} does not print either.
 */
public enum TcpSignal {
    /** {@code tcpi_retransmits}: RTO timeouts in a row without recovery; the worst socket. */
    RETRANSMITS("retransmits", "retransmits", TcpInfoField.RETRANSMITS, false, 1, SignalFold.MAX),
    /** {@code tcpi_total_retrans}: segments retransmitted over the socket's life. */
    TOTAL_RETRANS("totalRetrans", "total_retrans", TcpInfoField.TOTAL_RETRANS, true, 1, SignalFold.SUM),
    /** {@code tcpi_lost}: segments currently estimated lost. */
    LOST("lost", "lost", TcpInfoField.LOST, false, 1, SignalFold.SUM),
    /** {@code tcpi_bytes_acked}: bytes the peer acknowledged. */
    BYTES_ACKED("bytesAcked", "bytes_acked", TcpInfoField.BYTES_ACKED, true, 1, SignalFold.SUM),
    /** {@code tcpi_bytes_received}: bytes received and acknowledged. */
    BYTES_RECEIVED("bytesReceived", "bytes_received", TcpInfoField.BYTES_RECEIVED, true, 1, SignalFold.SUM),
    /** {@code tcpi_min_rtt}: the minimum RTT seen, µs in the kernel, seconds here. */
    MIN_RTT("minRtt", "min_rtt", TcpInfoField.MIN_RTT, false, 1e6, SignalFold.MIN),
    /** {@code tcpi_rttvar}: RTT mean deviation, µs in the kernel, seconds here. */
    RTTVAR("rttvar", "rttvar", TcpInfoField.RTTVAR, false, 1e6, SignalFold.MEAN),
    /** {@code tcpi_pacing_rate}: pacing rate in bytes per second. */
    PACING_RATE("pacingRate", "pacing_rate", TcpInfoField.PACING_RATE, false, 1, SignalFold.SUM),
    /** {@code tcpi_notsent_bytes}: bytes written by the application and not yet sent. */
    NOTSENT_BYTES("notsentBytes", "notsent_bytes", TcpInfoField.NOTSENT_BYTES, false, 1, SignalFold.SUM),
    /** {@code tcpi_busy_time}: time with data in flight, µs in the kernel, seconds here. */
    BUSY_TIME("busyTime", "busy_time", TcpInfoField.BUSY_TIME, true, 1e6, SignalFold.SUM),
    /** {@code tcpi_rwnd_limited}: time limited by the receive window, µs in the kernel, seconds here. */
    RWND_LIMITED("rwndLimited", "rwnd_limited", TcpInfoField.RWND_LIMITED, true, 1e6, SignalFold.SUM),
    /** {@code tcpi_sndbuf_limited}: time limited by the send buffer, µs in the kernel, seconds here. */
    SNDBUF_LIMITED("sndbufLimited", "sndbuf_limited", TcpInfoField.SNDBUF_LIMITED, true, 1e6, SignalFold.SUM);

    /** {@code tcpi_min_rtt} before the first RTT sample: {@code ~0U}. */
    private static final long NO_MIN_RTT = 0xFFFF_FFFFL;
    /** {@code tcpi_pacing_rate} without a rate: {@code ~0ULL}, read as a signed long. */
    private static final long NO_PACING_RATE = -1L;

    private final String key;
    private final String snakeKey;
    private final TcpInfoField field;
    private final boolean counter;
    /** What the kernel's number is divided by: 10^6 for microseconds to seconds, else 1. */
    private final double divisor;
    private final SignalFold fold;

    TcpSignal(String key, String snakeKey, TcpInfoField field, boolean counter, double divisor, SignalFold fold) {
        this.key = key;
        this.snakeKey = snakeKey;
        this.field = field;
        this.counter = counter;
        this.divisor = divisor;
        this.fold = fold;
    }

    /** The config key, camelCase, under {@code logic.metrics.counters} or {@code .gauges}. */
    public String key() {
        return key;
    }

    /** The config key in snake_case; equal to {@link #key()} for one-word keys. */
    public String snakeKey() {
        return snakeKey;
    }

    /** The {@code tcp_info} member read. */
    public TcpInfoField field() {
        return field;
    }

    /** Whether the value only grows over a socket's life (a counter), else a gauge. */
    public boolean counter() {
        return counter;
    }

    /** How sockets sharing a flow label combine. */
    public SignalFold fold() {
        return fold;
    }

    /** Whether {@code info} carries a value for this signal (present and not a "no value" marker). */
    public boolean presentIn(TcpInfo info) {
        if (!info.has(field)) {
            return false;
        }
        long raw = info.get(field);
        return switch (this) {
            case MIN_RTT -> raw != NO_MIN_RTT;
            case PACING_RATE -> raw != NO_PACING_RATE;
            default -> true;
        };
    }

    /**
     * The value in its base unit (seconds, bytes, bytes per second, segments); only when
     * {@link #presentIn}. The kernel's members are unsigned, so a 64-bit value past
     * {@code 2^63 - 1} (a negative long) is read as the large positive number it is.
     */
    public double value(TcpInfo info) {
        long raw = info.get(field);
        double unsigned = raw >= 0 ? raw : (raw >>> 1) * 2.0 + (raw & 1);
        return unsigned / divisor;
    }
}
