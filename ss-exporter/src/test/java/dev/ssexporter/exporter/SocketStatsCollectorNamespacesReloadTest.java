package dev.ssexporter.exporter;

import static dev.ssexporter.exporter.Fixtures.BUILD;
import static dev.ssexporter.exporter.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ssexporter.core.config.ConfigLoader;
import dev.ssexporter.core.config.ExporterConfig;
import dev.ssexporter.core.netns.NamespaceAccessException;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.Test;

/**
 * A reload can change {@code logic.namespaces}, against the real kernel: the new config gets a
 * namespace-aware source, and one whose namespace cannot be read leaves the old one serving.
 * {@code namespaces: all} needs CAP_SYS_ADMIN, which the build runs with (as root).
 */
class SocketStatsCollectorNamespacesReloadTest {
    private static final String COLLECTED = "ss_exporter_netns_collected ";

    @Test
    void aReloadSwitchesBetweenTheHostAndAllNamespaces() throws Exception {
        ExporterConfig all = ConfigLoader.parse("logic:\n  namespaces: all\n", "all.yml");
        PrometheusRegistry registry = new PrometheusRegistry();
        try (var collector = SocketStatsCollector.builder().config(ExporterConfig.defaults()).buildInfo(BUILD)
                .register(registry)) {
            assertThat(text(registry)).contains("ss_exporter_scrape_success 1").doesNotContain(COLLECTED);

            assertThat(collector.reload(all)).isTrue();
            String text = text(registry);
            assertThat(text).contains("ss_exporter_scrape_success 1").contains(COLLECTED)
                    .containsPattern("ss_exporter_netns_scrape_success\\{netns=\"[^\"]+\"} 1");

            assertThat(collector.reload(ExporterConfig.defaults())).isTrue();
            assertThat(text(registry)).contains("ss_exporter_scrape_success 1").doesNotContain(COLLECTED);
        }
    }

    @Test
    void aListedNamespaceThatCannotBeOpenedFailsTheReloadAndTheOldConfigServes() throws Exception {
        ExporterConfig missing = ConfigLoader.parse("logic:\n  namespaces: [host, /nonexistent/netns/x]\n", "x.yml");
        PrometheusRegistry registry = new PrometheusRegistry();
        try (var collector = SocketStatsCollector.builder().config(ExporterConfig.defaults()).buildInfo(BUILD)
                .register(registry)) {
            assertThatThrownBy(() -> collector.reload(missing)).isInstanceOf(NamespaceAccessException.class)
                    .hasMessageContaining("/nonexistent/netns/x");
            assertThat(collector.config()).isEqualTo(ExporterConfig.defaults());
            assertThat(text(registry)).contains("ss_exporter_scrape_success 1").doesNotContain(COLLECTED);
        }
    }
}
