package dev.ssexporter.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live {@code /metrics} of the real jar passes {@code promtool check metrics}. The original
 * exporter's names ({@code tcp_rtt}, {@code tcp_rtt_hist_ms}...) are kept for compatibility and
 * may draw promtool's unit-naming warnings; any other problem, or any problem with another
 * family, fails.
 */
class PromtoolIT {
    /** Families whose names come from the original exporter and stay, whatever the linter says. */
    private static final Set<String> ORIGINAL_NAMES = Set.of("tcp_rtt", "tcp_cwnd", "tcp_delivery_rate",
            "tcp_rtt_hist_ms", "tcp_data_segs_in_total", "tcp_data_segs_out_total", "tcp_data_segs_in",
            "tcp_data_segs_out");
    /** promtool's lint line: {@code <metric> <problem>}. */
    private static final Pattern PROBLEM = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*) (.+)$");
    /** promtool check metrics exits 3 when it found lint problems only (1 for a parse error). */
    private static final int LINT_PROBLEMS = 3;

    @TempDir
    Path dir;

    @Test
    void liveMetricsPassPromtool() throws Exception {
        Path promtool = E2e.requireTool("promtool", "prometheus");
        try (EchoProcess echo = EchoProcess.start(dir);
                Connection a = Connection.open(echo.v4()).exchange(3);
                Connection b = Connection.open(echo.v6()).exchange(2);
                Connection c = Connection.openDualStack(echo.mapped(), null).exchange(1)) {
            // Only the echo connections, so the text stays small on a host holding 100 000 sockets;
            // the families, names, HELP and TYPE lines linted are the same as with every socket.
            Path config = Files.writeString(dir.resolve("echo-ports.yml"), """
                    logic:
                      selection:
                        portRanges:
                          - {lower: %d}
                          - {lower: %d}
                          - {lower: %d}
                    """.formatted(echo.v4().port(), echo.mapped().port(), echo.v6().port()));
            try (Exporter exporter = Exporter.start(dir, config)) {
                String text = exporter.metricsText();
                Exposition scrape = Exposition.parse(text);
                assertThat(scrape.flows("tcp_rtt")).as("the scrape has the flows of %s, %s and %s", a, b, c)
                        .containsKeys(a.clientFlow(), a.serverFlow(), b.clientFlow(), b.serverFlow(), c.clientFlow(),
                                c.serverFlow());
                assertThat(scrape.types()).as("every documented family is in the linted text").containsKeys(
                        "tcp_rtt", "tcp_cwnd", "tcp_delivery_rate", "tcp_data_segs_in_total", "tcp_data_segs_out_total",
                        "tcp_rtt_hist_ms", "ss_exporter_scrape_duration_seconds", "ss_exporter_scrape_success",
                        "ss_exporter_sockets_seen", "ss_exporter_sockets_selected", "ss_exporter_flows",
                        "ss_exporter_netlink_errors_total", "ss_exporter_dump_interruptions_total",
                        "ss_exporter_proc_errors_total", "ss_exporter_resolve_failures_total", "ss_exporter_build_info");

                E2e.Result r = E2e.run(List.of(promtool.toString(), "check", "metrics"), text, E2e.COMMAND_TIMEOUT);
                assertThat(r.exitCode()).as("promtool's exit code (0 clean, 3 lint problems): %s", r)
                        .isIn(0, LINT_PROBLEMS);
                List<String> lines = new ArrayList<>(r.stdoutLines());
                lines.addAll(r.stderrLines());
                List<String> tolerated = new ArrayList<>();
                List<String> rejected = new ArrayList<>();
                for (String line : lines) {
                    if (line.isBlank()) {
                        continue;
                    }
                    Matcher m = PROBLEM.matcher(line.strip());
                    boolean unitWarning = m.matches() && ORIGINAL_NAMES.contains(m.group(1))
                            && m.group(2).contains("unit");
                    (unitWarning ? tolerated : rejected).add(line);
                }
                assertThat(rejected).as("promtool problems other than unit names of the original's metrics "
                        + "(tolerated: %s)", tolerated).isEmpty();
                if (r.exitCode() == LINT_PROBLEMS) {
                    assertThat(tolerated).as("promtool exited 3, so it must have printed a problem").isNotEmpty();
                }
            }
        }
    }
}
