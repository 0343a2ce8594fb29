package dev.ssexporter.core.signals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ssexporter.netlink.TcpInfo;
import dev.ssexporter.netlink.TcpInfoField;
import java.util.EnumSet;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class SignalAccumulatorTest {
    private static final EnumSet<TcpSignal> ALL = EnumSet.allOf(TcpSignal.class);

    /** A full-length tcp_info with the given members set and every other member 0. */
    private static TcpInfo info(Map<TcpInfoField, Long> values) {
        return TcpInfo.of(TcpInfoField.KNOWN_SIZE, f -> values.getOrDefault(f, 0L));
    }

    @Test
    void oneSocketGivesItsValuesInBaseUnits() {
        SignalAccumulator acc = SignalAccumulator.of(ALL);
        acc.add(info(Map.ofEntries(
                Map.entry(TcpInfoField.RETRANSMITS, 2L),
                Map.entry(TcpInfoField.TOTAL_RETRANS, 17L),
                Map.entry(TcpInfoField.LOST, 3L),
                Map.entry(TcpInfoField.BYTES_ACKED, 1_000_001L),
                Map.entry(TcpInfoField.BYTES_RECEIVED, 4_096L),
                Map.entry(TcpInfoField.MIN_RTT, 1_250L),
                Map.entry(TcpInfoField.RTTVAR, 500L),
                Map.entry(TcpInfoField.PACING_RATE, 125_000_000L),
                Map.entry(TcpInfoField.NOTSENT_BYTES, 65_536L),
                Map.entry(TcpInfoField.BUSY_TIME, 2_500_000L),
                Map.entry(TcpInfoField.RWND_LIMITED, 1_000L),
                Map.entry(TcpInfoField.SNDBUF_LIMITED, 7L))));
        SignalValues v = acc.toValues();
        assertThat(v.get(TcpSignal.RETRANSMITS)).isEqualTo(2.0);
        assertThat(v.get(TcpSignal.TOTAL_RETRANS)).isEqualTo(17.0);
        assertThat(v.get(TcpSignal.LOST)).isEqualTo(3.0);
        assertThat(v.get(TcpSignal.BYTES_ACKED)).isEqualTo(1_000_001.0);
        assertThat(v.get(TcpSignal.BYTES_RECEIVED)).isEqualTo(4_096.0);
        assertThat(v.get(TcpSignal.MIN_RTT)).isEqualTo(0.00125);
        assertThat(v.get(TcpSignal.RTTVAR)).isEqualTo(0.0005);
        assertThat(v.get(TcpSignal.PACING_RATE)).isEqualTo(125_000_000.0);
        assertThat(v.get(TcpSignal.NOTSENT_BYTES)).isEqualTo(65_536.0);
        assertThat(v.get(TcpSignal.BUSY_TIME)).isEqualTo(2.5);
        assertThat(v.get(TcpSignal.RWND_LIMITED)).isEqualTo(0.001);
        assertThat(v.get(TcpSignal.SNDBUF_LIMITED)).isEqualTo(7e-6);
    }

    @Test
    void socketsSharingAFlowFoldBySumMeanMinAndMax() {
        SignalAccumulator acc = SignalAccumulator.of(ALL);
        acc.add(info(Map.of(TcpInfoField.RETRANSMITS, 1L, TcpInfoField.BYTES_ACKED, 100L, TcpInfoField.MIN_RTT, 900L,
                TcpInfoField.RTTVAR, 100L, TcpInfoField.BUSY_TIME, 1_000_000L)));
        acc.add(info(Map.of(TcpInfoField.RETRANSMITS, 4L, TcpInfoField.BYTES_ACKED, 250L, TcpInfoField.MIN_RTT, 300L,
                TcpInfoField.RTTVAR, 400L, TcpInfoField.BUSY_TIME, 500_000L)));
        acc.add(info(Map.of(TcpInfoField.RETRANSMITS, 0L, TcpInfoField.BYTES_ACKED, 1L, TcpInfoField.MIN_RTT, 600L,
                TcpInfoField.RTTVAR, 700L, TcpInfoField.BUSY_TIME, 0L)));
        SignalValues v = acc.toValues();
        assertThat(v.get(TcpSignal.RETRANSMITS)).as("max").isEqualTo(4.0);
        assertThat(v.get(TcpSignal.BYTES_ACKED)).as("sum").isEqualTo(351.0);
        assertThat(v.get(TcpSignal.MIN_RTT)).as("min").isEqualTo(0.0003);
        assertThat(v.get(TcpSignal.RTTVAR)).as("mean").isCloseTo(0.0004, org.assertj.core.data.Offset.offset(1e-15));
        assertThat(v.get(TcpSignal.BUSY_TIME)).as("sum").isEqualTo(1.5);
    }

    @Test
    void aMemberTheKernelDidNotSendIsAbsentNotZero() {
        // A 104-byte struct (Linux 3.x) ends with tcpi_total_retrans: no pacing rate and later members.
        TcpInfo old = TcpInfo.of(104, f -> f == TcpInfoField.TOTAL_RETRANS ? 5 : 0);
        SignalAccumulator acc = SignalAccumulator.of(ALL);
        acc.add(old);
        SignalValues v = acc.toValues();
        assertThat(v.get(TcpSignal.TOTAL_RETRANS)).isEqualTo(5.0);
        assertThat(v.has(TcpSignal.LOST)).isTrue();
        for (TcpSignal s : EnumSet.of(TcpSignal.BYTES_ACKED, TcpSignal.BYTES_RECEIVED, TcpSignal.MIN_RTT,
                TcpSignal.PACING_RATE, TcpSignal.NOTSENT_BYTES, TcpSignal.BUSY_TIME, TcpSignal.RWND_LIMITED,
                TcpSignal.SNDBUF_LIMITED)) {
            assertThat(v.has(s)).as("%s from a 104-byte tcp_info", s).isFalse();
            assertThat(v.find(s)).isEqualTo(OptionalDouble.empty());
        }
        assertThatThrownBy(() -> v.get(TcpSignal.MIN_RTT)).isInstanceOf(NoSuchElementException.class)
                .hasMessage("MIN_RTT is absent from this flow");

        // With a newer socket in the same flow, the absent members fold over that socket alone.
        acc.add(info(Map.of(TcpInfoField.TOTAL_RETRANS, 1L, TcpInfoField.MIN_RTT, 80L, TcpInfoField.RTTVAR, 30L)));
        SignalValues both = acc.toValues();
        assertThat(both.get(TcpSignal.TOTAL_RETRANS)).isEqualTo(6.0);
        assertThat(both.get(TcpSignal.MIN_RTT)).isEqualTo(80e-6);
        assertThat(both.get(TcpSignal.RTTVAR)).as("mean of 0 and 30 µs").isEqualTo(15e-6);
    }

    @Test
    void theKernelsNoValueMarkersAreAbsent() {
        // tcpi_min_rtt is ~0U before the first RTT sample; tcpi_pacing_rate is ~0ULL without a rate.
        SignalAccumulator acc = SignalAccumulator.of(ALL);
        acc.add(info(Map.of(TcpInfoField.MIN_RTT, 0xFFFF_FFFFL, TcpInfoField.PACING_RATE, -1L)));
        SignalValues v = acc.toValues();
        assertThat(v.has(TcpSignal.MIN_RTT)).isFalse();
        assertThat(v.has(TcpSignal.PACING_RATE)).isFalse();
        assertThat(v.has(TcpSignal.RTTVAR)).isTrue();
    }

    @Test
    void unsigned64BitValuesStayPositive() {
        SignalAccumulator acc = SignalAccumulator.of(EnumSet.of(TcpSignal.BYTES_ACKED));
        acc.add(info(Map.of(TcpInfoField.BYTES_ACKED, Long.MIN_VALUE + 3)));
        assertThat(acc.toValues().get(TcpSignal.BYTES_ACKED)).isEqualTo(Math.pow(2, 63) + 3);
    }

    @Test
    void onlyTheSwitchedOnSignalsArePresent() {
        SignalAccumulator acc = SignalAccumulator.of(EnumSet.of(TcpSignal.LOST));
        acc.add(info(Map.of(TcpInfoField.LOST, 2L, TcpInfoField.BYTES_ACKED, 9L)));
        SignalValues v = acc.toValues();
        assertThat(v).isEqualTo(SignalValues.of(Map.of(TcpSignal.LOST, 2.0)));
        assertThat(v.toString()).isEqualTo("SignalValues[lost=2.0]");
        assertThat(SignalAccumulator.of(EnumSet.noneOf(TcpSignal.class)).toValues()).isSameAs(SignalValues.none());
    }

    @Test
    void valuesRejectWhatNoSignalTakes() {
        assertThatThrownBy(() -> SignalValues.of(Map.of(TcpSignal.LOST, -1.0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("LOST must be a number at least 0, got -1.0");
    }
}
