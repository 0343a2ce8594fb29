package dev.ssexporter.exporter;

import dev.ssexporter.core.config.ConfigError;
import dev.ssexporter.core.config.ConfigException;
import dev.ssexporter.core.config.ConfigLoader;
import dev.ssexporter.core.config.ExporterConfig;
import dev.ssexporter.exporter.internal.Family;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricFamilyDescriptor;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Reloads the config file into a {@link SocketStatsCollector}: reads and validates it, swaps it in
 * ({@link SocketStatsCollector#reload}), records how it went and logs it. A file with errors is
 * rejected with every error logged at WARNING in the start-up format
 * ({@code file:line:col: path: message}); the previous configuration keeps serving. Without a
 * config file a reload has nothing to do and succeeds. Reloads run one at a time; {@link #reload()}
 * never throws.
 *
 * <pre>{@code
 * ConfigReloader reloader = ConfigReloader.builder().collector(collector).configFile(file).register(registry);
 * ExporterServer.builder().registry(registry).reloadAction(reloader)...
 * }</pre>
 *
 * <p>Registered with a registry, it exports (the timestamp is when the current configuration was
 * loaded, at start-up or by the last successful reload):
 *
 * <pre>{@code
 * # HELP ss_exporter_config_last_reload_success_timestamp_seconds When the configuration being served was loaded (at start-up or by the last successful reload), in seconds since the Unix epoch.
 * # TYPE ss_exporter_config_last_reload_success_timestamp_seconds gauge
 * ss_exporter_config_last_reload_success_timestamp_seconds 1.7641E9
 * # HELP ss_exporter_config_last_reload_successful Whether the last configuration reload succeeded (1) or failed (0); 1 at start-up.
 * # TYPE ss_exporter_config_last_reload_successful gauge
 * ss_exporter_config_last_reload_successful 0.0
 * # HELP ss_exporter_config_reloads_total Configuration reloads (SIGHUP or POST /-/reload) since the exporter started, by result: success or failure.
 * # TYPE ss_exporter_config_reloads_total counter
 * ss_exporter_config_reloads_total{result="failure"} 1.0
 * ss_exporter_config_reloads_total{result="success"} 2.0
 * }</pre>
 */
public final class ConfigReloader implements ReloadAction, MultiCollector {
    private static final System.Logger LOG = System.getLogger(ConfigReloader.class.getName());
    private static final List<Family> FAMILIES = List.of(Family.CONFIG_LAST_RELOAD_SUCCESSFUL,
            Family.CONFIG_LAST_RELOAD_SUCCESS_TIMESTAMP, Family.CONFIG_RELOADS);

    private final SocketStatsCollector collector;
    private final Path configFile;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicLong successes = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile boolean lastSuccessful = true;
    private volatile double lastSuccessSeconds;

    private ConfigReloader(SocketStatsCollector collector, Path configFile, Clock clock) {
        this.collector = collector;
        this.configFile = configFile;
        this.clock = clock;
        this.lastSuccessSeconds = seconds();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Reads, validates and swaps in the config file; waits for a reload already running. */
    @Override
    public Result reload() {
        lock.lock();
        try {
            return reloadLocked();
        } finally {
            lock.unlock();
        }
    }

    private Result reloadLocked() {
        if (configFile == null) {
            LOG.log(Level.INFO, "reload requested; the exporter runs without a config file, so there is nothing"
                    + " to reload");
            return succeeded("no config file: nothing to reload");
        }
        ExporterConfig config;
        try {
            config = ConfigLoader.load(configFile);
        } catch (ConfigException e) {
            LOG.log(Level.WARNING, "configuration reload failed; still serving the previous configuration:\n"
                    + e.getMessage());
            return failed(e.errors().stream().map(ConfigError::toString).toList());
        }
        try {
            boolean changed = collector.reload(config);
            LOG.log(Level.INFO, changed ? "reloaded the configuration from {0}"
                    : "reloaded the configuration from {0}; it is unchanged", configFile);
            return succeeded(changed ? "reloaded " + configFile : "reloaded " + configFile + " (unchanged)");
        } catch (IOException | RuntimeException e) {
            String reason = "cannot serve the configuration from " + configFile + ": " + e.getMessage();
            LOG.log(Level.WARNING, "configuration reload failed; still serving the previous configuration: "
                    + reason);
            return failed(List.of(reason.replace('\n', ' ')));
        }
    }

    private Result succeeded(String line) {
        lastSuccessSeconds = seconds();
        lastSuccessful = true;
        successes.incrementAndGet();
        return Result.success(line);
    }

    private Result failed(List<String> reasons) {
        lastSuccessful = false;
        failures.incrementAndGet();
        return Result.failure(reasons);
    }

    private double seconds() {
        return clock.millis() / 1000.0;
    }

    @Override
    public MetricSnapshots collect() {
        return new MetricSnapshots(
                Family.CONFIG_LAST_RELOAD_SUCCESSFUL.describe(GaugeSnapshot.builder())
                        .dataPoint(GaugeDataPointSnapshot.builder().value(lastSuccessful ? 1 : 0).build())
                        .build(),
                Family.CONFIG_LAST_RELOAD_SUCCESS_TIMESTAMP.describe(GaugeSnapshot.builder())
                        .dataPoint(GaugeDataPointSnapshot.builder().value(lastSuccessSeconds).build())
                        .build(),
                Family.CONFIG_RELOADS.describe(CounterSnapshot.builder())
                        .dataPoint(CounterDataPointSnapshot.builder()
                                .labels(Labels.of("result", "success")).value(successes.get()).build())
                        .dataPoint(CounterDataPointSnapshot.builder()
                                .labels(Labels.of("result", "failure")).value(failures.get()).build())
                        .build());
    }

    @Override
    public List<MetricFamilyDescriptor> getMetricFamilyDescriptors() {
        return FAMILIES.stream().map(Family::descriptor).toList();
    }

    /** Builds a {@link ConfigReloader}; {@link #collector} is required. */
    public static final class Builder {
        private SocketStatsCollector collector;
        private Path configFile;
        private Clock clock = Clock.systemUTC();

        private Builder() {}

        /** The collector whose configuration is replaced. */
        public Builder collector(SocketStatsCollector collector) {
            this.collector = Objects.requireNonNull(collector, "collector");
            return this;
        }

        /** The file to read on every reload; {@code null} (the default) for none: reloads then do nothing. */
        public Builder configFile(Path configFile) {
            this.configFile = configFile;
            return this;
        }

        /** Test seam: the clock of the success timestamp. */
        Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Builds the reloader; the configuration being served counts as loaded now.
         *
         * @throws IllegalStateException when no collector was given
         */
        public ConfigReloader build() {
            if (collector == null) {
                throw new IllegalStateException("Missing required field: collector is null");
            }
            return new ConfigReloader(collector, configFile, clock);
        }

        /** Builds and registers with {@code registry}, for the reload metrics. */
        public ConfigReloader register(PrometheusRegistry registry) {
            Objects.requireNonNull(registry, "registry");
            ConfigReloader reloader = build();
            registry.register(reloader);
            return reloader;
        }
    }
}
