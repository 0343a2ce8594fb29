package dev.ssexporter.cli.ship;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code deploy/prometheus}: the scrape config and the alert rules pass {@code promtool}, the rule
 * unit tests pass and cover every alert both firing and silent, and the rules only read metrics
 * that docs/metrics.md documents.
 */
class PromtoolRulesTest {
    private static final String DIR = "deploy/prometheus";
    private static final String RULES = DIR + "/ss-exporter-alerts.yml";
    private static final String RULE_TESTS = DIR + "/ss-exporter-alerts.test.yml";

    @Test
    void rulesPassPromtoolCheck() throws Exception {
        Ship.Result r = promtool("check", "rules", "ss-exporter-alerts.yml");
        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(r.stdout()).contains("SUCCESS: " + alerts().size() + " rules found");
    }

    @Test
    void ruleUnitTestsPass() throws Exception {
        Ship.Result r = promtool("test", "rules", "ss-exporter-alerts.test.yml");
        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(r.stdout()).contains("SUCCESS");
    }

    @Test
    void scrapeConfigPassesPromtoolCheck() throws Exception {
        Ship.Result r = promtool("check", "config", "prometheus.yml");
        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(r.stdout()).contains("is valid prometheus config file syntax").contains("SUCCESS: 1 rule files found");
        Map<String, Object> job = Ship.map(Ship.list(Ship.at(Ship.yamlMap(DIR + "/prometheus.yml"), "scrape_configs"),
                "scrape_configs").getFirst(), "scrape_configs[0]");
        assertThat(job).containsEntry("job_name", "ss-exporter").containsEntry("metrics_path", "/metrics");
        assertThat(Ship.list(Ship.at(Ship.list(job.get("static_configs"), "static_configs").getFirst(), "targets"),
                "targets")).containsExactly("localhost:8020");
    }

    /**
     * Debian's promtool has no Kubernetes service discovery, so the Kubernetes job is checked by
     * structure: it keeps only the Service's metrics port and names the job as the rules expect.
     */
    @Test
    void kubernetesScrapeJobKeepsTheServicePortAndTheJobName() {
        Map<String, Object> job = Ship.map(Ship.list(Ship.at(Ship.yamlMap(DIR + "/scrape-kubernetes.yml"),
                "scrape_configs"), "scrape_configs").getFirst(), "job");
        Map<String, Object> sd = Ship.map(Ship.list(job.get("kubernetes_sd_configs"), "sd").getFirst(), "sd");
        assertThat(sd).containsEntry("role", "endpoints");
        assertThat(Ship.list(Ship.at(sd, "namespaces.names"), "names")).containsExactly("ss-exporter");
        List<Object> relabel = Ship.list(job.get("relabel_configs"), "relabel_configs");
        assertThat(relabel).anySatisfy(r -> assertThat(Ship.map(r, "relabel"))
                .containsEntry("action", "keep").containsEntry("regex", "ss-exporter;metrics"));
        assertThat(relabel).anySatisfy(r -> assertThat(Ship.map(r, "relabel"))
                .containsEntry("target_label", "job").containsEntry("replacement", "ss-exporter"));
    }

    @Test
    void everyAlertIsTestedFiringAndSilent() {
        Set<String> firing = new LinkedHashSet<>();
        Set<String> silent = new LinkedHashSet<>();
        for (Object t : Ship.list(Ship.yamlMap(RULE_TESTS).get("tests"), "tests")) {
            for (Object c : Ship.list(Ship.map(t, "test").get("alert_rule_test"), "alert_rule_test")) {
                Map<String, Object> check = Ship.map(c, "alert_rule_test");
                List<Object> expected = Ship.list(check.get("exp_alerts"), "exp_alerts");
                (expected.isEmpty() ? silent : firing).add((String) check.get("alertname"));
            }
        }
        assertThat(firing).as("alerts tested firing").containsExactlyInAnyOrderElementsOf(alerts());
        assertThat(silent).as("alerts tested silent").containsExactlyInAnyOrderElementsOf(alerts());
    }

    @Test
    void rulesReadOnlyDocumentedMetrics() {
        Set<String> known = MetricsDoc.seriesNames();
        List<String> unknown = new ArrayList<>();
        for (Map<String, Object> rule : rules()) {
            for (String name : PromQl.metricNames((String) rule.get("expr"))) {
                if (!known.contains(name)) {
                    unknown.add(rule.get("alert") + ": " + name);
                }
            }
        }
        assertThat(unknown).as("metric names in %s that docs/metrics.md does not list (%s)", RULES, known).isEmpty();
    }

    @Test
    void everyAlertHasASeverityAndASummary() {
        for (Map<String, Object> rule : rules()) {
            assertThat(Ship.map(rule.get("labels"), "labels")).as("%s", rule.get("alert")).containsKey("severity");
            assertThat(Ship.map(rule.get("annotations"), "annotations")).as("%s", rule.get("alert"))
                    .containsKeys("summary", "description");
        }
    }

    private static List<String> alerts() {
        return rules().stream().map(r -> (String) r.get("alert")).toList();
    }

    private static List<Map<String, Object>> rules() {
        List<Map<String, Object>> rules = new ArrayList<>();
        for (Object g : Ship.list(Ship.yamlMap(RULES).get("groups"), "groups")) {
            for (Object r : Ship.list(Ship.map(g, "group").get("rules"), "rules")) {
                rules.add(Ship.map(r, "rule"));
            }
        }
        return rules;
    }

    private static Ship.Result promtool(String... args) throws Exception {
        Path promtool = Ship.requireTool("promtool", "prometheus");
        List<String> cmd = new ArrayList<>(List.of(promtool.toString()));
        cmd.addAll(List.of(args));
        return Ship.run(Ship.root().resolve(DIR), cmd);
    }
}
