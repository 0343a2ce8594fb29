package dev.ssexporter.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssexporter.core.process.ProcessAccess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real jar as {@code nobody} with no capabilities at all
 * ({@code setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=-all --bounding-set=-all}):
 * socket statistics of its own network namespace need no privilege, so {@code /metrics} shows the
 * same connections as {@code ss}; and a config that asks for process attribution starts anyway,
 * with one warning that names the missing capabilities.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LeastPrivilegeIT {
    private static final String WARNING = "lacks CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH";

    @TempDir
    static Path tmp;

    /** World-readable: the jar and configs nobody reads (the temp dir itself is 0700). */
    private Path shared;
    private Path jar;
    private EchoProcess echo;
    private final List<Connection> connections = new ArrayList<>();

    @BeforeAll
    void setUp() throws IOException {
        shared = tmp.resolve("shared");
        Files.createDirectories(shared);
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x"));
        jar = Files.copy(E2e.jar(), shared.resolve("ss-exporter.jar"), StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-r--r--"));
        echo = EchoProcess.start(tmp);
        for (int m : new int[] {1, 2, 3}) {
            connections.add(Connection.open(echo.v4()).exchange(m));
        }
        for (int m : new int[] {4, 5}) {
            connections.add(Connection.open(echo.v6()).exchange(m));
        }
    }

    @AfterAll
    void tearDown() throws IOException {
        for (Connection c : connections) {
            c.close();
        }
        if (echo != null) {
            echo.close();
        }
    }

    private static List<String> asNobody() {
        String setpriv = E2e.requireTool("setpriv", "util-linux").toString();
        return List.of(setpriv, "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--inh-caps=-all",
                "--bounding-set=-all", "--");
    }

    private Path config(String name, String yaml) throws IOException {
        Path file = Files.writeString(shared.resolve(name), yaml, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        return file;
    }

    /** The JVM really runs as nobody (uid 65534) with no effective or bounding capability. */
    private static void assertUnprivileged(Exporter exporter) throws IOException {
        List<String> status = Files.readAllLines(Path.of("/proc/" + exporter.pid() + "/status"));
        assertThat(status).as("/proc/%d/status", exporter.pid())
                .anySatisfy(l -> assertThat(l).matches("Uid:\\s+65534\\s+65534\\s+65534\\s+65534"))
                .anySatisfy(l -> assertThat(l).isEqualTo("CapEff:\t0000000000000000"))
                .anySatisfy(l -> assertThat(l).isEqualTo("CapBnd:\t0000000000000000"));
    }

    @Test
    void nobodyWithoutCapabilitiesServesTheSocketsSsShows() throws Exception {
        List<Ss.Sock> ss = Ss.settle(echo.ssFilter(), 2 * connections.size());
        try (Exporter exporter = Exporter.start(tmp, null, asNobody(), jar)) {
            assertUnprivileged(exporter);
            Exposition scrape = exporter.scrape(echo::concerns);
            assertThat(scrape.value("ss_exporter_scrape_success")).as("stderr:%n%s", exporter.stderr()).isEqualTo(1.0);
            Set<String> fromSs = ss.stream().map(Ss.Sock::flow).collect(Collectors.toCollection(TreeSet::new));
            assertThat(fromSs).hasSize(2 * connections.size());
            assertThat(scrape.flows("tcp_rtt").keySet()).as("the echo connections' flows, as nobody")
                    .isEqualTo(fromSs);
            assertThat(exporter.stderr()).doesNotContain(WARNING);
        }
    }

    @Test
    void attributionWithoutTheCapabilitiesWarnsOnceAndStillServes() throws Exception {
        Path config = config("pid.yml", """
                logic:
                  compression:
                    labelFolding: "pid_condensed"
                """);
        try (Exporter exporter = Exporter.start(tmp, config, asNobody(), jar)) {
            assertUnprivileged(exporter);
            for (int i = 0; i < 3; i++) {
                Exposition scrape = exporter.scrape();
                assertThat(scrape.value("ss_exporter_scrape_success")).isEqualTo(1.0);
                assertThat(scrape.value("ss_exporter_proc_errors_total"))
                        .as("root's processes (the echo server's among them) are unreadable for nobody")
                        .isPositive();
            }
            String log = exporter.stderr();
            assertThat(log.split(WARNING, -1)).as("the warning, exactly once, in:%n%s", log).hasSize(2);
            assertThat(log).contains("Run as root", "process-attribution overlay");
        }
        if (ProcessAccess.check(Path.of("/proc/self/status")).complete()) {
            // The same config with this test's own capabilities: nothing to warn about.
            try (Exporter exporter = Exporter.start(tmp, config)) {
                exporter.scrape();
                assertThat(exporter.stderr()).doesNotContain(WARNING);
            }
        }
    }
}
