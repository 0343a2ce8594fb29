package dev.ssexporter.exporter;

import static dev.ssexporter.exporter.Fixtures.allMetrics;
import static dev.ssexporter.exporter.Fixtures.collector;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ssexporter.exporter.internal.Family;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/metrics.md says what the collector does: its sample is the real exposition, its HELP texts the real ones. */
class MetricsDocTest {
    private static final Path DOC = Path.of("..", "docs", "metrics.md");

    @Test
    void theWholeScrapeExampleIsTheRealExposition() throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        try (var _ = collector(allMetrics(), Fixtures::twoFlows).register(registry)) {
            assertThat(Files.readString(DOC)).contains("```\n" + Fixtures.text(registry) + "```\n");
        }
    }

    @Test
    void everyFamilyIsDocumentedWithItsHelpText() throws Exception {
        String doc = Files.readString(DOC);
        for (Family f : Family.values()) {
            assertThat(doc).as(f.metricName()).contains("`" + f.help() + "`");
        }
    }
}
