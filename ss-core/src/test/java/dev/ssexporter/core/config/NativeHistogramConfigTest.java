package dev.ssexporter.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** {@code logic.metrics.histograms.rtt.native}: on unless switched off. */
class NativeHistogramConfigTest {
    private static MetricsConfig metrics(String yaml) throws ConfigException {
        return ConfigLoader.parse(yaml, "config.yml").metrics();
    }

    @Test
    void onByDefaultAndSwitchable() throws ConfigException {
        assertThat(metrics("").rttNative()).isTrue();
        assertThat(MetricsConfig.defaults().rttNative()).isTrue();
        assertThat(metrics("logic: {metrics: {histograms: {rtt: {native: false}}}}").rttNative()).isFalse();
        assertThat(metrics("logic: {metrics: {histograms: {latency: {native: true, bucket_bounds: [1]}}}}").rttNative())
                .isTrue();
    }

    @Test
    void aNonBooleanIsAnError() {
        assertThatThrownBy(() -> metrics("logic: {metrics: {histograms: {rtt: {native: 3}}}}"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("logic.metrics.histograms.rtt.native: expected a boolean (true or false), got the"
                        + " integer 3");
    }
}
