package dev.ssexporter.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssexporter.cli.e2e.Exposition.Sample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real jar reading network namespaces made with {@code ip netns add}, each with loopback
 * connections inside: every flow carries its namespace's name as {@code netns} label and matches
 * what {@code ip netns exec NAME ss -tinH} shows; a namespace whose file goes away fails alone;
 * and a listed namespace without {@code CAP_SYS_ADMIN} stops the exporter at startup.
 */
class NamespacesIT {
    @TempDir
    Path dir;

    private Path config(String namespaces) throws IOException {
        return Files.writeString(dir.resolve("config.yml"), "logic:\n  namespaces: " + namespaces + "\n");
    }

    /** The {@code tcp_cwnd} samples of namespace {@code netns}, by flow label. */
    private static Map<String, Long> exported(Exposition x, String netns) {
        Map<String, Long> out = new TreeMap<>();
        for (Sample s : x.samples("tcp_cwnd")) {
            if (netns.equals(s.labels().get("netns"))) {
                out.put(s.flow(), (long) s.value());
            }
        }
        return out;
    }

    private static double labelled(Exposition x, String name, String netns) {
        List<Sample> s = x.samples(name).stream().filter(v -> netns.equals(v.labels().get("netns"))).toList();
        assertThat(s).as("%s{netns=%s} in %s", name, netns, x).hasSize(1);
        return s.getFirst().value();
    }

    @Test
    void listedNamespacesAreLabelledAndMatchSs() throws Exception {
        try (TestNamespace a = TestNamespace.create("a", 2); TestNamespace b = TestNamespace.create("b", 3)) {
            Path config = config("[" + a.path() + ", " + b.path() + "]");
            try (Exporter e = Exporter.start(dir, config)) {
                Exposition x = e.scrape();
                for (TestNamespace ns : List.of(a, b)) {
                    Map<String, Long> ss = new TreeMap<>(ns.ssFlows());
                    assertThat(ss).as("ss in %s", ns).hasSize(ns == a ? 4 : 6);
                    assertThat(exported(x, ns.name())).as("flows of %s", ns).isEqualTo(ss);
                    assertThat(labelled(x, "ss_exporter_netns_sockets_seen", ns.name())).isEqualTo(ss.size());
                    assertThat(labelled(x, "ss_exporter_netns_scrape_success", ns.name())).isEqualTo(1);
                    assertThat(labelled(x, "tcp_rtt_hist_ms_count", ns.name())).isEqualTo(ss.size());
                }
                for (String family : Exposition.FLOW_FAMILIES) {
                    assertThat(x.samples(family)).as(family).allSatisfy(s ->
                            assertThat(s.labels().keySet()).containsExactlyInAnyOrder("flow", "netns"));
                }
                assertThat(x.value("ss_exporter_netns_collected")).isEqualTo(2);
                assertThat(x.value("ss_exporter_sockets_seen")).isEqualTo(10);

                b.deleteName();
                Exposition after = e.scrape();
                assertThat(after.value("ss_exporter_scrape_success")).isEqualTo(1);
                assertThat(after.value("ss_exporter_netns_collected")).isEqualTo(1);
                assertThat(labelled(after, "ss_exporter_netns_scrape_success", b.name())).isEqualTo(0);
                assertThat(labelled(after, "ss_exporter_netns_errors_total", b.name())).isGreaterThanOrEqualTo(1);
                assertThat(exported(after, b.name())).isEmpty();
                assertThat(exported(after, a.name())).isEqualTo(new TreeMap<>(a.ssFlows()));
                assertThat(e.stderr()).contains("network namespace " + b.name() + " is gone");
            }
        }
    }

    @Test
    void allFindsTheNamedNamespacesAndTheHost() throws Exception {
        try (TestNamespace c = TestNamespace.create("c", 1)) {
            try (Exporter e = Exporter.start(dir, config("all"))) {
                Exposition x = e.scrape();
                assertThat(exported(x, c.name())).isEqualTo(new TreeMap<>(c.ssFlows()));
                String own = "net:[" + Files.getAttribute(Path.of("/proc/self/ns/net"), "unix:ino") + "]";
                assertThat(labelled(x, "ss_exporter_netns_scrape_success", own)).as("the host namespace").isEqualTo(1);
                assertThat(x.value("ss_exporter_netns_collected")).isGreaterThanOrEqualTo(2);
            }
        }
    }

    @Test
    void aListedNamespaceWithoutCapSysAdminStopsTheStart() throws Exception {
        Path setpriv = E2e.requireTool("setpriv", "util-linux");
        try (TestNamespace a = TestNamespace.create("nocap", 1)) {
            List<String> cmd = new ArrayList<>(List.of(setpriv.toString(), "--bounding-set=-sys_admin",
                    "--inh-caps=-sys_admin", "--"));
            cmd.addAll(Exporter.command(List.of("--port=0", "--listen-address=127.0.0.1",
                    "--config=" + config("[" + a.path() + "]"))));
            E2e.Result r = E2e.run(cmd, null, Duration.ofSeconds(30));
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
            assertThat(r.stderr()).contains("ss-exporter: not starting: namespaces lists " + a.path()
                    + ", and entering a network namespace needs CAP_SYS_ADMIN").doesNotContain("\tat ");
        }
    }
}
