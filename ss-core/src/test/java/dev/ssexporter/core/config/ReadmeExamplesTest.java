package dev.ssexporter.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssexporter.core.folding.LabelFolding;
import dev.ssexporter.core.histogram.BucketBounds;
import dev.ssexporter.core.selection.Cidr;
import dev.ssexporter.core.selection.KernelFilters;
import dev.ssexporter.core.selection.PortRange;
import dev.ssexporter.netlink.TcpState;
import java.net.InetAddress;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every example config in the original exporter's README, mapped to the exact records. */
class ReadmeExamplesTest {

    /**
     * The example's config; they have no aggregation section, so their defaults (which depend on
     * whether the selection is filtered in the kernel) are checked here and left out.
     */
    private static ExporterConfig load(String name) throws ConfigException, URISyntaxException {
        ExporterConfig c = ConfigLoader.load(Path.of(ReadmeExamplesTest.class.getResource("/config/" + name).toURI()));
        assertThat(c.aggregation()).as(name)
                .isEqualTo(AggregationConfig.defaultsFor(KernelFilters.filtersInKernel(c.selection())));
        return c.withAggregation(AggregationConfig.none());
    }

    private static MetricsConfig allOn(double... bounds) {
        return new MetricsConfig(true, BucketBounds.of(bounds), true, true, true, true, true);
    }

    private static SelectionConfig selection(ProcessSelection process, PeerSelection peering, PortRange... ranges) {
        return new SelectionConfig(TcpState.connected(), process, peering, List.of(ranges));
    }

    private static ProcessSelection cmds(String... cmds) {
        return new ProcessSelection(Set.of(), Set.of(cmds));
    }

    private static List<Cidr> cidrs(String... texts) {
        return List.of(texts).stream().map(Cidr::parse).toList();
    }

    @Test
    void fullStructure() throws Exception {
        ExporterConfig expected = new ExporterConfig(MetricsConfig.defaults(), LabelFolding.RAW_ENDPOINT,
                selection(new ProcessSelection(Set.of(1000, 2000), Set.of("nginx", "apache2")),
                        new PeerSelection(
                                List.of(InetAddress.ofLiteral("8.8.8.8"), InetAddress.ofLiteral("1.1.1.1")),
                                cidrs("10.0.0.0/8", "192.168.0.0/16"), List.of(), List.of("example.com")),
                        PortRange.of(80, 443), PortRange.of(8000, 9000)));
        assertThat(load("full-structure.yml")).isEqualTo(expected);
    }

    @Test
    void minimalIsTheDefaults() throws Exception {
        // cwnd, deliveryRate and the counters are not listed under active groups: on by default.
        assertThat(load("minimal.yml")).isEqualTo(ExporterConfig.defaults().withAggregation(AggregationConfig.none()));
    }

    @Test
    void webServer() throws Exception {
        ExporterConfig expected = new ExporterConfig(allOn(0.1, 0.5, 1, 5, 10, 50, 100, 200),
                LabelFolding.RAW_ENDPOINT,
                selection(cmds("nginx", "apache2", "httpd"), PeerSelection.none(), PortRange.of(80, 443)));
        assertThat(load("web-server.yml")).isEqualTo(expected);
        assertThat(load("web-server-full.yml")).isEqualTo(expected);
    }

    @Test
    void highCardinality() throws Exception {
        ExporterConfig expected = new ExporterConfig(allOn(1, 5, 10, 50, 100, 500), LabelFolding.RAW_ENDPOINT,
                selection(ProcessSelection.none(),
                        new PeerSelection(List.of(), cidrs("10.0.0.0/8", "192.168.0.0/16"), List.of(), List.of())));
        assertThat(load("high-cardinality.yml")).isEqualTo(expected);
    }

    @Test
    void database() throws Exception {
        ExporterConfig expected = new ExporterConfig(allOn(0.5, 1, 2, 5, 10, 25, 50, 100), LabelFolding.RAW_ENDPOINT,
                selection(cmds("postgres", "mysqld", "mongod", "oracle"), PeerSelection.none(),
                        PortRange.of(3306, 3306), PortRange.of(5432, 5432), PortRange.of(27017, 27017)));
        assertThat(load("database.yml")).isEqualTo(expected);
    }

    @Test
    void microservices() throws Exception {
        ExporterConfig expected = new ExporterConfig(allOn(0.01, 0.05, 0.1, 0.5, 1, 5, 10), LabelFolding.RAW_ENDPOINT,
                selection(ProcessSelection.none(),
                        new PeerSelection(List.of(), cidrs("10.0.0.0/8", "192.168.0.0/16", "172.16.0.0/12"),
                                List.of(), List.of()),
                        PortRange.of(8000, 9999), PortRange.of(3000, 3999)));
        assertThat(load("microservices.yml")).isEqualTo(expected);
    }

    @Test
    void edgeServerExcludesNetworks() throws Exception {
        ExporterConfig expected = new ExporterConfig(allOn(1, 5, 10, 25, 50, 100, 250), LabelFolding.RAW_ENDPOINT,
                selection(ProcessSelection.none(),
                        new PeerSelection(List.of(), List.of(), cidrs("10.0.0.0/8", "192.168.0.0/16", "172.16.0.0/12"),
                                List.of()),
                        PortRange.of(80, 443), PortRange.of(8080, 8080)));
        ExporterConfig actual = load("edge-server.yml");
        assertThat(actual).isEqualTo(expected);
        assertThat(actual.selection().peering().hasIncludes()).isFalse();
    }

    @Test
    void development() throws Exception {
        ExporterConfig expected = new ExporterConfig(
                new MetricsConfig(false, BucketBounds.defaultRttMillis(), true, true, true, false, false),
                LabelFolding.RAW_ENDPOINT,
                selection(cmds("node", "python", "java", "go"), PeerSelection.none(), PortRange.of(3000, 9000)));
        assertThat(load("development.yml")).isEqualTo(expected);
    }
}
