package dev.ssexporter.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad config files, each with the exact report: one line per error, in file order. */
class ConfigErrorsTest {

    static Stream<Arguments> badFiles() {
        return Stream.of(
                bad("unknown key, near miss", """
                        logic:
                          metrics:
                            histograms:
                              rtt:
                                bucketBound: [1, 2]
                        """, """
                        config.yml:5:9: logic.metrics.histograms.rtt.bucketBound: unknown key; did you mean 'bucketBounds'?"""),
                bad("unknown key, typo in folding", """
                        logic:
                          compression:
                            labelFolfing: pid_condensed
                        """, """
                        config.yml:3:5: logic.compression.labelFolfing: unknown key; did you mean 'labelFolding'?"""),
                bad("unknown key, other case and snake_case", """
                        Logic:
                          selection: {}
                        logic:
                          metrics:
                            gauges:
                              delivery_rate: {}
                        """, """
                        config.yml:1:1: Logic: unknown key; did you mean 'logic'?
                        config.yml:6:7: logic.metrics.gauges.delivery_rate: unknown key; did you mean 'deliveryRate'?"""),
                bad("maxFlows below 1", """
                        logic:
                          limits: { maxFlows: 0 }
                        """, """
                        config.yml:2:23: logic.limits.maxFlows: expected a number of flows from 1 to 2147483647, got 0"""),
                bad("maxFlows of the wrong type, too large, given twice", """
                        logic:
                          limits:
                            maxFlows: 3000000000
                            max_flows: 10
                        """, """
                        config.yml:3:15: logic.limits.maxFlows: expected a number of flows from 1 to 2147483647, got 3000000000
                        config.yml:4:5: logic.limits.max_flows: both maxFlows and max_flows given; use one"""),
                bad("maxFlows as a string", """
                        logic: { limits: { max_flows: "many" } }
                        """, """
                        config.yml:1:31: logic.limits.max_flows: expected an integer, got the string "many\""""),
                bad("unknown key, far from any", """
                        logic:
                          exporter: {port: 8020}
                        """, """
                        config.yml:2:3: logic.exporter: unknown key; expected one of: metrics, compression, selection, limits, aggregation, namespaces, networkNamespaces, network_namespaces"""),
                bad("list expected, string given", """
                        logic:
                          selection:
                            process:
                              pids: "1000"
                        """, """
                        config.yml:4:13: logic.selection.process.pids: expected a list of integers, got the string "1000\""""),
                bad("integer expected in list", """
                        logic:
                          selection:
                            process:
                              pids: [1000, "2000", 1.5]
                        """, """
                        config.yml:4:20: logic.selection.process.pids[1]: expected an integer, got the string "2000"
                        config.yml:4:28: logic.selection.process.pids[2]: expected an integer, got the number 1.5"""),
                bad("pid not positive", """
                        logic: {selection: {process: {pids: [0, -5, 99999999999]}}}
                        """, """
                        config.yml:1:38: logic.selection.process.pids[0]: pid must be a positive integer, got 0
                        config.yml:1:41: logic.selection.process.pids[1]: pid must be a positive integer, got -5
                        config.yml:1:45: logic.selection.process.pids[2]: pid must be a positive integer, got 99999999999"""),
                bad("boolean must be a YAML boolean", """
                        logic:
                          metrics:
                            gauges:
                              active: yes
                              cwnd: {active: "false"}
                        """, """
                        config.yml:4:15: logic.metrics.gauges.active: expected a boolean (true or false), got the string "yes"
                        config.yml:5:22: logic.metrics.gauges.cwnd.active: expected a boolean (true or false), got the string "false\""""),
                bad("group given as a boolean", """
                        logic:
                          metrics:
                            counters: false
                            gauges: [rtt]
                        """, """
                        config.yml:3:15: logic.metrics.counters: expected a mapping such as {active: false}, got the boolean false
                        config.yml:4:13: logic.metrics.gauges: expected a mapping, got a list"""),
                bad("CIDR prefix too long for IPv4", """
                        logic:
                          selection:
                            peering:
                              networks: ["10.0.0.0/8",
                                         "10.0.0.0/33"]
                        """, """
                        config.yml:5:18: logic.selection.peering.networks[1]: invalid CIDR "10.0.0.0/33": prefix length 33 exceeds 32 for IPv4"""),
                bad("CIDR prefix too long for IPv6", """
                        logic:
                          selection:
                            peering:
                              networks:
                                include: ["fd00::/129"]
                                exclude: ["10.0.0.0/x"]
                        """, """
                        config.yml:5:19: logic.selection.peering.networks.include[0]: invalid CIDR "fd00::/129": prefix length 129 exceeds 128 for IPv6
                        config.yml:6:19: logic.selection.peering.networks.exclude[0]: invalid CIDR "10.0.0.0/x": invalid prefix length "x\""""),
                bad("bad IP address", """
                        logic:
                          selection:
                            peering:
                              addresses: [8.8.8.8, 8.8.8.888, 42]
                        """, """
                        config.yml:4:28: logic.selection.peering.addresses[1]: "8.8.8.888" is not an IPv4 or IPv6 address
                        config.yml:4:39: logic.selection.peering.addresses[2]: expected a string, got the integer 42"""),
                bad("networks of the wrong shape", """
                        logic:
                          selection:
                            peering:
                              networks: 10.0.0.0/8
                        """, """
                        config.yml:4:17: logic.selection.peering.networks: expected a list of networks, or a mapping with include and exclude lists, got the string "10.0.0.0/8\""""),
                bad("inverted port range", """
                        logic:
                          selection:
                            portRanges:
                              - lower: 443
                                upper: 80
                        """, """
                        config.yml:4:9: logic.selection.portRanges[0]: port range is inverted: lower 443 > upper 80"""),
                bad("port out of range", """
                        logic:
                          selection:
                            portranges:
                              - {lower: 8000, upper: 70000}
                              - {lower: -1}
                              - {upper: 80}
                              - 443
                        """, """
                        config.yml:4:30: logic.selection.portranges[0].upper: upper port 70000 is outside 0..65535
                        config.yml:5:17: logic.selection.portranges[1].lower: lower port -1 is outside 0..65535
                        config.yml:6:9: logic.selection.portranges[2]: a port range needs lower (and upper, unless it is a single port)
                        config.yml:7:9: logic.selection.portranges[3]: expected a port range such as {lower: 80, upper: 443}, got the integer 443"""),
                bad("unsorted bucket bounds", """
                        logic:
                          metrics:
                            histograms:
                              rtt:
                                bucketBounds: [1, 5, 10, 7.5, 20]
                        """, """
                        config.yml:5:34: logic.metrics.histograms.rtt.bucketBounds[3]: bucket bounds must be strictly increasing: 7.5 after 10.0 at index 3"""),
                bad("duplicate bucket bounds", """
                        logic:
                          metrics:
                            histograms:
                              latency:
                                bucket_bounds:
                                  - 1
                                  - 5
                                  - 5.0
                        """, """
                        config.yml:8:13: logic.metrics.histograms.latency.bucket_bounds[2]: bucket bounds must not repeat: 5.0 after 5.0 at index 2"""),
                bad("negative bucket bound", """
                        logic:
                          metrics:
                            histograms:
                              rtt: {bucketBounds: [-1, 5]}
                        """, """
                        config.yml:4:28: logic.metrics.histograms.rtt.bucketBounds[0]: bucket bound -1.0 at index 0 is negative"""),
                bad("empty bucket bounds", """
                        logic:
                          metrics:
                            histograms:
                              rtt: {bucketBounds: []}
                        """, """
                        config.yml:4:27: logic.metrics.histograms.rtt.bucketBounds: bucket bounds must not be empty"""),
                bad("bucket bounds that are not numbers", """
                        logic:
                          metrics:
                            histograms:
                              latency: {bucket_bounds: [1, "2", 3ms]}
                            gauges:
                              rtt: {bucketBounds: [1]}
                        """, """
                        config.yml:4:36: logic.metrics.histograms.latency.bucket_bounds[1]: expected a number, got the string "2"
                        config.yml:4:41: logic.metrics.histograms.latency.bucket_bounds[2]: expected a number, got the string "3ms"
                        config.yml:6:13: logic.metrics.gauges.rtt.bucketBounds: unknown key; expected one of: active"""),
                bad("bucket bounds not a list", """
                        logic: {metrics: {histograms: {rtt: {bucketBounds: "1, 2"}}}}
                        """, """
                        config.yml:1:52: logic.metrics.histograms.rtt.bucketBounds: expected a list of numbers, got the string "1, 2\""""),
                bad("bucket bound not finite", """
                        logic: {metrics: {histograms: {rtt: {bucketBounds: [1, .inf]}}}}
                        """, """
                        config.yml:1:56: logic.metrics.histograms.rtt.bucketBounds[1]: bucket bound Infinity at index 1 is not finite (the +Inf bucket is always added)"""),
                bad("unknown folding mode", """
                        logic:
                          compression:
                            labelFolding: condensed
                        """, """
                        config.yml:3:19: logic.compression.labelFolding: unknown label folding "condensed"; expected "raw_endpoint" or "pid_condensed\""""),
                bad("unknown TCP state", """
                        logic:
                          selection:
                            states: [established, half-open]
                        """, """
                        config.yml:3:27: logic.selection.states[1]: unknown TCP state "half-open"; accepted, in any case: estab (established), syn-sent, syn-recv, fin-wait-1 (fin_wait1), fin-wait-2 (fin_wait2), time-wait, unconn (close), close-wait, last-ack, listen, closing, new-syn-recv, bound-inactive"""),
                bad("empty command and host names", """
                        logic:
                          selection:
                            process: {cmds: ["nginx", ""]}
                            peering: {hosts: [" ", "db internal"]}
                        """, """
                        config.yml:3:31: logic.selection.process.cmds[1]: command name must not be empty
                        config.yml:4:23: logic.selection.peering.hosts[0]: host name must not be empty
                        config.yml:4:28: logic.selection.peering.hosts[1]: host name "db internal" must not contain spaces"""),
                bad("duplicate key", """
                        logic:
                          metrics:
                            gauges: {active: true}
                            gauges: {active: false}
                        """, """
                        config.yml:4:5: logic.metrics.gauges: duplicate key; first given at line 3"""),
                bad("both spellings of one key", """
                        logic:
                          metrics:
                            histograms:
                              rtt: {bucketBounds: [1, 2]}
                              latency: {bucket_bounds: [1, 2]}
                          selection:
                            portRanges: []
                            portranges: []
                        """, """
                        config.yml:5:7: logic.metrics.histograms.latency: both rtt and latency given; use one
                        config.yml:8:5: logic.selection.portranges: both portRanges and portranges given; use one"""),
                bad("not a mapping at the top", """
                        - logic
                        """, """
                        config.yml:1:1: expected a mapping, got a list"""),
                bad("a list as a key", """
                        logic:
                          [metrics]: {}
                        """, """
                        config.yml:2:3: logic: keys must be plain names, got a list"""),
                bad("YAML syntax error", """
                        logic:
                          metrics: [gauges
                          selection: {}
                        """, """
                        config.yml:3:12: YAML syntax error: expected ',' or ']', but got : (while parsing a flow sequence at line 2, column 12)"""),
                bad("tab indentation", "logic:\n\tmetrics: {}\n", """
                        config.yml:2:1: YAML syntax error: found character '\\t(TAB)' that cannot start any token. (Do not use \\t(TAB) for indentation) (while scanning for the next token)"""),
                bad("two documents", """
                        logic: {}
                        ---
                        logic: {}
                        """, """
                        config.yml:2:1: a second YAML document starts here; the file must hold one"""),
                bad("several errors in one file, all reported in file order", """
                        logic:
                          metrics:
                            histograms:
                              rtt:
                                bucketBound: [1, 2]
                            gauges:
                              active: 1
                          compression:
                            labelFolding: pid
                          selection:
                            peering:
                              networks: ["10.0.0.0/8", "10.0.0.0/33"]
                            portRanges:
                              - {lower: 443, upper: 80}
                            exclude: []
                        """, """
                        config.yml:5:9: logic.metrics.histograms.rtt.bucketBound: unknown key; did you mean 'bucketBounds'?
                        config.yml:7:15: logic.metrics.gauges.active: expected a boolean (true or false), got the integer 1
                        config.yml:9:19: logic.compression.labelFolding: unknown label folding "pid"; expected "raw_endpoint" or "pid_condensed"
                        config.yml:12:32: logic.selection.peering.networks[1]: invalid CIDR "10.0.0.0/33": prefix length 33 exceeds 32 for IPv4
                        config.yml:14:9: logic.selection.portRanges[0]: port range is inverted: lower 443 > upper 80
                        config.yml:15:5: logic.selection.exclude: unknown key; expected one of: states, process, peering, portRanges, portranges"""),
                bad("alias bomb (billion laughs)", billionLaughs(), """
                        config.yml:7:28: more than 50 aliases to lists or mappings"""),
                bad("deep nesting", "[".repeat(10_000), """
                        config.yml:1:65: nesting is deeper than 64 levels"""),
                bad("deep nesting of mappings", "logic:\n" + "a: {".repeat(200), """
                        config.yml:2:256: nesting is deeper than 64 levels"""));
    }

    private static Arguments bad(String name, String yaml, String expected) {
        return Arguments.argumentSet(name, yaml, expected);
    }

    /** Nine levels of nine aliases each: 9^9 strings if expanded. */
    private static String billionLaughs() {
        StringBuilder sb = new StringBuilder("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (char c = 'b'; c <= 'i'; c++) {
            String prev = "*" + (char) (c - 1);
            sb.append(c).append(": &").append(c).append(" [")
                    .append(String.join(", ", java.util.Collections.nCopies(9, prev))).append("]\n");
        }
        return sb.toString();
    }

    @ParameterizedTest
    @MethodSource("badFiles")
    void reportsEveryError(String yaml, String expected) {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(yaml, "config.yml"));
        assertThat(e.getMessage()).isEqualTo(expected);
        assertThat(e.errors()).hasSize((int) expected.lines().count());
    }
}
