package dev.ssexporter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckConfigCommandTest {
    @TempDir
    Path dir;

    @Test
    void aValidConfigIsOk() throws IOException {
        Path file = dir.resolve("config.yml");
        Files.writeString(file, """
                logic:
                  metrics:
                    gauges:
                      active: true
                      rtt: { active: true }
                  selection:
                    portRanges:
                      - lower: 80
                        upper: 443
                """);
        Cli.Result r = Cli.run("check-config", "--config=" + file);
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).isEqualTo(file + ": OK\n");
        assertThat(r.err()).isEmpty();
        assertThat(Cli.run("check-config", "-c", file.toString()).out()).isEqualTo(file + ": OK\n");
    }

    @Test
    void anInvalidConfigPrintsEveryErrorAndExits1() throws IOException {
        Path file = dir.resolve("bad.yml");
        Files.writeString(file, """
                logic:
                  selection:
                    peering:
                      networks: ["10.0.0.0/33"]
                    portRanges:
                      - lower: 443
                        upper: 80
                """);
        Cli.Result r = Cli.run("check-config", "-c", file.toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().lines().toList()).hasSize(2).allSatisfy(line -> assertThat(line).startsWith(file + ":"));
        assertThat(r.err()).contains("logic.selection.peering.networks[0]", "logic.selection.portRanges[0]")
                .doesNotContain("Exception", "\tat ");
    }

    @Test
    void aMissingFileIsAnError() {
        Path file = dir.resolve("missing.yml");
        Cli.Result r = Cli.run("check-config", "-c", file.toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).isEqualTo(file + ": no such file\n");
    }

    @Test
    void theConfigOptionIsRequired() {
        Cli.Result r = Cli.run("check-config");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).startsWith("Missing required option: '--config=FILE'\n")
                .contains("Usage: ss-exporter check-config");
    }
}
