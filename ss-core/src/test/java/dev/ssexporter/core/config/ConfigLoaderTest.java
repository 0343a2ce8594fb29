package dev.ssexporter.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ssexporter.core.folding.LabelFolding;
import dev.ssexporter.core.histogram.BucketBounds;
import dev.ssexporter.core.selection.Cidr;
import dev.ssexporter.core.selection.PortRange;
import dev.ssexporter.netlink.TcpState;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The default rules and the mapping of each key. */
class ConfigLoaderTest {

    private static ExporterConfig parse(String yaml) throws ConfigException {
        return ConfigLoader.parse(yaml, "config.yml");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "---", "---\n", "# only a comment\n", "logic:", "logic: {}", "logic: ~",
        "\uFEFFlogic:\n  metrics: {}\n  compression: {}\n  selection: {}\n",
        "logic:\n  metrics:\n    histograms:\n    gauges:\n    counters:\n"})
    void emptyConfigsGiveTheDefaults(String yaml) throws ConfigException {
        assertThat(parse(yaml)).isEqualTo(ExporterConfig.defaults());
    }

    @Test
    void everySelectionKeyEmptyIsNoCondition() throws ConfigException {
        // The original's test configs list every key with [] and expect every flow.
        String yaml = """
                logic:
                  selection:
                    states: []
                    process: { pids: [], cmds: [] }
                    peering: { addresses: [], networks: [], hosts: [], portRanges: [] }
                    portRanges: []
                """;
        assertThat(parse(yaml)).isEqualTo(ExporterConfig.defaults());
        assertThat(parse(yaml.replace("[]", "~"))).isEqualTo(ExporterConfig.defaults());
    }

    @Test
    void inactiveGroupTurnsOffItsSubMetricsEvenWhenTheyAreOn() throws ConfigException {
        MetricsConfig m = parse("""
                logic:
                  metrics:
                    histograms: { active: false, latency: { active: true, bucket_bounds: [1, 2.5] } }
                    gauges: { active: false, rtt: { active: true } }
                    counters: { active: false, dataSegsIn: {} }
                """).metrics();
        assertThat(m).isEqualTo(new MetricsConfig(false, BucketBounds.of(1, 2.5), false, false, false, false, false));
    }

    @Test
    void subMetricIsOnUnlessItSaysActiveFalse() throws ConfigException {
        MetricsConfig m = parse("""
                logic:
                  metrics:
                    histograms: { rtt: {} }
                    gauges:
                      rtt:
                      cwnd: { active: false }
                      deliveryRate: { active: TRUE }
                    counters: { dataSegsOut: { active: false } }
                """).metrics();
        assertThat(m).isEqualTo(new MetricsConfig(true, BucketBounds.defaultRttMillis(), true, false, true, true, false));
        assertThat(parse("logic: {metrics: {histograms: {rtt: {active: false}}}}").metrics().rttHistogram()).isFalse();
    }

    @Test
    void bucketBoundsTakeIntsAndFloatsInAnyYamlNotation() throws ConfigException {
        assertThat(parse("logic: {metrics: {histograms: {rtt: {bucketBounds: [0, .5, 1, 1e1, 0x10, 1.5e2]}}}}")
                .metrics().rttBounds()).isEqualTo(BucketBounds.of(0, 0.5, 1, 10, 16, 150));
    }

    @Test
    void foldingModes() throws ConfigException {
        assertThat(parse("logic: {compression: {labelFolding: pid_condensed}}").folding())
                .isEqualTo(LabelFolding.PID_CONDENSED);
        assertThat(parse("logic: {compression: {labelFolding: \"raw_endpoint\"}}").folding())
                .isEqualTo(LabelFolding.RAW_ENDPOINT);
        assertThat(parse("logic: {compression: {}}").folding()).isEqualTo(LabelFolding.RAW_ENDPOINT);
    }

    @Test
    void maxFlowsTakesBothSpellingsAndDefaultsAboveTheBenchmarkScale() throws ConfigException {
        assertThat(parse("logic: {limits: {maxFlows: 5}}").limits()).isEqualTo(new LimitsConfig(5));
        assertThat(parse("logic: {limits: {max_flows: 0x10}}").limits()).isEqualTo(new LimitsConfig(16));
        assertThat(parse("logic: {limits: {}}").limits()).isEqualTo(LimitsConfig.defaults());
        assertThat(parse("logic: {limits: {maxFlows: 2147483647}}").limits().maxFlows()).isEqualTo(Integer.MAX_VALUE);
        assertThat(LimitsConfig.defaults().maxFlows()).isEqualTo(200_000);
        assertThatThrownBy(() -> new LimitsConfig(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("logic.limits.maxFlows must be at least 1, got 0");
    }

    @Test
    void statesAcceptEnumAndSsNames() throws ConfigException {
        assertThat(parse("logic: {selection: {states: [established, syn-sent, TIME_WAIT, estab, listen]}}")
                .selection().states())
                .isEqualTo(Set.of(TcpState.ESTABLISHED, TcpState.SYN_SENT, TcpState.TIME_WAIT, TcpState.LISTEN));
    }

    @Test
    void peeringTakesIpv4AndIpv6AndIncludeExclude() throws ConfigException {
        PeerSelection p = parse("""
                logic:
                  selection:
                    peering:
                      addresses: ["2001:db8::1", 10.1.2.3]
                      networks:
                        include: [10.0.0.0/8, "fd00::/8", 192.0.2.7]
                        exclude: [10.1.0.0/16]
                      hosts: [db.internal]
                """).selection().peering();
        assertThat(p).isEqualTo(new PeerSelection(
                List.of(InetAddress.ofLiteral("2001:db8::1"), InetAddress.ofLiteral("10.1.2.3")),
                List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("fd00::/8"), Cidr.parse("192.0.2.7/32")),
                List.of(Cidr.parse("10.1.0.0/16")), List.of("db.internal")));
    }

    @Test
    void portRangesFromBothPlacesAreMergedAndUpperDefaultsToLower() throws ConfigException {
        SelectionConfig s = parse("""
                logic:
                  selection:
                    peering:
                      portranges: [{lower: 8000, upper: 9000}, {lower: 22}]
                    portRanges:
                      - lower: 80
                        upper: 443
                      - lower: 8000
                        upper: 9000
                """).selection();
        assertThat(s.portRanges()).containsExactly(PortRange.of(80, 443), PortRange.of(8000, 9000), PortRange.of(22, 22));
    }

    @Test
    void processSelection() throws ConfigException {
        assertThat(parse("logic: {selection: {process: {pids: [1, 0x10, 4194304], cmds: [nginx, \"java\"]}}}")
                .selection().process())
                .isEqualTo(new ProcessSelection(Set.of(1, 16, 4194304), Set.of("nginx", "java")));
    }

    @Test
    void anchorsAndAliasesWithinTheLimitWork() throws ConfigException {
        SelectionConfig s = parse("""
                logic:
                  selection:
                    peering:
                      networks: &internal [10.0.0.0/8]
                      addresses: [&dns 10.0.0.53]
                    process: { cmds: [*dns] }
                """).selection();
        assertThat(s.peering().networks()).containsExactly(Cidr.parse("10.0.0.0/8"));
        assertThat(s.process().cmds()).containsExactly("10.0.0.53");
    }

    @Test
    void loadsFromAFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("config.yml");
        Files.writeString(file, "logic:\n  compression:\n    labelFolding: pid_condensed\n");
        assertThat(ConfigLoader.load(file).folding()).isEqualTo(LabelFolding.PID_CONDENSED);
        Files.writeString(file, "");
        assertThat(ConfigLoader.load(file)).isEqualTo(ExporterConfig.defaults());
    }

    @Test
    void missingFile(@TempDir Path dir) {
        Path file = dir.resolve("nope.yml");
        assertThatThrownBy(() -> ConfigLoader.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ": no such file");
    }

    @Test
    void fileThatIsNotUtf8(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("latin1.yml");
        Files.write(file, new byte[] {'l', 'o', 'g', 'i', 'c', ':', ' ', (byte) 0xE9, '\n'});
        assertThatThrownBy(() -> ConfigLoader.load(file)).hasMessage(file + ": the file is not valid UTF-8");
    }

    @Test
    void oversizeFileIsRefusedBeforeParsing(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("big.yml");
        // Not even valid YAML: the size check comes first.
        Files.writeString(file, "[".repeat(ConfigLoader.MAX_BYTES + 1));
        ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
                () -> ConfigLoader.load(file));
        assertThat(e.errors()).containsExactly(new ConfigError(file.toString(), "", 0, 0,
                "the file is 1048577 bytes; the limit is 1048576 bytes (1 MiB)"));
        assertThat(e).hasMessage(file + ": the file is 1048577 bytes; the limit is 1048576 bytes (1 MiB)");
    }

    @Test
    void oversizeTextIsRefusedCountingUtf8Bytes() {
        String text = "# " + "é".repeat(ConfigLoader.MAX_BYTES / 2);
        assertThatThrownBy(() -> parse(text))
                .hasMessage("config.yml: the file is 1048578 bytes; the limit is 1048576 bytes (1 MiB)");
    }
}
