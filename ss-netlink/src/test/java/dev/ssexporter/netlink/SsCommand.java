package dev.ssexporter.netlink;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs iproute2's {@code ss -tinHea FILTER} and parses what it prints, for comparison in tests. */
final class SsCommand {

    /**
     * One socket as ss prints it.
     *
     * @param state the State column, e.g. {@code ESTAB}
     * @param local the local address column, e.g. {@code [::1]:47555}
     * @param localPort its port
     * @param peer the peer address column
     * @param peerPort its port, 0 for {@code *}
     * @param values the {@code key:value} tokens, e.g. {@code cwnd -> 10}, {@code ino -> 371241}
     */
    record SsSocket(String state, String local, int localPort, String peer, int peerPort, Map<String, String> values) {
        long number(String key, long fallback) {
            String v = values.get(key);
            return v == null ? fallback : Long.parseLong(v);
        }

        /** ss's {@code rtt:RTT/RTTVAR} in milliseconds, or -1 when not printed. */
        double rttMillis() {
            String v = values.get("rtt");
            return v == null ? -1 : Double.parseDouble(v.substring(0, v.indexOf('/')));
        }
    }

    private SsCommand() {}

    /** Runs {@code ss -tinHea filter}; fails the test loudly when ss is not installed. */
    static List<SsSocket> run(String filter) throws IOException, InterruptedException {
        return run(List.of("ss", "-tinHea", filter));
    }

    /** Runs {@code ip netns exec NETNS ss -tinHea filter}: the sockets of that named namespace. */
    static List<SsSocket> runIn(String netns, String filter) throws IOException, InterruptedException {
        return run(List.of("ip", "netns", "exec", netns, "ss", "-tinHea", filter));
    }

    private static List<SsSocket> run(List<String> command) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(command).start();
        } catch (IOException e) {
            return fail("cannot run '" + command.getFirst() + "' (" + e.getMessage() + "): these tests compare"
                    + " against iproute2's ss; install it, e.g. apt-get install -y iproute2");
        }
        // ss in a namespace without a cgroup2 mount warns on stderr; only stdout is parsed.
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            return fail(String.join(" ", command) + " failed: " + out + err);
        }
        return parse(out);
    }

    /** Parses ss output: a socket line, then its tcp_info on a line starting with a tab. */
    static List<SsSocket> parse(String out) {
        List<SsSocket> sockets = new ArrayList<>();
        List<String> joined = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            if (Character.isWhitespace(line.charAt(0)) && !joined.isEmpty()) {
                joined.set(joined.size() - 1, joined.getLast() + " " + line.strip());
            } else {
                joined.add(line.strip());
            }
        }
        for (String line : joined) {
            String[] t = line.split("\\s+");
            if (t.length < 5) {
                throw new IllegalArgumentException("unexpected ss line: " + line);
            }
            Map<String, String> values = new HashMap<>();
            for (int i = 5; i < t.length; i++) {
                int colon = t[i].indexOf(':');
                if (colon > 0) {
                    values.putIfAbsent(t[i].substring(0, colon), t[i].substring(colon + 1));
                }
            }
            sockets.add(new SsSocket(t[0], t[3], port(t[3]), t[4], port(t[4]), values));
        }
        return sockets;
    }

    private static int port(String address) {
        String p = address.substring(address.lastIndexOf(':') + 1);
        return p.equals("*") ? 0 : Integer.parseInt(p);
    }
}
