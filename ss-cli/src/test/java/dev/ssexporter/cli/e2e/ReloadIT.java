package dev.ssexporter.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Config reload against the real jar: the config file is rewritten under the running exporter and
 * reloaded with SIGHUP and with {@code POST /-/reload}; the metrics follow the new file, and a
 * broken file leaves the last good one serving.
 */
class ReloadIT {
    @TempDir
    Path dir;

    @Test
    void sighupAndPostReloadTheConfigAndABrokenFileLeavesTheOldOneServing() throws Exception {
        try (EchoProcess echo = EchoProcess.start(dir);
             Connection c1 = Connection.open(echo.v4()).exchange(2);
             Connection c2 = Connection.open(echo.v4()).exchange(2)) {
            int port = echo.v4().port();
            List<String> echoFlows = List.of(c1.clientFlow(), c1.serverFlow(), c2.clientFlow(), c2.serverFlow());
            Path config = dir.resolve("config.yml");
            Files.writeString(config, """
                    logic:
                      selection:
                        portRanges: [{lower: %d}]
                    """.formatted(port), StandardCharsets.UTF_8);
            try (Exporter exporter = Exporter.start(dir, config)) {
                Exposition first = exporter.scrape(echo::concerns);
                assertThat(first.flows("tcp_rtt").keySet()).as("the echo connections, both ends").containsAll(echoFlows);
                assertThat(first.value("ss_exporter_config_last_reload_successful")).isEqualTo(1.0);
                double loadedAt = first.value("ss_exporter_config_last_reload_success_timestamp_seconds");
                assertThat(loadedAt * 1000).isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(120_000.0));

                // SIGHUP: gauges off, and at most one flow series.
                Files.writeString(config, """
                        logic:
                          metrics: {gauges: {active: false}}
                          selection:
                            portRanges: [{lower: %d}]
                          limits: {max_flows: 1}
                        """.formatted(port), StandardCharsets.UTF_8);
                exporter.hangUp();
                Exposition afterHup = E2e.poll("the SIGHUP reload to count as a success", E2e.START_TIMEOUT,
                        Duration.ofMillis(100), () -> exporter.scrape(echo::concerns),
                        // A scrape may still share a collection that started before the swap; it is
                        // exported whole with the old config, so wait for one from the new config.
                        e -> successes(e) == 1.0 && !e.types().containsKey("tcp_rtt"));
                assertThat(afterHup.types()).as("gauges switched off").doesNotContainKeys("tcp_rtt", "tcp_cwnd");
                assertThat(afterHup.flows("tcp_data_segs_in_total")).as("maxFlows 1").hasSize(1)
                        .containsOnlyKeys(echoFlows.stream().sorted().findFirst().orElseThrow());
                assertThat(afterHup.value("ss_exporter_flows")).isEqualTo(1.0);
                assertThat(afterHup.value("ss_exporter_sockets_selected")).as("still every echo socket")
                        .isGreaterThanOrEqualTo(4.0);
                assertThat(afterHup.value("ss_exporter_flows_dropped_total")).isGreaterThanOrEqualTo(3.0);
                assertThat(afterHup.value("ss_exporter_config_last_reload_success_timestamp_seconds"))
                        .isGreaterThanOrEqualTo(loadedAt);
                assertThat(exporter.stderr()).contains("reloaded the configuration from " + config);

                // POST: a selection that leaves the echo server's sockets out.
                Files.writeString(config, """
                        logic:
                          selection:
                            peering: {addresses: ["192.0.2.1"]}
                        """, StandardCharsets.UTF_8);
                HttpResponse<String> posted = exporter.post("/-/reload");
                assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);
                assertThat(posted.body()).isEqualTo("reloaded " + config + "\n");
                Exposition afterPost = E2e.poll("a scrape collected with the POSTed config", E2e.START_TIMEOUT,
                        Duration.ofMillis(100), () -> exporter.scrape(echo::concerns),
                        e -> e.value("ss_exporter_sockets_selected") == 0.0);
                assertThat(afterPost.flows("tcp_data_segs_in_total")).as("no echo flow is selected any more").isEmpty();
                assertThat(afterPost.value("ss_exporter_sockets_selected")).as("nothing talks to 192.0.2.1").isZero();
                assertThat(afterPost.value("ss_exporter_flows")).isZero();
                assertThat(successes(afterPost)).isEqualTo(2.0);

                // A broken file, by POST and by SIGHUP: rejected, logged, and the last good one serves on.
                Files.writeString(config, """
                        logic:
                          selection:
                            portRanges: [{lower: %d}]
                          compression: {labelFolding: zip}
                        """.formatted(port), StandardCharsets.UTF_8);
                String error = config + ":4:31: logic.compression.labelFolding: unknown label folding \"zip\"; expected"
                        + " \"raw_endpoint\" or \"pid_condensed\"";
                HttpResponse<String> rejected = exporter.post("/-/reload");
                assertThat(rejected.statusCode()).isEqualTo(500);
                assertThat(rejected.body()).isEqualTo(
                        "reload failed; the previous configuration is still being served:\n" + error + "\n");
                exporter.hangUp();
                Exposition afterBroken = E2e.poll("the SIGHUP reload to count as a failure", E2e.START_TIMEOUT,
                        Duration.ofMillis(100), () -> exporter.scrape(echo::concerns), e -> failures(e) == 2.0);
                assertThat(afterBroken.value("ss_exporter_config_last_reload_successful")).isEqualTo(0.0);
                assertThat(afterBroken.flows("tcp_data_segs_in_total")).as("the previous selection still serves")
                        .isEmpty();
                assertThat(afterBroken.value("ss_exporter_sockets_selected")).isZero();
                assertThat(afterBroken.value("ss_exporter_scrape_success")).isEqualTo(1.0);
                assertThat(exporter.stderr()).contains(
                        "configuration reload failed; still serving the previous configuration:\n" + error + "\n");

                assertThat(exporter.get("/-/reload").statusCode()).as("GET does not reload").isEqualTo(405);
                assertThat(exporter.health().statusCode()).isEqualTo(200);
            }
        }
    }

    private static double successes(Exposition e) {
        return reloads(e, "success");
    }

    private static double failures(Exposition e) {
        return reloads(e, "failure");
    }

    private static double reloads(Exposition e, String result) {
        return e.samples("ss_exporter_config_reloads_total").stream()
                .filter(s -> result.equals(s.labels().get("result")))
                .mapToDouble(Exposition.Sample::value)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no ss_exporter_config_reloads_total{result=\"" + result
                        + "\"} in " + e));
    }
}
