package dev.ssexporter.cli.ship;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deploy/grafana/ss-exporter-dashboard.json}: valid JSON, its data source is a template
 * variable, and every panel query is valid PromQL (checked by {@code promtool}) that reads only
 * metrics documented in docs/metrics.md.
 */
class DashboardTest {
    private static final String DASHBOARD = "deploy/grafana/ss-exporter-dashboard.json";

    @TempDir
    Path tmp;

    @Test
    void dataSourceIsATemplateVariableUsedByEveryPanel() {
        Map<String, Object> dash = dashboard();
        List<Object> variables = Ship.list(Ship.at(dash, "templating.list"), "templating.list");
        assertThat(variables).anySatisfy(v -> assertThat(Ship.map(v, "variable"))
                .containsEntry("name", "datasource").containsEntry("type", "datasource")
                .containsEntry("query", "prometheus"));
        for (Map<String, Object> panel : panels()) {
            assertThat(Ship.map(panel.get("datasource"), "datasource of " + panel.get("title")))
                    .as("panel %s", panel.get("title")).containsEntry("uid", "${datasource}");
            for (Object t : Ship.list(panel.get("targets"), "targets")) {
                assertThat(Ship.map(Ship.map(t, "target").get("datasource"), "target datasource"))
                        .containsEntry("uid", "${datasource}");
            }
        }
    }

    @Test
    void panelsCoverRttFlowsDeliveryAndExporterHealth() {
        List<String> exprs = exprs();
        assertThat(panels()).anySatisfy(p -> assertThat(p).containsEntry("type", "heatmap"));
        assertThat(exprs).anySatisfy(e -> assertThat(e).contains("tcp_rtt_hist_ms_bucket"));
        assertThat(exprs).anySatisfy(e -> assertThat(e).startsWith("topk(10, tcp_rtt{"));
        assertThat(exprs).anySatisfy(e -> assertThat(e).contains("tcp_delivery_rate"));
        assertThat(exprs).anySatisfy(e -> assertThat(e).contains("ss_exporter_flows"));
        assertThat(exprs).anySatisfy(e -> assertThat(e).contains("ss_exporter_scrape_success"));
        assertThat(exprs).anySatisfy(e -> assertThat(e).contains("ss_exporter_netlink_errors_total"));
        assertThat(exprs).anySatisfy(e -> assertThat(e).contains("ss_exporter_scrape_duration_seconds"));
    }

    @Test
    void everyQueryReadsOnlyDocumentedMetrics() {
        Set<String> known = MetricsDoc.seriesNames();
        List<String> unknown = new ArrayList<>();
        for (String expr : exprs()) {
            for (String name : PromQl.metricNames(expr)) {
                if (!known.contains(name)) {
                    unknown.add(name + " in " + expr);
                }
            }
        }
        assertThat(unknown).as("metric names the dashboard queries that docs/metrics.md does not list (%s)", known)
                .isEmpty();
    }

    /** Each query, with Grafana's variables filled in, as a recording rule that promtool parses. */
    @Test
    void everyQueryIsValidPromQl() throws Exception {
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        int i = 0;
        for (String expr : exprs()) {
            String concrete = expr.replace("$__rate_interval", "2m").replace("$__range", "1h")
                    .replace("$job", ".+").replace("$instance", ".+");
            assertThat(concrete).as("a Grafana variable left in %s", expr).doesNotContain("$");
            rules.append("      - record: dashboard:query").append(i++).append('\n')
                    .append("        expr: '").append(concrete.replace("'", "''")).append("'\n");
        }
        Path file = Files.writeString(tmp.resolve("dashboard-queries.yml"), rules, StandardCharsets.UTF_8);
        Path promtool = Ship.requireTool("promtool", "prometheus");
        Ship.Result r = Ship.run(tmp, List.of(promtool.toString(), "check", "rules", file.toString()));
        assertThat(r.exitCode()).as("%s\n%s", r, rules).isZero();
        assertThat(r.stdout()).contains("SUCCESS: " + i + " rules found");
    }

    @Test
    void panelIdsAreUniqueAndPanelsDoNotOverlap() {
        List<Map<String, Object>> panels = panels();
        assertThat(panels.stream().map(p -> p.get("id")).toList()).doesNotHaveDuplicates();
        for (int a = 0; a < panels.size(); a++) {
            for (int b = a + 1; b < panels.size(); b++) {
                int[] ra = grid(panels.get(a));
                int[] rb = grid(panels.get(b));
                boolean overlap = ra[0] < rb[0] + rb[2] && rb[0] < ra[0] + ra[2] && ra[1] < rb[1] + rb[3]
                        && rb[1] < ra[1] + ra[3];
                assertThat(overlap).as("%s overlaps %s", panels.get(a).get("title"), panels.get(b).get("title"))
                        .isFalse();
            }
        }
    }

    private static int[] grid(Map<String, Object> panel) {
        Map<String, Object> g = Ship.map(panel.get("gridPos"), "gridPos");
        return new int[] {num(g.get("x")), num(g.get("y")), num(g.get("w")), num(g.get("h"))};
    }

    private static int num(Object o) {
        return ((Number) o).intValue();
    }

    private static Map<String, Object> dashboard() {
        return Ship.map(MiniJson.parse(Ship.read(DASHBOARD)), DASHBOARD);
    }

    private static List<Map<String, Object>> panels() {
        List<Map<String, Object>> panels = new ArrayList<>();
        for (Object p : Ship.list(dashboard().get("panels"), "panels")) {
            Map<String, Object> panel = Ship.map(p, "panel");
            if (!"row".equals(panel.get("type"))) {
                panels.add(panel);
            }
        }
        assertThat(panels).isNotEmpty();
        return panels;
    }

    private static List<String> exprs() {
        List<String> exprs = new ArrayList<>();
        for (Map<String, Object> panel : panels()) {
            List<Object> targets = Ship.list(panel.get("targets"), "targets of " + panel.get("title"));
            assertThat(targets).as("queries of panel %s", panel.get("title")).isNotEmpty();
            for (Object t : targets) {
                exprs.add((String) Ship.map(t, "target").get("expr"));
            }
        }
        return exprs;
    }
}
