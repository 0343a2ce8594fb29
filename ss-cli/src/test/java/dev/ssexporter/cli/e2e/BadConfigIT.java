package dev.ssexporter.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A bad config stops the real jar before it serves: exit code 1 within a few seconds, every error
 * on stderr as {@code FILE:LINE:COLUMN: KEY PATH: MESSAGE} (docs/configuration.md, "Errors"), and
 * no stack trace. {@code check-config} reports the same errors with exit 1, and {@code FILE: OK}
 * with exit 0 for a good file.
 */
class BadConfigIT {
    /** JVM start-up plus config parsing: under a second normally, a few on a loaded 2-CPU machine. */
    private static final Duration EXIT_WITHIN = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    /** Name, file content, and the exact error lines after {@code FILE:} in order. */
    static Stream<Arguments> badConfigs() {
        return Stream.of(
                Arguments.of("misspelt key", """
                        logic:
                          metrics:
                            gauges:
                              actve: true
                        """, List.of("4:7: logic.metrics.gauges.actve: unknown key; did you mean 'active'?")),
                Arguments.of("invalid CIDR", """
                        logic:
                          selection:
                            peering:
                              networks: ["10.0.0.0/8", "10.0.0.0/33"]
                        """, List.of("4:32: logic.selection.peering.networks[1]: invalid CIDR \"10.0.0.0/33\": "
                        + "prefix length 33 exceeds 32 for IPv4")),
                Arguments.of("two errors, both reported in file order", """
                        logic:
                          compression:
                            labelFolding: "pid"
                          selection:
                            portRanges:
                              - {lower: 443, upper: 80}
                        """, List.of(
                        "3:19: logic.compression.labelFolding: unknown label folding \"pid\"; "
                                + "expected \"raw_endpoint\" or \"pid_condensed\"",
                        "6:9: logic.selection.portRanges[0]: port range is inverted: lower 443 > upper 80")),
                Arguments.of("wrong types", """
                        logic:
                          metrics:
                            gauges:
                              active: yes
                          selection:
                            process:
                              pids: ["1000"]
                        """, List.of(
                        "4:15: logic.metrics.gauges.active: expected a boolean (true or false), got the string \"yes\"",
                        "7:14: logic.selection.process.pids[0]: expected an integer, got the string \"1000\"")));
    }

    @ParameterizedTest(name = "serve: {0}")
    @MethodSource("badConfigs")
    void serveRefusesToStart(String name, String yaml, List<String> errors) throws IOException {
        Path config = Files.writeString(dir.resolve("bad.yml"), yaml);
        E2e.Result r = runJar(List.of("--port=0", "--listen-address", "127.0.0.1", "--config=" + config));
        assertErrors(r, config, errors);
        assertThat(r.stderr()).as("stderr says the exporter is not starting: %s", r).contains("not starting");
        assertThat(r.stdout() + r.stderr()).as("no server came up: %s", r).doesNotContain("listening on");
    }

    @ParameterizedTest(name = "check-config: {0}")
    @MethodSource("badConfigs")
    void checkConfigReportsTheSameErrors(String name, String yaml, List<String> errors) throws IOException {
        Path config = Files.writeString(dir.resolve("bad.yml"), yaml);
        E2e.Result r = runJar(List.of("check-config", "-c", config.toString()));
        assertErrors(r, config, errors);
        assertThat(r.stdout()).as("nothing claims the file is OK: %s", r).doesNotContain("OK");
    }

    @Test
    void yamlSyntaxErrorHasLineAndColumnButNoKeyPath() throws IOException {
        Path config = Files.writeString(dir.resolve("broken.yml"), "logic:\n  metrics: [\n");
        E2e.Result r = runJar(List.of("--port=0", "--listen-address", "127.0.0.1", "--config=" + config));
        assertThat(r.exitCode()).as("exit code: %s", r).isEqualTo(1);
        assertThat(r.stderrLines()).as("stderr: %s", r)
                .anyMatch(l -> l.matches(Pattern.quote(config.toString()) + ":\\d+:\\d+: YAML syntax error: .+"));
        assertNoStackTrace(r);
    }

    @Test
    void missingFileIsOneLineWithoutPosition() throws IOException {
        Path config = dir.resolve("absent.yml");
        E2e.Result r = runJar(List.of("--port=0", "--listen-address", "127.0.0.1", "--config=" + config));
        assertThat(r.exitCode()).as("exit code: %s", r).isEqualTo(1);
        assertThat(r.stderrLines()).as("stderr: %s", r).contains(config + ": no such file");
        assertNoStackTrace(r);
    }

    @Test
    void checkConfigAcceptsAGoodFile() throws IOException {
        Path config = Files.writeString(dir.resolve("good.yml"), """
                logic:
                  compression:
                    labelFolding: pid_condensed
                  selection:
                    peering:
                      networks:
                        exclude: ["127.0.0.0/8", "::1"]
                    portRanges:
                      - {lower: 80, upper: 443}
                """);
        E2e.Result r = runJar(List.of("check-config", "-c", config.toString()));
        assertThat(r.exitCode()).as("exit code: %s", r).isEqualTo(0);
        assertThat(r.stdoutLines()).as("stdout: %s", r).containsExactly(config + ": OK");
        assertNoStackTrace(r);
    }

    private static E2e.Result runJar(List<String> args) throws IOException {
        long start = System.nanoTime();
        E2e.Result r = E2e.run(Exporter.command(args), null, EXIT_WITHIN);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(took).as("time to exit: %s", r).isLessThan(EXIT_WITHIN);
        return r;
    }

    private static void assertErrors(E2e.Result r, Path config, List<String> errors) {
        assertThat(r.exitCode()).as("exit code (1: invalid config): %s", r).isEqualTo(1);
        List<String> expected = errors.stream().map(e -> config + ":" + e).toList();
        List<String> reported = r.stderrLines().stream().filter(l -> l.startsWith(config + ":")).toList();
        assertThat(reported).as("the error lines on stderr: %s", r).containsExactlyElementsOf(expected);
        assertNoStackTrace(r);
    }

    private static void assertNoStackTrace(E2e.Result r) {
        String all = r.stdout() + r.stderr();
        assertThat(all).as("no stack trace: %s", r)
                .doesNotContain("at dev.")
                .doesNotContain("Exception in thread")
                .doesNotContainPattern("(?m)^\\s+at [a-z]")
                .doesNotContain("Caused by:");
    }
}
