package dev.ssexporter.cli.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace made with {@code ip netns add} for one test (unique name, {@code lo} up),
 * with a {@link NetnsLoopback} process holding connections inside it. {@link #close()} ends the
 * process and deletes the namespace, also after a failed test.
 */
final class TestNamespace implements AutoCloseable {
    private final String name;
    private Process loopback;
    private boolean deleted;

    private TestNamespace(String name) {
        this.name = name;
    }

    /** Adds namespace {@code ssx-itPID-suffix}, brings {@code lo} up and opens {@code connections} in it. */
    static TestNamespace create(String suffix, int connections) throws IOException {
        E2e.requireTool("ip", "iproute2");
        TestNamespace ns = new TestNamespace("ssx-it" + ProcessHandle.current().pid() + "-" + suffix);
        ip("netns", "add", ns.name);
        try {
            ip("netns", "exec", ns.name, "ip", "link", "set", "lo", "up");
            ns.start(connections);
            return ns;
        } catch (IOException | RuntimeException | Error e) {
            ns.close();
            throw e;
        }
    }

    private void start(int connections) throws IOException {
        String classes;
        try {
            classes = Path.of(NetnsLoopback.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
        loopback = E2e.start(new ProcessBuilder("ip", "netns", "exec", name, E2e.javaBinary().toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", classes, NetnsLoopback.class.getName(),
                Integer.toString(connections)).redirectError(ProcessBuilder.Redirect.INHERIT));
        String ready = new BufferedReader(new InputStreamReader(loopback.getInputStream(), StandardCharsets.UTF_8))
                .readLine();
        if (ready == null || !ready.startsWith("READY ")) {
            throw new AssertionError("the loopback process in " + name + " did not start; it printed " + ready);
        }
    }

    String name() {
        return name;
    }

    Path path() {
        return Path.of("/var/run/netns", name);
    }

    /**
     * {@code ip netns exec NAME ss -tinH}: the connected sockets of this namespace as raw flow
     * labels, {@code (SRC#IP|PORT)(DST#IP|PORT)}, with their {@code cwnd}.
     */
    Map<String, Long> ssFlows() throws IOException {
        E2e.Result r = E2e.run(List.of("ip", "netns", "exec", name, "ss", "-tinH"), null, E2e.COMMAND_TIMEOUT);
        if (r.exitCode() != 0) {
            throw new AssertionError(r.toString());
        }
        Map<String, Long> flows = new LinkedHashMap<>();
        String label = null;
        for (String line : r.stdout().split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            if (!Character.isWhitespace(line.charAt(0))) {
                String[] t = line.strip().split("\\s+");
                label = "(SRC#" + endpoint(t[3]) + ")(DST#" + endpoint(t[4]) + ")";
                flows.put(label, -1L);
            } else if (label != null) {
                for (String token : line.strip().split("\\s+")) {
                    if (token.startsWith("cwnd:")) {
                        flows.put(label, Long.parseLong(token.substring("cwnd:".length())));
                    }
                }
            }
        }
        return flows;
    }

    /** {@code 127.0.0.1:80} to {@code 127.0.0.1|80}; a v4-mapped {@code [::ffff:127.0.0.1]} is labelled as IPv4. */
    private static String endpoint(String ss) {
        int colon = ss.lastIndexOf(':');
        String host = ss.substring(0, colon);
        if (host.startsWith("[::ffff:") && host.indexOf('.') > 0) {
            host = host.substring("[::ffff:".length(), host.length() - 1);
        }
        return host + "|" + ss.substring(colon + 1);
    }

    /** Deletes the name (the namespace lives on while its process does); a second call does nothing. */
    void deleteName() throws IOException {
        if (!deleted) {
            deleted = true;
            ip("netns", "del", name);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            if (loopback != null) {
                loopback.getOutputStream().close();
                try {
                    if (!loopback.waitFor(5, TimeUnit.SECONDS)) {
                        E2e.stop(loopback);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    E2e.stop(loopback);
                }
            }
        } finally {
            deleteName();
        }
    }

    private static void ip(String... args) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        E2e.Result r = E2e.run(command, null, Duration.ofSeconds(30));
        if (r.exitCode() != 0) {
            throw new IOException(r.toString());
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
