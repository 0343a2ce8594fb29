package dev.ssexporter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssexporter.core.config.SampleConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The top command's options, help, version and --create-config; serving itself is in ServeLiveTest. */
class ServeCommandTest {
    @TempDir
    Path dir;

    private static ServeCommand parse(String... args) {
        return Cli.parse(args);
    }

    @Test
    void defaults() {
        ServeCommand s = parse();
        assertThat(s.port).isEqualTo(8020);
        assertThat(s.config).isNull();
        assertThat(s.listenAddress).isNull();
        assertThat(s.logLevel).isEqualTo(Logging.LogLevel.INFO);
        assertThat(s.procRoot).isEqualTo(Path.of("/proc"));
        assertThat(s.createConfig).isNull();
    }

    @Test
    void acceptsTheOriginalExportersFlags() {
        ServeCommand s = parse("--port=8020", "--config=/config.yml");
        assertThat(s.port).isEqualTo(8020);
        assertThat(s.config).isEqualTo(Path.of("/config.yml"));
    }

    @Test
    void acceptsShortAndLongForms() {
        ServeCommand s = parse("-p", "9100", "-c", "x.yml", "--listen-address", "::1", "--log-level", "DEBUG",
                "--proc-root=/host/proc");
        assertThat(s.port).isEqualTo(9100);
        assertThat(s.config).isEqualTo(Path.of("x.yml"));
        assertThat(s.listenAddress).isEqualTo("::1");
        assertThat(s.logLevel).isEqualTo(Logging.LogLevel.DEBUG);
        assertThat(s.procRoot).isEqualTo(Path.of("/host/proc"));
        assertThat(parse("-p9101").port).isEqualTo(9101);
        assertThat(parse("--port", "0").port).isZero();
        assertThat(parse("--log-level=warn").logLevel).isEqualTo(Logging.LogLevel.WARN);
        assertThat(parse("--log-level", "error").logLevel).isEqualTo(Logging.LogLevel.ERROR);
    }

