package dev.ssexporter.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each selection section of docs/configuration.md, with its own config file, against the real
 * exporter: exactly the expected flows among the connections this test made, and no flow in the
 * whole scrape that the selection should have left out.
 *
 * <p>The connections, all from the test JVM to the {@link EchoServer} process, kept open for the
 * whole class; "pure" ones are {@code AF_INET} at both ends, "mapped" ones {@code AF_INET6} with
 * {@code ::ffff:} addresses at both ends (IPv4 selections must match those too):
 *
 * <ul>
 *   <li>from {@code 127.0.0.1}: one pure, one mapped;
 *   <li>from {@code 127.0.0.2}: one pure, one mapped;
 *   <li>from {@code 127.83.0.5} (pure), {@code 127.83.0.6} (mapped), {@code 127.83.1.5} (pure) and
 *       {@code 127.83.1.6} (mapped): all of 127.0.0.0/8 is loopback;
 *   <li>two over IPv6, {@code ::1} to {@code ::1}.
 * </ul>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SelectionIT {
    private static final InetAddress DOT2 = Endpoint.literal("127.0.0.2");
    /** Leaks quoted in a failure message, at most. */
    private static final int LEAKS_SHOWN = 20;

    @TempDir
    static Path dir;

    private EchoProcess echo;
    private final List<Connection> all = new ArrayList<>();
    private final List<Connection> v6 = new ArrayList<>();
    private final List<Connection> fromDot2 = new ArrayList<>();
    private final List<Connection> fromIncludedNet = new ArrayList<>();

    @BeforeAll
    void connect() throws IOException {
        echo = EchoProcess.start(dir);
        all.add(Connection.open(echo.v4()).exchange(2));
        all.add(Connection.openDualStack(echo.mapped(), null).exchange(3));
        fromDot2.add(Connection.open(echo.v4(), DOT2).exchange(1));
        fromDot2.add(Connection.openDualStack(echo.mapped(), DOT2).exchange(1));
        fromIncludedNet.add(Connection.open(echo.v4(), Endpoint.literal("127.83.0.5")).exchange(1));
        fromIncludedNet.add(Connection.openDualStack(echo.mapped(), Endpoint.literal("127.83.0.6")).exchange(1));
        all.addAll(fromDot2);
        all.addAll(fromIncludedNet);
        all.add(Connection.open(echo.v4(), Endpoint.literal("127.83.1.5")).exchange(1));
        all.add(Connection.openDualStack(echo.mapped(), Endpoint.literal("127.83.1.6")).exchange(1));
        v6.add(Connection.open(echo.v6()).exchange(4));
        v6.add(Connection.open(echo.v6()).exchange(5));
        all.addAll(v6);
    }

    @AfterAll
    void disconnect() throws IOException {
        for (Connection c : all) {
            c.close();
        }
        if (echo != null) {
            echo.close();
        }
    }

    @Test
    void processPidsSelectsTheEchoServersSockets(TestInfo test) throws Exception {
        assertSelection(test, """
                logic:
                  selection:
                    process:
                      pids: [%d]
                """.formatted(echo.pid()),
                flows(all, Connection::serverFlow),
                "the local end is the echo server's", f -> f.isRaw() && echo.isServer(f.local()));
    }

    @Test
    void processCmdsSelectsTheEchoServersSockets(TestInfo test) throws Exception {
        assertSelection(test, """
                logic:
                  selection:
                    process:
                      cmds: ["%s"]
                """.formatted(EchoProcess.COMM),
                flows(all, Connection::serverFlow),
                "the local end is an ssx-echo server's", new Predicate<>() {
                    private Set<Integer> others;

                    @Override
                    public boolean test(FlowLabel f) {
                        if (f.isRaw() && echo.isServer(f.local())) {
                            return true;
                        }
                        if (others == null) {
                            others = echoServerPorts();
                        }
                        return f.isRaw() && others.contains(f.local().port());
                    }
                });
    }

    /**
     * Ports that every process named {@value EchoProcess#COMM} listens on, from {@code ss -tlnpH}.
     * Another test run on the same machine (another checkout's SelectionIT) may have its own echo
     * server up; its sockets match {@code cmds: ["ssx-echo"]} too, rightly.
     */
    private static Set<Integer> echoServerPorts() {
        try {
            String ss = E2e.requireTool("ss", "iproute2").toString();
            E2e.Result r = E2e.run(List.of(ss, "-tlnpH"), null, E2e.COMMAND_TIMEOUT);
            Set<Integer> ports = new TreeSet<>();
            for (String line : r.stdoutLines()) {
                String[] t = line.trim().split("\\s+");
                if (t.length >= 4 && line.contains("((\"" + EchoProcess.COMM + "\",")) {
                    ports.add(Integer.parseInt(t[3].substring(t[3].lastIndexOf(':') + 1)));
                }
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void peeringAddressesSelectsThatPeer(TestInfo test) throws Exception {
        assertSelection(test, """
                logic:
                  selection:
                    peering:
                      addresses: ["127.0.0.2"]
                """,
                flows(fromDot2, Connection::serverFlow),
                "the peer is 127.0.0.2", f -> f.remote().address().equals(DOT2));
    }

    @Test
    void peeringNetworksIncludeAndExclude(TestInfo test) throws Exception {
        Set<String> expected = new TreeSet<>(flows(v6, Connection::clientFlow));
        expected.addAll(flows(v6, Connection::serverFlow));
        expected.addAll(flows(fromIncludedNet, Connection::serverFlow));
        assertSelection(test, """
                logic:
                  selection:
                    peering:
                      networks:
                        include: ["127.83.0.0/16", "::1/128"]
                        exclude: ["127.83.1.0/24"]
                """,
                expected,
                "the peer is in 127.83.0.0/16 but not 127.83.1.0/24, or is ::1",
                f -> inNetwork(f.remote().address(), "127.83.") && !inNetwork(f.remote().address(), "127.83.1.")
                        || f.remote().address().equals(echo.v6().address()));
    }

    @Test
    void peeringNetworksExcludeOnlySelectsEveryOtherPeer(TestInfo test) throws Exception {
        Set<String> expected = new TreeSet<>(flows(v6, Connection::clientFlow));
        expected.addAll(flows(v6, Connection::serverFlow));
        assertSelection(test, """
                logic:
                  selection:
                    peering:
                      networks:
                        exclude: ["127.0.0.0/8"]
                """,
                expected,
                "the peer is not in 127.0.0.0/8", f -> !inNetwork(f.remote().address(), "127."));
    }

    @Test
    void portRangesMatchTheLocalPortOfInboundConnections(TestInfo test) throws Exception {
        int port = echo.v4().port();
        List<Connection> toPort = all.stream().filter(c -> c.remote().equals(echo.v4())).toList();
        Set<String> expected = new TreeSet<>(flows(toPort, Connection::clientFlow));
        // The server side has the range's port as its *local* port: the original exporter missed it.
        expected.addAll(flows(toPort, Connection::serverFlow));
        assertSelection(test, """
                logic:
                  selection:
                    portRanges:
                      - lower: %d
                        upper: %d
                """.formatted(port, port),
                expected,
                "one end's port is " + port, f -> f.isRaw() && (f.local().port() == port || f.remote().port() == port));
    }

    @Test
    void hostsLocalhostIsResolvedAndMatched(TestInfo test) throws Exception {
        Set<InetAddress> localhost = Set.copyOf(Arrays.asList(InetAddress.getAllByName("localhost")));
        assertThat(localhost).as("localhost resolves to 127.0.0.1 here").contains(echo.v4().address());
        Set<String> expected = new TreeSet<>();
        for (Connection c : all) {
            if (localhost.contains(c.remote().address())) {
                expected.add(c.clientFlow());
            }
            if (localhost.contains(c.local().address())) {
                expected.add(c.serverFlow());
            }
        }
        assertSelection(test, """
                logic:
                  selection:
                    peering:
                      hosts: [localhost]
                """,
                Duration.ofSeconds(20), expected,
                "the peer is one of localhost's addresses " + localhost, f -> localhost.contains(f.remote().address()));
    }

    @Test
    void pidCondensedFoldsTheClientsConnectionsToOnePeer() throws Exception {
        long me = ProcessHandle.current().pid();
        Set<String> expected = new TreeSet<>();
        for (Endpoint server : List.of(echo.v4(), echo.mapped(), echo.v6())) {
            expected.add(FlowLabel.condensed(me, server));
        }
        for (Connection c : all) {
            expected.add(FlowLabel.condensed(echo.pid(), c.local()));
        }
        Path config = Files.writeString(dir.resolve("pid_condensed.yml"), """
                logic:
                  compression:
                    labelFolding: pid_condensed
                """);
        List<Ss.Sock> ss = Ss.settle(echo.ssFilter(), 2 * all.size());
        try (Exporter exporter = Exporter.start(dir, config)) {
            Exposition scrape = exporter.scrape(echo::concerns);
            assertThat(Ss.quiet(Ss.query(echo.ssFilter()))).as("ss values unchanged during the scrape")
                    .isEqualTo(Ss.quiet(ss));
            SoftAssertions soft = new SoftAssertions();
            for (String family : Exposition.FLOW_FAMILIES) {
                soft.assertThat(scrape.flows(family).keySet()).as("%s flows of the echo connections", family)
                        .isEqualTo(expected);
            }
            int folded = 0;
            for (Endpoint server : List.of(echo.v4(), echo.mapped(), echo.v6())) {
                List<Ss.Sock> clients = ss.stream().filter(s -> s.peer().equals(server)).toList();
                assertFolded(soft, scrape, FlowLabel.condensed(me, server), clients);
                folded += clients.size() - 1;
            }
            double count = scrape.value("tcp_rtt_hist_ms_count");
            soft.assertThat(count).as("histogram: one observation per selected socket, not per folded flow")
                    .isEqualTo(scrape.value("ss_exporter_sockets_selected"))
                    .isGreaterThanOrEqualTo(scrape.total("tcp_rtt") + folded);
            soft.assertAll();
        }
    }

    /** rtt is the mean, cwnd, delivery rate and data segments the sums of the folded sockets. */
    private static void assertFolded(SoftAssertions soft, Exposition scrape, String flow, List<Ss.Sock> sockets) {
        if (!scrape.flows("tcp_rtt").containsKey(flow)) {
            return; // the missing flow is reported with the other labels
        }
        String ss = Ss.describe(sockets);
        soft.assertThat(sockets).as("client sockets folded into %s", flow).hasSizeGreaterThanOrEqualTo(2);
        soft.assertThat(scrape.flows("tcp_cwnd").get(flow)).as("tcp_cwnd of %s: the sum over%s", flow, ss)
                .isEqualTo(sockets.stream().mapToDouble(s -> s.cwnd().orElseThrow()).sum());
        soft.assertThat(scrape.flows("tcp_data_segs_in_total").get(flow)).as("data_segs_in of %s: the sum over%s", flow, ss)
                .isEqualTo(sockets.stream().mapToDouble(Ss.Sock::dataSegsIn).sum());
        soft.assertThat(scrape.flows("tcp_data_segs_out_total").get(flow)).as("data_segs_out of %s: the sum over%s", flow, ss)
                .isEqualTo(sockets.stream().mapToDouble(Ss.Sock::dataSegsOut).sum());
        double meanRtt = sockets.stream().mapToDouble(s -> s.rttMs().orElseThrow()).average().orElseThrow();
        soft.assertThat(scrape.flows("tcp_rtt").get(flow)).as("tcp_rtt of %s: the mean over%s", flow, ss)
                .isCloseTo(meanRtt, within(Math.max(0.05, 0.1 * meanRtt)));
        if (sockets.stream().allMatch(s -> s.deliveryRateBps() >= 0)) {
            soft.assertThat(scrape.flows("tcp_delivery_rate").get(flow) * 8)
                    .as("tcp_delivery_rate of %s in bits/s: the sum over%s", flow, ss)
                    .isEqualTo(sockets.stream().mapToDouble(Ss.Sock::deliveryRateBps).sum());
        }
    }

    /** {@link #assertSelection(TestInfo, String, Duration, Set, String, Predicate)} from the first scrape. */
    private void assertSelection(TestInfo test, String yaml, Set<String> expected, String allowedText,
            Predicate<FlowLabel> allowed) throws Exception {
        assertSelection(test, yaml, Duration.ZERO, expected, allowedText, allowed);
    }

    /**
     * Starts the exporter with {@code yaml} and scrapes: the flows of this test's connections
     * must be {@code expected}, at once or, if {@code wait} is positive, within it (the
     * {@code hosts} lookup runs in the background, so the first scrapes may select nothing yet).
     * Every flow of every scrape, not only this test's, must satisfy {@code allowed}.
     */
    private void assertSelection(TestInfo test, String yaml, Duration wait, Set<String> expected, String allowedText,
            Predicate<FlowLabel> allowed) throws Exception {
        assertThat(expected).as("the test expects some flows").isNotEmpty();
        Path config = Files.writeString(dir.resolve(test.getTestMethod().orElseThrow().getName() + ".yml"), yaml);
        try (Exporter exporter = Exporter.start(dir, config)) {
            List<String> leaks = Collections.synchronizedList(new ArrayList<>());
            AtomicInteger seen = new AtomicInteger();
            Predicate<String> keep = flow -> {
                seen.incrementAndGet();
                if (!allowed.test(FlowLabel.parse(flow)) && leaks.size() < LEAKS_SHOWN) {
                    leaks.add(flow);
                }
                return echo.concerns(flow);
            };
            long deadline = System.nanoTime() + wait.toNanos();
            Exposition scrape = exporter.scrape(keep);
            int scrapes = 1;
            while (!mine(scrape).equals(expected) && System.nanoTime() - deadline < 0) {
                E2e.sleep(Duration.ofMillis(200));
                scrape = exporter.scrape(keep);
                scrapes++;
            }
            assertThat(mine(scrape)).as("tcp_rtt flows of the echo connections after %d scrape(s) in %s", scrapes, wait)
                    .isEqualTo(expected);
            assertThat(leaks).as("flows the selection should have left out (%s), of %d flow samples", allowedText,
                    seen.get()).isEmpty();
            for (String family : Exposition.FLOW_FAMILIES) {
                assertThat(scrape.flows(family).keySet()).as("%s flows of the echo connections", family)
                        .isEqualTo(expected);
            }
            assertThat(scrape.value("ss_exporter_sockets_selected")).as("sockets selected")
                    .isGreaterThanOrEqualTo(expected.size());
        }
    }

    private static Set<String> mine(Exposition scrape) {
        return new TreeSet<>(scrape.flows("tcp_rtt").keySet());
    }

    private static Set<String> flows(List<Connection> connections, Function<Connection, String> side) {
        return connections.stream().map(side).collect(Collectors.toCollection(TreeSet::new));
    }

    /** Whether {@code a} is IPv4 (the label writes v4-mapped as IPv4) and starts with the dotted prefix. */
    private static boolean inNetwork(InetAddress a, String dottedPrefix) {
        return a instanceof Inet4Address && a.getHostAddress().startsWith(dottedPrefix);
    }
}
