package dev.ssexporter.cli.e2e;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * Runs iproute2's {@code ss -tinHe} and parses what it prints, the reference the exporter's
 * numbers are compared with.
 *
 * <p>Each socket is a line {@code STATE RECV-Q SEND-Q LOCAL PEER} followed by {@code -e} tokens
 * ({@code ino:}, {@code uid:}, {@code sk:}...), then a tab-indented line of {@code -i} tokens
 * ({@code cwnd:}, {@code rtt:avg/var}, {@code data_segs_in:}...). {@code ss} leaves out a
 * counter that is zero ({@code data_segs_in}, {@code delivery_rate}, {@code uid} of root), so those
 * read as 0. {@code delivery_rate} is in bits per second ({@code 32768000000bps}); -1 when
 * {@code ss} prints it rounded ({@code 32.8Gbps}).
 */
final class Ss {
    private Ss() {}

    /** One socket as {@code ss} shows it. */
    record Sock(String state, long recvQ, long sendQ, Endpoint local, Endpoint peer, long inode, long uid,
            OptionalLong cwnd, OptionalDouble rttMs, long deliveryRateBps, long dataSegsIn, long dataSegsOut,
            String line) {

        /** The raw_endpoint flow label the exporter should give this socket. */
        String flow() {
            return FlowLabel.raw(local, peer);
        }

        /** The counters compared with the exporter; rtt is compared separately, with a tolerance. */
        String counters() {
            return "cwnd=" + (cwnd.isPresent() ? Long.toString(cwnd.getAsLong()) : "-")
                    + " delivery_rate=" + deliveryRateBps + "bps data_segs_in=" + dataSegsIn
                    + " data_segs_out=" + dataSegsOut;
        }

        /** What must not change while the exporter is scraped, for the comparison to be exact. */
        String quiet() {
            return state + " q=" + recvQ + "/" + sendQ + " " + counters() + " rtt="
                    + (rttMs.isPresent() ? Double.toString(rttMs.getAsDouble()) : "-");
        }
    }

    /**
     * The TCP sockets in {@code ss}'s default (connected) states that match the filter
     * expression, e.g. {@code ( sport = :8020 or dport = :8020 )}.
     */
    static List<Sock> query(String filter) throws IOException {
        String ss = E2e.requireTool("ss", "iproute2").toString();
        E2e.Result r = E2e.run(List.of(ss, "-tinHe", filter), null, E2e.COMMAND_TIMEOUT);
        if (r.exitCode() != 0) {
            throw new AssertionError("ss failed: " + r);
        }
        return parse(r.stdout());
    }

    /**
     * Waits until {@code ss} shows exactly {@code expected} sockets for {@code filter}, all with
     * empty queues and {@code tcp_info}, and two reads in a row agree on their counters and RTT:
     * the connections are quiet (delayed ACKs have gone out), so the exporter must see the same.
     */
    static List<Sock> settle(String filter, int expected) {
        AtomicReference<Map<String, String>> previous = new AtomicReference<>();
        return E2e.poll(expected + " quiet sockets in ss for " + filter, Duration.ofSeconds(20), Duration.ofMillis(150),
                () -> query(filter), socks -> {
                    Map<String, String> now = quiet(socks);
                    boolean idle = socks.size() == expected && socks.stream().allMatch(
                            s -> s.recvQ() == 0 && s.sendQ() == 0 && s.cwnd().isPresent() && s.rttMs().isPresent());
                    return now.equals(previous.getAndSet(now)) && idle;
                });
    }

    /** Flow label to {@link Sock#quiet()}, to tell whether anything moved between two reads. */
    static Map<String, String> quiet(List<Sock> socks) {
        Map<String, String> m = new TreeMap<>();
        for (Sock s : socks) {
            m.put(s.flow(), s.quiet());
        }
        return m;
    }

    /** A filter selecting the sockets with {@code e} at either end. */
    static String either(Endpoint e) {
        return "( src " + bracketed(e) + " or dst " + bracketed(e) + " )";
    }

    /** A filter selecting the sockets with one of {@code ports} as source or destination port. */
    static String ports(int... ports) {
        List<String> terms = new ArrayList<>();
        for (int p : ports) {
            terms.add("sport = :" + p);
            terms.add("dport = :" + p);
        }
        return "( " + String.join(" or ", terms) + " )";
    }

    private static String bracketed(Endpoint e) {
        String ip = e.ip();
        return (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":" + e.port();
    }

    /** Parses {@code ss -tinHe} output. */
    static List<Sock> parse(String output) {
        List<List<String>> records = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        for (String line : output.split("\n", -1)) {
            if (line.isBlank()) {
                continue;
            }
            if (!Character.isWhitespace(line.charAt(0))) {
                if (!lines.isEmpty()) {
                    records.add(lines);
                }
                lines = new ArrayList<>();
            } else if (lines.isEmpty()) {
                throw new AssertionError("ss output starts with a continuation line: " + line);
            }
            lines.add(line);
        }
        if (!lines.isEmpty()) {
            records.add(lines);
        }
        return records.stream().map(Ss::sock).toList();
    }

    private static Sock sock(List<String> lines) {
        String whole = String.join(" ", lines);
        String[] tokens = whole.strip().split("\\s+");
        if (tokens.length < 5) {
            throw new AssertionError("ss line with fewer than 5 fields: " + whole);
        }
        long inode = 0;
        long uid = 0;
        OptionalLong cwnd = OptionalLong.empty();
        OptionalDouble rtt = OptionalDouble.empty();
        long deliveryRate = 0;
        long in = 0;
        long out = 0;
        for (int i = 5; i < tokens.length; i++) {
            String t = tokens[i];
            if (t.equals("delivery_rate") && i + 1 < tokens.length) {
                String bps = tokens[++i];
                // Plain bits per second unless ss was built to print "32.8Gbps"; then it is unknown (-1).
                deliveryRate = bps.matches("\\d+bps") ? Long.parseLong(bps.substring(0, bps.length() - 3)) : -1;
                continue;
            }
            int colon = t.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String key = t.substring(0, colon);
            String value = t.substring(colon + 1);
            switch (key) {
                case "ino" -> inode = Long.parseLong(value);
                case "uid" -> uid = Long.parseLong(value);
                case "cwnd" -> cwnd = OptionalLong.of(Long.parseLong(value));
                case "rtt" -> rtt = OptionalDouble.of(Double.parseDouble(value.substring(0, value.indexOf('/'))));
                case "data_segs_in" -> in = Long.parseLong(value);
                case "data_segs_out" -> out = Long.parseLong(value);
                default -> {
                    // sk:, cgroup:, mss:, bbr:(...) and the rest are not compared.
                }
            }
        }
        return new Sock(tokens[0], Long.parseLong(tokens[1]), Long.parseLong(tokens[2]), endpoint(tokens[3]),
                endpoint(tokens[4]), inode, uid, cwnd, rtt, deliveryRate, in, out, whole);
    }

    /** {@code 127.0.0.1:80}, {@code [::1]:80}, {@code [::ffff:127.0.0.1]:80}, {@code 10.0.0.1%eth0:80}. */
    static Endpoint endpoint(String token) {
        int colon = token.lastIndexOf(':');
        if (colon <= 0) {
            throw new AssertionError("ss address without a port: " + token);
        }
        return Endpoint.of(token.substring(0, colon), Integer.parseInt(token.substring(colon + 1)));
    }

    /** A readable table of {@code sockets}, for failure messages. */
    static String describe(List<Sock> sockets) {
        return sockets.stream().map(s -> s.flow() + " " + s.quiet()).collect(Collectors.joining("\n  ", "\n  ", ""));
    }
}