    @Test
    void badValuesAreUsageErrors() {
        Cli.Result level = Cli.run("--log-level", "verbose");
        assertThat(level.exitCode()).isEqualTo(2);
        assertThat(level.err()).startsWith("Invalid value for option '--log-level': unknown log level "
                + "'verbose'; expected one of error, warn, info, debug\n").contains("Usage: ss-exporter ");
        Cli.Result port = Cli.run("--port=80200");
        assertThat(port.exitCode()).isEqualTo(2);
        assertThat(port.err().lines().findFirst().orElseThrow())
                .startsWith("Invalid value for option '--port'").endsWith(": port 80200 is outside 0..65535");
        for (String[] args : List.of(new String[] {"--prot=8020"}, new String[] {"serve"},
                new String[] {"--config"}, new String[] {"-x"})) {
            Cli.Result r = Cli.run(args);
            assertThat(r.exitCode()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(r.err()).as(String.join(" ", args)).contains("Usage: ss-exporter ");
            assertThat(r.out()).isEmpty();
        }
    }

    @Test
    void helpListsEveryOptionAndCommand() {
        Cli.Result r = Cli.run("--help");
        assertThat(r.exitCode()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).startsWith("Usage: ss-exporter ").contains(
                "-p, --port=PORT", "-c, --config=FILE", "--listen-address=HOST", "--log-level=LEVEL",
                "--proc-root=DIR", "--create-config=FILE", "-h, --help", "-V, --version",
                "Commands:", "  dump ", "  check-config ", "  help ",
                "Exit codes:", "  0 ", "  1 ", "  2 ");
        assertThat(Cli.run("-h").out()).isEqualTo(r.out());
        assertThat(Cli.run("help").out()).isEqualTo(r.out());
    }

    @Test
    void versionNamesTheExporterAndTheJava() {
        Cli.Result r = Cli.run("--version");
        assertThat(r.exitCode()).isZero();
        // Run from classes, there is no manifest; the jar's is checked by LauncherIT.
        assertThat(r.out()).startsWith("ss-exporter (development build)\nJava " + Runtime.version() + " (");
        assertThat(Cli.run("-V").out()).isEqualTo(r.out());
    }

    @Test
    void createConfigWritesTheSampleAndNeverOverwrites() throws IOException {
        Path file = dir.resolve("config.yml");
        Cli.Result r = Cli.run("--create-config", file.toString());
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).isEqualTo("wrote a sample configuration to " + file + "\n");
        assertThat(Files.readString(file)).isEqualTo(SampleConfig.text());

        Files.writeString(file, "mine");
        Cli.Result again = Cli.run("--create-config=" + file);
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).isEqualTo("ss-exporter: " + file + " already exists; not overwriting it\n");
        assertThat(Files.readString(file)).isEqualTo("mine");
    }

    @Test
    void createConfigToStdoutOrAMissingDirectory() {
        Cli.Result stdout = Cli.run("--create-config", "-");
        assertThat(stdout.exitCode()).isZero();
        assertThat(stdout.out()).isEqualTo(SampleConfig.text());

        Path missing = dir.resolve("no/such/dir/config.yml");
        Cli.Result r = Cli.run("--create-config", missing.toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("ss-exporter: cannot write " + missing + ": its directory does not exist\n");
    }

    @Test
    void theSampleConfigIsValid() {
        Path file = dir.resolve("sample.yml");
        assertThat(Cli.run("--create-config", file.toString()).exitCode()).isZero();
        Cli.Result r = Cli.run("check-config", "-c", file.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
    }

    @Test
    void anInvalidConfigStopsStartUpWithItsErrorsAndNoStackTrace() throws IOException {
        Path file = dir.resolve("bad.yml");
        Files.writeString(file, """
                logic:
                  metrics:
                    gauges:
                      actve: true
                  compression:
                    labelFolding: zip
                """);
        Cli.Result r = Cli.run("--port", "0", "--config", file.toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        List<String> lines = r.err().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith(file + ":4:7: logic.metrics.gauges.actve: ");
        assertThat(lines.get(1)).startsWith(file + ":6:19: logic.compression.labelFolding: ");
        assertThat(lines.get(2)).isEqualTo("ss-exporter: not starting: the configuration " + file + " is invalid");
        assertThat(r.err()).doesNotContain("Exception", "\tat ");
    }

    @Test
    void turnsOnTcpNoDelayUnlessTheCommandLineSetIt() {
        String before = System.getProperty(ServeCommand.NODELAY_PROPERTY);
        try {
            System.clearProperty(ServeCommand.NODELAY_PROPERTY);
            ServeCommand.noDelay();
            assertThat(System.getProperty(ServeCommand.NODELAY_PROPERTY)).isEqualTo("true");
            System.setProperty(ServeCommand.NODELAY_PROPERTY, "false");
            ServeCommand.noDelay();
            assertThat(System.getProperty(ServeCommand.NODELAY_PROPERTY)).isEqualTo("false");
        } finally {
            if (before == null) {
                System.clearProperty(ServeCommand.NODELAY_PROPERTY);
            } else {
                System.setProperty(ServeCommand.NODELAY_PROPERTY, before);
            }
        }
    }

    @Test
    void urlHostBracketsIpv6AndNamesAllInterfaces() {
        assertThat(ServeCommand.urlHost(null)).isEqualTo("0.0.0.0");
        assertThat(ServeCommand.urlHost("127.0.0.1")).isEqualTo("127.0.0.1");
        assertThat(ServeCommand.urlHost("::1")).isEqualTo("[::1]");
        assertThat(ServeCommand.urlHost("[::1]")).isEqualTo("[::1]");
        assertThat(ServeCommand.urlHost("localhost")).isEqualTo("localhost");
    }
}
