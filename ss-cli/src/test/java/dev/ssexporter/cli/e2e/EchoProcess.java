package dev.ssexporter.cli.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@link EchoServer} running in its own JVM, started through a symlink named {@link #COMM} to
 * the test's {@code java}, so the kernel names the process {@link #COMM}
 * ({@code /proc/PID/comm}) and a {@code cmds} selection can pick it out from every other JVM.
 */
final class EchoProcess implements AutoCloseable {
    /**
     * The echo server's command name: distinct from {@code java}, at most 15 characters, and
     * unique to this test JVM ({@code ssx-echo-} and 6 hex digits), so that a {@code cmds}
     * selection does not also pick the echo servers of other test runs on the same machine.
     */
    static final String COMM = "ssx-echo-"
            + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(2);

    private final Process process;
    private final Path link;
    private final Endpoint v4;
    private final Endpoint mapped;
    private final Endpoint v6;

    private EchoProcess(Process process, Path link, Endpoint v4, Endpoint mapped, Endpoint v6) {
        this.process = process;
        this.link = link;
        this.v4 = v4;
        this.mapped = mapped;
        this.v6 = v6;
    }

    /** Starts the echo server; {@code dir} holds the symlink. Returns once it listens. */
    static EchoProcess start(Path dir) throws IOException {
        Path link = dir.resolve(COMM);
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, E2e.javaBinary());
        Path classes;
        try {
            classes = Path.of(EchoServer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IOException("cannot locate the test classes", e);
        }
        Process p = E2e.start(new ProcessBuilder(List.of(link.toString(), "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp", classes.toString(), EchoServer.class.getName()))
                .redirectError(ProcessBuilder.Redirect.INHERIT));
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String ready = CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (IOException e) {
                    return "(stdout failed: " + e + ")";
                }
            }).get(E2e.START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (ready == null || !ready.startsWith("READY ")) {
                throw new AssertionError("echo server did not start: its first line was " + ready
                        + (p.isAlive() ? "" : "; exit code " + p.waitFor()));
            }
            String[] ports = ready.split(" ");
            EchoProcess echo = new EchoProcess(p, link, Endpoint.of("127.0.0.1", Integer.parseInt(ports[1])),
                    Endpoint.of("127.0.0.1", Integer.parseInt(ports[2])), Endpoint.of("::1", Integer.parseInt(ports[3])));
            E2e.poll("the echo server's /proc/PID/comm to be " + COMM, Duration.ofSeconds(5), Duration.ofMillis(50),
                    echo::comm, COMM::equals);
            return echo;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            E2e.stop(p);
            throw new AssertionError("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            E2e.stop(p);
            throw new AssertionError("echo server did not print READY within " + E2e.START_TIMEOUT.toSeconds() + " s", e);
        } catch (RuntimeException | Error e) {
            E2e.stop(p);
            throw e;
        }
    }

    long pid() {
        return process.pid();
    }

    /** The process's name as the kernel has it; {@value #COMM} once started. */
    String comm() throws IOException {
        return Files.readString(Path.of("/proc", Long.toString(pid()), "comm"), StandardCharsets.UTF_8).strip();
    }

    /** Where it listens on IPv4 ({@code 127.0.0.1}) with an {@code AF_INET} socket. */
    Endpoint v4() {
        return v4;
    }

    /**
     * Where it listens on {@code 127.0.0.1} with a dual-stack {@code AF_INET6} socket: the kernel
     * reports both ends of these connections as {@code ::ffff:127.0.0.1}, the label as IPv4.
     */
    Endpoint mapped() {
        return mapped;
    }

    /** Where it listens on IPv6 ({@code ::1}). */
    Endpoint v6() {
        return v6;
    }

    /** Whether {@code e} is one of the listening endpoints, i.e. the server side of a connection. */
    boolean isServer(Endpoint e) {
        return e.equals(v4) || e.equals(mapped) || e.equals(v6);
    }

    /**
     * Whether a flow label belongs to a connection with this echo server: a raw label with a
     * listening endpoint at either end, or a pid_condensed label towards a listening endpoint or
     * owned by this process. Cheap enough for every series of a 100 000-socket scrape.
     */
    boolean concerns(String flow) {
        boolean candidate = flow.contains("|" + v4.port() + ")") || flow.contains("|" + mapped.port() + ")")
                || flow.contains("|" + v6.port() + ")") || flow.contains(Long.toString(pid()));
        if (!candidate) {
            return false;
        }
        FlowLabel f = FlowLabel.parse(flow);
        return f.isRaw() ? isServer(f.local()) || isServer(f.remote())
                : isServer(f.remote()) || f.pids().contains(pid());
    }

    /** The filter for {@code ss} that shows both sockets of every connection with this server. */
    String ssFilter() {
        return "( " + Ss.either(v4) + " or " + Ss.either(mapped) + " or " + Ss.either(v6) + " )";
    }

    @Override
    public void close() {
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // Already gone; stop() below makes sure.
        }
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                E2e.stop(process);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            E2e.stop(process);
        }
        try {
            Files.deleteIfExists(link);
        } catch (IOException ignored) {
            // Left for the temp dir's cleanup.
        }
    }
}
