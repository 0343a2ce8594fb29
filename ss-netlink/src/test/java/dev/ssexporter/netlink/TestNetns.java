package dev.ssexporter.netlink;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A named network namespace made with {@code ip netns add} for one test, with {@code lo} up, and
 * optionally a {@link LoopbackMain} process holding connections inside it. {@link #close()} stops
 * the process and deletes the namespace; the name is unique per JVM and run, so a failed cleanup
 * never collides with the next test.
 */
final class TestNetns implements AutoCloseable {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final String name;
    private Process loopback;
    private boolean deleted;

    private TestNetns(String name) {
        this.name = name;
    }

    /** Adds a namespace and brings its loopback interface up; fails loudly without {@code ip}. */
    static TestNetns create() throws IOException, InterruptedException {
        String name = "ssx-t" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
        run("ip", "netns", "add", name);
        TestNetns ns = new TestNetns(name);
        try {
            run("ip", "netns", "exec", name, "ip", "link", "set", "lo", "up");
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            ns.delete();
            throw e;
        }
        return ns;
    }

    String name() {
        return name;
    }

    /** {@code /var/run/netns/NAME}. */
    Path path() {
        return Path.of("/var/run/netns", name);
    }

    /** Starts {@link LoopbackMain} with {@code connections} inside the namespace; returns its listening port. */
    int startLoopback(int connections) throws IOException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        String classes;
        try {
            classes = Path.of(LoopbackMain.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
        loopback = new ProcessBuilder("ip", "netns", "exec", name, java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", classes, LoopbackMain.class.getName(), Integer.toString(connections))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String ready = new BufferedReader(new InputStreamReader(loopback.getInputStream(), StandardCharsets.UTF_8))
                .readLine();
        if (ready == null || !ready.startsWith("READY ")) {
            throw new IOException("the loopback process in " + name + " did not start; it printed " + ready);
        }
        return Integer.parseInt(ready.substring("READY ".length()).strip());
    }

    /** The loopback process's PID ({@code ip netns exec} execs it, so it keeps ip's PID). */
    long loopbackPid() {
        return loopback.pid();
    }

    /** Stops the loopback process and deletes the namespace; a second call does nothing. */
    void delete() throws IOException {
        if (deleted) {
            return;
        }
        deleted = true;
        try {
            if (loopback != null) {
                loopback.getOutputStream().close();
                if (!loopback.waitFor(5, TimeUnit.SECONDS)) {
                    loopback.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
            run("ip", "netns", "del", name);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while deleting " + name, e);
        }
    }

    @Override
    public void close() throws IOException {
        delete();
    }

    static void run(String... command) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            fail("cannot run '" + command[0] + "' (" + e.getMessage() + "): install iproute2");
            return;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", List.of(command)) + " failed: " + out);
        }
    }

    @Override
    public String toString() {
        return "netns " + name;
    }
}
