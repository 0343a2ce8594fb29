package dev.ssexporter.exporter;

import static dev.ssexporter.exporter.Fixtures.allMetrics;
import static dev.ssexporter.exporter.Fixtures.collector;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ssexporter.core.engine.Scrape;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * {@code promtool check metrics} on our exposition: our own names are lint-clean; only the names
 * the original exporter chose (kept for compatibility) may draw complaints. Fails when promtool
 * is not installed ({@code .ci/run} installs it).
 */
class PromtoolLintTest {
    /** The original exporter's names as exposed; we keep them even where the linter disagrees. */
    private static final Set<String> ORIGINAL_NAMES = Set.of("tcp_rtt", "tcp_cwnd", "tcp_delivery_rate",
            "tcp_data_segs_in_total", "tcp_data_segs_out_total", "tcp_rtt_hist_ms");

    @Test
    void aFullScrapeDrawsLintOnlyOnTheOriginalNames() throws Exception {
        List<String> problems = lint(Fixtures::twoFlows);
        assertThat(problems).allSatisfy(p -> assertThat(ORIGINAL_NAMES).contains(p.split(" ", 2)[0]));
    }

    @Test
    void aFailedScrapeIsLintClean() throws Exception {
        assertThat(lint(Fixtures::failed)).isEmpty();
    }

    private static List<String> lint(Supplier<Scrape> scrape) throws IOException, InterruptedException {
        String promtool = findOnPath("promtool");
        assertThat(promtool).as("promtool is not on PATH; install Debian's prometheus package (.ci/run does)").isNotNull();
        PrometheusRegistry registry = new PrometheusRegistry();
        String exposition;
        try (var _ = collector(allMetrics(), scrape::get).register(registry)) {
            exposition = Fixtures.text(registry);
        }
        Process p = new ProcessBuilder(promtool, "check", "metrics").redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(exposition.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        // 0: clean, 3: lint problems only; anything else (1: parse error) is a broken exposition.
        assertThat(p.exitValue()).as(out).isIn(0, 3);
        return out.lines().filter(l -> !l.isBlank()).toList();
    }

    private static String findOnPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File f = new File(dir, name);
            if (f.canExecute()) {
                return f.getPath();
            }
        }
        return null;
    }
}
