package dev.ssexporter.cli.e2e;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * What every end-to-end test shares: the JDK and the shaded jar under test, the external tools,
 * bounded polling, and running a short command to completion.
 *
 * <p>Tools the tests compare against ({@code ss}, {@code promtool}, {@code prometheus}) must be
 * installed: a missing one fails the test with the package to install, it never skips it.
 */
final class E2e {
    /** How long a started JVM (exporter, echo server) may take to answer on a loaded 2-CPU box. */
    static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    /** How long an external command ({@code ss}, {@code promtool}) may run. */
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

    /** Child processes still running; a shutdown hook kills them if a test could not. */
    private static final Set<Process> CHILDREN = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("e2e-children").unstarted(
                () -> CHILDREN.forEach(Process::destroyForcibly)));
    }

    private E2e() {}

    /**
     * Starts {@code pb} and remembers the process until it exits, so that a test JVM ended by
     * failsafe's timeout or Ctrl-C does not leave exporters or Prometheus servers behind.
     */
    static Process start(ProcessBuilder pb) throws IOException {
        Process p = pb.start();
        CHILDREN.add(p);
        p.onExit().thenRun(() -> CHILDREN.remove(p));
        return p;
    }

    /** The {@code java} binary of the JDK running the tests (JDK 25, selected by the toolchain). */
    static Path javaBinary() {
        return ProcessHandle.current().info().command().map(Path::of)
                .orElseThrow(() -> new AssertionError("cannot tell the path of the test JVM's java binary"));
    }

    /** The shaded jar failsafe names in {@code -Dssexporter.jar}; fails when it is not there. */
    static Path jar() {
        String value = System.getProperty("ssexporter.jar");
        if (value == null || value.isBlank()) {
            fail("system property ssexporter.jar is not set; run the e2e tests through failsafe "
                    + "(mvn -pl ss-cli -am verify), which passes the path of ss-cli/target/ss-exporter.jar");
        }
        Path jar = Path.of(value);
        if (!Files.isRegularFile(jar)) {
            fail("the exporter jar " + jar + " does not exist; it is built in the package phase of ss-cli");
        }
        return jar;
    }

    /** The command's path on {@code PATH}; fails with the package that provides it when missing. */
    static Path requireTool(String name, String debianPackage) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError(name + " is not installed (not found on PATH=" + path + "); this test needs it: "
                + "install the Debian package " + debianPackage + " (.ci/run does)");
    }

    /**
     * Calls {@code attempt} until {@code done} accepts its result, at most for {@code timeout},
     * pausing {@code pause} between calls. Returns the accepted result; fails with
     * {@code what} and the last result (or exception) when time runs out.
     */
    static <T> T poll(String what, Duration timeout, Duration pause, Callable<T> attempt, Predicate<? super T> done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = null;
        Exception lastError = null;
        while (true) {
            try {
                last = attempt.call();
                lastError = null;
                if (done.test(last)) {
                    return last;
                }
            } catch (Exception e) {
                lastError = e;
            }
            if (System.nanoTime() - deadline > 0) {
                AssertionError error = new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for "
                        + what + (lastError == null ? "; last seen: " + last : "; last attempt failed: " + lastError));
                if (lastError != null) {
                    error.initCause(lastError);
                }
                throw error;
            }
            sleep(pause);
        }
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** A finished command: exit code and its whole stdout and stderr. */
    record Result(List<String> command, int exitCode, String stdout, String stderr) {
        List<String> stdoutLines() {
            return stdout.lines().toList();
        }

        List<String> stderrLines() {
            return stderr.lines().toList();
        }

        @Override
        public String toString() {
            return String.join(" ", command) + " exited " + exitCode + "\n--- stdout:\n" + abbreviate(stdout)
                    + "\n--- stderr:\n" + abbreviate(stderr);
        }
    }

    /**
     * Runs {@code command} to completion within {@code timeout}, feeding it {@code stdin} (may be
     * null), output captured in files so a large output never blocks the child.
     */
    static Result run(List<String> command, String stdin, Duration timeout) throws IOException {
        Path out = Files.createTempFile("ssx-e2e-", ".out");
        Path err = Files.createTempFile("ssx-e2e-", ".err");
        Path in = null;
        try {
            ProcessBuilder pb = new ProcessBuilder(command)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            if (stdin != null) {
                in = Files.createTempFile("ssx-e2e-", ".in");
                Files.writeString(in, stdin, StandardCharsets.UTF_8);
                pb.redirectInput(in.toFile());
            } else {
                pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            }
            Process p = start(pb);
            try {
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new AssertionError(String.join(" ", command) + " did not finish within "
                            + timeout.toSeconds() + " s; stderr so far:\n" + Files.readString(err));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while running " + command, e);
            } finally {
                stop(p);
            }
            return new Result(List.copyOf(command), p.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            if (in != null) {
                Files.deleteIfExists(in);
            }
        }
    }

    /** Ends {@code p}: SIGTERM, then SIGKILL after 5 s; waits for it. Safe on a finished process. */
    static void stop(Process p) {
        if (p == null || !p.isAlive()) {
            return;
        }
        p.destroy();
        try {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** At most the last 60 lines of {@code text}, for failure messages. */
    static String abbreviate(String text) {
        List<String> lines = text.lines().toList();
        if (lines.size() <= 60) {
            return text;
        }
        List<String> tail = new ArrayList<>();
        tail.add("... (" + (lines.size() - 60) + " lines before)");
        tail.addAll(lines.subList(lines.size() - 60, lines.size()));
        return String.join("\n", tail);
    }
}
