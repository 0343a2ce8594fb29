package dev.ssexporter.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code dump} against the real kernel, checked against what {@code ss} reports for the same sockets. */
class DumpLiveTest {
    private static final Pattern JSON_SOCKET = Pattern.compile(
            "\"state\":\"(\\w+)\".*\"local_port\":(\\d+),.*\"remote_port\":(\\d+),.*\"inode\":(\\d+),");
    private static final Pattern SS_SOCKET = Pattern.compile(
            "^ESTAB\\s+\\d+\\s+\\d+\\s+\\S+:(\\d+)\\s+\\S+:(\\d+)\\b.*\\bino:(\\d+)\\b");

    @Test
    void dumpsBothEndsOfALoopbackConnectionWithTheInodesSsReports() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (ServerSocket server = new ServerSocket(0, 1, loopback);
             Socket client = new Socket()) {
            client.connect(new InetSocketAddress(loopback, server.getLocalPort()), 5000);
            try (Socket accepted = server.accept()) {
                int port = server.getLocalPort();
                int clientPort = client.getLocalPort();
                assertThat(accepted.getPort()).isEqualTo(clientPort);

                Cli.Result r = Cli.run("dump", "--json", "--port", Integer.toString(port));
                assertThat(r.exitCode()).as(r.err()).isZero();
                assertThat(r.err()).isEmpty();

                // "local:remote" -> inode, from our JSON and from ss
                Map<String, Long> ours = new HashMap<>();
                for (String line : r.out().lines().toList()) {
                    assertThat(line).startsWith("{").endsWith("}");
                    Matcher m = JSON_SOCKET.matcher(line);
                    assertThat(m.find()).as(line).isTrue();
                    assertThat(m.group(1)).isEqualTo("ESTABLISHED");
                    ours.put(m.group(2) + ":" + m.group(3), Long.parseLong(m.group(4)));
                }
                Map<String, Long> ss = ssInodes(port);
                assertThat(ours).containsOnlyKeys(port + ":" + clientPort, clientPort + ":" + port);
                assertThat(ours.values()).allSatisfy(inode -> assertThat(inode).isPositive());
                assertThat(ours).isEqualTo(ss);
            }
        }
    }

    @Test
    void javaSocketsAreIpv6WithMappedAddressesShownAsIpv4() throws Exception {
        // The JDK opens AF_INET6 sockets even for 127.0.0.1, so the kernel reports ::ffff:127.0.0.1.
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        try (ServerSocket server = new ServerSocket(0, 1, loopback);
             Socket client = new Socket(loopback, server.getLocalPort());
             Socket accepted = server.accept()) {
            String port = Integer.toString(server.getLocalPort());
            Cli.Result v6 = Cli.run("dump", "-6", "--port", port);
            assertThat(v6.exitCode()).as(v6.err()).isZero();
            List<String> lines = v6.out().lines().toList();
            assertThat(lines).hasSize(3);
            assertThat(lines.getFirst()).startsWith("State  Recv-Q  Send-Q  Local Address:Port");
            assertThat(lines.subList(1, 3)).allSatisfy(line -> assertThat(line)
                    .startsWith("ESTAB ").contains("127.0.0.1:" + port).doesNotContain("["));
            assertThat(Cli.run("dump", "-4", "--port", port).out().lines()).hasSize(1);
            assertThat(Cli.run("dump", "--json", "-6", "--port", port).out().lines())
                    .hasSize(2).allSatisfy(line -> assertThat(line).startsWith("{\"family\":\"INET6\","));
            assertThat(accepted.isConnected()).isTrue();
            assertThat(client.isConnected()).isTrue();
        }
    }

    /** {@code ss -tinHe} for the sockets with {@code port} on either side: "local:remote" -> inode. */
    private static Map<String, Long> ssInodes(int port) throws IOException, InterruptedException {
        List<String> command = List.of("ss", "-tinHe", "( sport = :" + port + " or dport = :" + port + " )");
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return fail("this test compares with ss, which is not installed: install iproute2 "
                    + "(e.g. apt-get install iproute2); " + e.getMessage());
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        Map<String, Long> inodes = new HashMap<>();
        for (String line : output.lines().toList()) {
            Matcher m = SS_SOCKET.matcher(line);
            if (m.find()) {
                inodes.put(m.group(1) + ":" + m.group(2), Long.parseLong(m.group(3)));
            }
        }
        return inodes;
    }
}
