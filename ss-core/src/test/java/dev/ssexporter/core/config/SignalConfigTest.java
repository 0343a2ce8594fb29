package dev.ssexporter.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ssexporter.core.signals.TcpSignal;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The opt-in signals under {@code logic.metrics.gauges} and {@code .counters}. */
class SignalConfigTest {
    private static MetricsConfig metrics(String yaml) throws ConfigException {
        return ConfigLoader.parse(yaml, "config.yml").metrics();
    }

    @Test
    void offByDefaultAndWithoutAnyMetricsSection() throws ConfigException {
        assertThat(metrics("").signals()).isEmpty();
        assertThat(metrics("logic: {metrics: {gauges: {rtt: {}}, counters: {active: true}}}").signals()).isEmpty();
        assertThat(MetricsConfig.defaults().signals()).isEmpty();
        // A key with no value counts as absent, as everywhere in the file.
        assertThat(metrics("logic: {metrics: {gauges: {minRtt: ~}, counters: {bytes_acked: }}}").signals()).isEmpty();
    }

    @Test
    void eachSignalIsSwitchedOnByItsKeyInEitherSpelling() throws ConfigException {
        for (TcpSignal s : TcpSignal.values()) {
            String group = s.counter() ? "counters" : "gauges";
            for (String key : new TreeSet<>(List.of(s.key(), s.snakeKey()))) {
                assertThat(metrics("logic: {metrics: {" + group + ": {" + key + ": {active: true}}}}").signals())
                        .as("%s.%s", group, key).containsExactly(s);
                assertThat(metrics("logic: {metrics: {" + group + ": {" + key + ": {}}}}").signals())
                        .as("%s.%s without active", group, key).containsExactly(s);
                assertThat(metrics("logic: {metrics: {" + group + ": {" + key + ": {active: false}}}}").signals())
                        .as("%s.%s: {active: false}", group, key).isEmpty();
            }
        }
    }

    @Test
    void anInactiveGroupTurnsItsSignalsOffAndLeavesTheOtherGroupAlone() throws ConfigException {
        MetricsConfig m = metrics("""
                logic:
                  metrics:
                    gauges: {active: false, min_rtt: {active: true}, pacingRate: {}}
                    counters: {bytes_acked: {}, busyTime: {active: true}, totalRetrans: {active: false}}
                """);
        assertThat(m.signals()).containsExactly(TcpSignal.BYTES_ACKED, TcpSignal.BUSY_TIME);
        assertThat(m.rttGauge()).isFalse();
        assertThat(m.dataSegsInCounter()).isTrue();
        assertThat(m.anyPerFlow()).isTrue();
    }

    @Test
    void signalsAloneNeedFlowLabels() throws ConfigException {
        MetricsConfig m = metrics("""
                logic:
                  metrics:
                    gauges: {rtt: {active: false}, cwnd: {active: false}, deliveryRate: {active: false}, lost: {}}
                    counters: {active: false}
                """);
        assertThat(m.signals()).containsExactly(TcpSignal.LOST);
        assertThat(m.anyPerFlow()).isTrue();
    }

    @Test
    void aSignalInTheWrongGroupOrBothSpellingsIsAnError() {
        assertThatThrownBy(() -> metrics("logic: {metrics: {gauges: {bytesAcked: {}}}}"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("config.yml:1:28: logic.metrics.gauges.bytesAcked: unknown key");
        assertThatThrownBy(() -> metrics("logic: {metrics: {counters: {busyTime: {}, busy_time: {}}}}"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("both busyTime and busy_time given; use one");
        assertThatThrownBy(() -> metrics("logic: {metrics: {gauges: {minRtt: true}}}"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("expected a mapping such as {active: true}");
    }

    @Test
    void theConfigKeepsSignalsInDeclarationOrderAndImmutable() {
        MetricsConfig m = new MetricsConfig(true, MetricsConfig.defaults().rttBounds(), true, true, true, true, true,
                Set.of(TcpSignal.SNDBUF_LIMITED, TcpSignal.RETRANSMITS, TcpSignal.MIN_RTT));
        assertThat(m.signals()).containsExactly(TcpSignal.RETRANSMITS, TcpSignal.MIN_RTT, TcpSignal.SNDBUF_LIMITED);
        assertThat(m).isEqualTo(new MetricsConfig(true, MetricsConfig.defaults().rttBounds(), true, true, true, true,
                true, EnumSet.of(TcpSignal.MIN_RTT, TcpSignal.SNDBUF_LIMITED, TcpSignal.RETRANSMITS)));
        assertThatThrownBy(() -> m.signals().add(TcpSignal.LOST)).isInstanceOf(UnsupportedOperationException.class);
    }
}
