package dev.ssexporter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssexporter.core.config.SampleConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Model.OptionSpec;

/** The plain serve lines read without picocli: the same values as picocli, and nothing else. */
class PlainServeArgsTest {
    @TempDir
    Path dir;

    /** The options of {@code s}, to compare two readings. */
    private static List<Object> options(ServeCommand s) {
        return Arrays.asList(s.port, s.config, s.listenAddress, s.webConfigFile, s.logLevel, s.procRoot,
                s.createConfig);
    }

    @Test
    void readsPlainLinesAsPicocliDoes() {
        List<String[]> lines = List.of(
                new String[] {},
                new String[] {"--port=8020", "--config=/config.yml"},
                new String[] {"--port", "9100", "--config", "x.yml"},
                new String[] {"-p", "0", "-c", "rel/x.yml", "--listen-address", "::1", "--log-level", "DEBUG",
                    "--proc-root=/host/proc", "--web.config.file=/etc/web.yml"},
                new String[] {"--listen-address=127.0.0.1", "--log-level=warn", "--port=65535"},
                new String[] {"--config=a=b.yml", "--port", " 8021 "},
                new String[] {"--create-config", "sample.yml"},
                new String[] {"--log-level", "error", "--proc-root", "/proc"},
                new String[] {"-c=x.yml", "-p=9"},
                new String[] {"--config=dumps", "--listen-address", "helper"});
        for (String[] args : lines) {
            String line = String.join(" ", args);
            ServeCommand plain = PlainServeArgs.parse(args).orElseThrow(() -> new AssertionError("declined: " + line));
            assertThat(options(plain)).as(line).isEqualTo(options(Cli.parse(args)));
            assertThat(plain.spec).as(line).isNull();
        }
    }

    @Test
    void leavesEveryOtherLineToPicocli() {
        List<String[]> lines = List.of(
                new String[] {"--help"}, new String[] {"-h"}, new String[] {"--version"}, new String[] {"-V"},
                new String[] {"dump"}, new String[] {"dump", "--json"}, new String[] {"check-config", "-c", "x.yml"},
                new String[] {"help"}, new String[] {"serve"}, new String[] {"--prot=8020"}, new String[] {"-x"},
                new String[] {"-p8020"}, new String[] {"--port"}, new String[] {"--config", "--port", "1"},
                new String[] {"--port=80200"}, new String[] {"--port=http"}, new String[] {"--log-level=verbose"},
                new String[] {"--port=1", "--port=2"}, new String[] {"-p", "1", "--port", "2"},
                new String[] {"--config="}, new String[] {"@args.txt"}, new String[] {"--config", "@args.txt"},
                new String[] {"--", "--port=1"}, new String[] {"--create-config", "-"},
                new String[] {"--port=1", "--help"}, new String[] {"--proc-root=/proc\0x"},
                new String[] {"--config", "dump"}, new String[] {"--listen-address", "help"},
                new String[] {"-c", "check-config"}, new String[] {"--config=dump"});
        for (String[] args : lines) {
            assertThat(PlainServeArgs.parse(args)).as(String.join(" ", args)).isEmpty();
        }
    }

    @Test
    void namesEveryOptionOfServe() {
        Set<String> picocli = Main.commandLine().getCommandSpec().options().stream()
                .filter(o -> !o.usageHelp() && !o.versionHelp())
                .map(OptionSpec::names)
                .flatMap(Arrays::stream)
                .collect(Collectors.toSet());
        assertThat(PlainServeArgs.names()).isEqualTo(picocli);
        assertThat(PlainServeArgs.commands()).isEqualTo(Main.commandLine().getSubcommands().keySet());
    }

    @Test
    void plainLookingLinesItLeavesAreUsageErrorsInPicocli() {
        for (String[] args : List.<String[]>of(new String[] {"--config", "dump"},
                new String[] {"-p", "1", "--port", "2"}, new String[] {"--port=80200"},
                new String[] {"-c", "check-config"}, new String[] {"--config=help"})) {
            Cli.Result r = Cli.run(args);
            assertThat(r.exitCode()).as(String.join(" ", args)).isEqualTo(Exit.USAGE);
        }
    }

    @Test
    void aPlainCreateConfigRunsWithoutPicocli() throws IOException {
        Path file = dir.resolve("config.yml");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        ServeCommand serve = PlainServeArgs.parse("--create-config", file.toString()).orElseThrow()
                .printTo(new PrintWriter(out, true), new PrintWriter(err, true));
        assertThat(Main.serve(serve)).isZero();
        assertThat(out).hasToString("wrote a sample configuration to " + file + "\n");
        assertThat(err).hasToString("");
        assertThat(Files.readString(file)).isEqualTo(SampleConfig.text());
    }

    @Test
    void aPlainLineWithAnInvalidConfigFailsAsThroughPicocli() throws IOException {
        Path file = dir.resolve("bad.yml");
        Files.writeString(file, "logic:\n  metrics:\n    gauges:\n      actve: true\n");
        StringWriter err = new StringWriter();
        ServeCommand serve = PlainServeArgs.parse("--port=0", "--config=" + file).orElseThrow()
                .printTo(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        assertThat(Main.serve(serve)).isEqualTo(Exit.FAILURE);
        Cli.Result viaPicocli = Cli.run("--port=0", "--config=" + file);
        assertThat(viaPicocli.exitCode()).isEqualTo(Exit.FAILURE);
        assertThat(err.toString()).isEqualTo(viaPicocli.err())
                .endsWith("ss-exporter: not starting: the configuration " + file + " is invalid\n");
    }
}
