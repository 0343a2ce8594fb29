package dev.ssexporter.exporter;

import static dev.ssexporter.exporter.Fixtures.BUILD;
import static dev.ssexporter.exporter.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ssexporter.core.config.ExporterConfig;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ConfigReloader}: the file is read, validated and swapped in, or rejected with its errors. */
class ConfigReloaderTest {
    @TempDir
    Path dir;

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final AtomicLong nowSeconds = new AtomicLong(1_764_100_000);
    private final Clock clock = new Clock() {
        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochSecond(nowSeconds.get());
        }
    };

    private SocketStatsCollector collector() throws Exception {
        return SocketStatsCollector.builder().config(ExporterConfig.defaults()).scrapeSource(Fixtures::twoFlows)
                .buildInfo(BUILD).register(registry);
    }

    private ConfigReloader reloader(SocketStatsCollector collector, Path file) {
        return ConfigReloader.builder().collector(collector).configFile(file).clock(clock).register(registry);
    }

    @Test
    void aGoodFileIsSwappedInAndABadOneLeavesItServing() throws Exception {
        Path file = Files.writeString(dir.resolve("config.yml"), "logic: {}\n");
        try (SocketStatsCollector collector = collector()) {
            ConfigReloader reloader = reloader(collector, file);
            assertThat(text(registry)).contains("ss_exporter_config_last_reload_successful 1.0\n",
                    "ss_exporter_config_last_reload_success_timestamp_seconds 1.7641E9\n", "tcp_rtt{");

            nowSeconds.addAndGet(60);
            Files.writeString(file, "logic:\n  metrics: {gauges: {active: false}}\n");
            ReloadAction.Result good = reloader.reload();
            assertThat(good.success()).isTrue();
            assertThat(good.lines()).containsExactly("reloaded " + file);
            assertThat(collector.config().metrics().rttGauge()).isFalse();
            assertThat(text(registry)).doesNotContain("tcp_rtt{").contains("tcp_data_segs_in_total{",
                    "ss_exporter_config_last_reload_success_timestamp_seconds 1.76410006E9\n");

            nowSeconds.addAndGet(60);
            Files.writeString(file, "logic:\n  metrics: {gauges: {active: false}}\n  compression: {labelFolding: zip}\n");
            ReloadAction.Result bad = reloader.reload();
            assertThat(bad.success()).isFalse();
            assertThat(bad.lines()).containsExactly(file + ":3:31: logic.compression.labelFolding: unknown label"
                    + " folding \"zip\"; expected \"raw_endpoint\" or \"pid_condensed\"");
            assertThat(collector.config().metrics().rttGauge()).as("the previous config serves").isFalse();
            assertThat(text(registry)).contains("""
                    # HELP ss_exporter_config_last_reload_success_timestamp_seconds When the configuration being served was loaded (at start-up or by the last successful reload), in seconds since the Unix epoch.
                    # TYPE ss_exporter_config_last_reload_success_timestamp_seconds gauge
                    ss_exporter_config_last_reload_success_timestamp_seconds 1.76410006E9
                    # HELP ss_exporter_config_last_reload_successful Whether the last configuration reload succeeded (1) or failed (0); 1 at start-up.
                    # TYPE ss_exporter_config_last_reload_successful gauge
                    ss_exporter_config_last_reload_successful 0.0
                    # HELP ss_exporter_config_reloads_total Configuration reloads (SIGHUP or POST /-/reload) since the exporter started, by result: success or failure.
                    # TYPE ss_exporter_config_reloads_total counter
                    ss_exporter_config_reloads_total{result="failure"} 1.0
                    ss_exporter_config_reloads_total{result="success"} 1.0
                    """);

            Files.delete(file);
            assertThat(reloader.reload().lines()).containsExactly(file + ": no such file");

            Files.writeString(file, "logic:\n  metrics: {gauges: {active: false}}\n");
            ReloadAction.Result same = reloader.reload();
            assertThat(same.success()).isTrue();
            assertThat(same.lines()).containsExactly("reloaded " + file + " (unchanged)");
            assertThat(text(registry)).contains("ss_exporter_config_last_reload_successful 1.0\n",
                    "ss_exporter_config_reloads_total{result=\"failure\"} 2.0\n",
                    "ss_exporter_config_reloads_total{result=\"success\"} 2.0\n",
                    "ss_exporter_config_last_reload_success_timestamp_seconds 1.76410012E9\n");
        }
    }

    @Test
    void withoutAConfigFileAReloadIsANoOpSuccess() throws Exception {
        try (SocketStatsCollector collector = collector()) {
            ConfigReloader reloader = reloader(collector, null);
            ReloadAction.Result r = reloader.reload();
            assertThat(r.success()).isTrue();
            assertThat(r.lines()).containsExactly("no config file: nothing to reload");
            assertThat(collector.config()).isEqualTo(ExporterConfig.defaults());
            assertThat(text(registry)).contains("ss_exporter_config_reloads_total{result=\"success\"} 1.0\n");
        }
    }
}
