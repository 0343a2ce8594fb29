package dev.ssexporter.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssexporter.core.selection.Cidr;
import dev.ssexporter.core.selection.PortRange;
import dev.ssexporter.netlink.TcpState;
import java.net.InetAddress;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SampleConfigTest {

    @Test
    void sampleMapsToTheDefaults() throws ConfigException {
        assertThat(ConfigLoader.parse(SampleConfig.text(), "sample-config.yml")).isEqualTo(ExporterConfig.defaults());
    }

    @Test
    void sampleNamesEveryKeyAndBothSpellings() {
        assertThat(SampleConfig.text()).contains("logic:", "metrics:", "histograms:", "rtt:", "latency",
                "bucketBounds:", "bucket_bounds", "gauges:", "cwnd:", "deliveryRate:", "counters:", "dataSegsIn:",
                "dataSegsOut:", "compression:", "labelFolding: raw_endpoint", "pid_condensed", "selection:",
                "states:", "process:", "pids:", "cmds:", "peering:", "addresses:", "networks:", "include:",
                "exclude:", "hosts:", "portRanges:", "portranges", "limits:", "maxFlows: 200000", "max_flows",
                "aggregation:", "socketStates:", "socket_states",
                "listeners:", "services:", "peerGroups:", "peer_groups", "maxServices:", "max_services",
                "namespaces: host", "network_namespaces");
    }

    @Test
    void commentedExamplesAreValidWhenUncommented() throws ConfigException {
        // Uncomment each example and drop the empty default it replaces.
        StringBuilder sb = new StringBuilder();
        for (String line : SampleConfig.text().split("\n", -1)) {
            if (line.strip().endsWith(": []")) {
                continue;
            }
            sb.append(EXAMPLE.matcher(line).matches() ? line.replaceFirst("# ", "") : line).append('\n');
        }
        SelectionConfig s = ConfigLoader.parse(sb.toString(), "uncommented-sample.yml").selection();
        assertThat(s).isEqualTo(new SelectionConfig(
                EnumSet.of(TcpState.ESTABLISHED, TcpState.SYN_SENT, TcpState.SYN_RECV, TcpState.FIN_WAIT1,
                        TcpState.FIN_WAIT2, TcpState.CLOSE_WAIT, TcpState.LAST_ACK, TcpState.CLOSING),
                new ProcessSelection(Set.of(1000, 2000), Set.of("nginx", "postgres")),
                new PeerSelection(List.of(InetAddress.ofLiteral("8.8.8.8"), InetAddress.ofLiteral("2001:db8::1")),
                        List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("fd00::/8")), List.of(), List.of("db.internal")),
                List.of(PortRange.of(80, 443), PortRange.of(5432, 5432))));
    }

    private static final Pattern EXAMPLE =
            Pattern.compile("\\s+# (states|pids|cmds|addresses|networks|hosts|portRanges):.*|\\s+#   - .*");
}
