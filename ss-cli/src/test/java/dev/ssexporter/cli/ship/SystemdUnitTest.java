package dev.ssexporter.cli.ship;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deploy/systemd}: the unit and its process-attribution drop-in pass
 * {@code systemd-analyze verify} without a single warning, stay under an exposure level in
 * {@code systemd-analyze security}, and hold the settings the deployment guide promises.
 *
 * <p>systemd-analyze runs against a scratch root holding a copy of the system's unit files, the
 * unit (and drop-in) under test, and a stand-in for the executable it starts, so the check does
 * not depend on ss-exporter being installed here.
 */
class SystemdUnitTest {
    private static final String UNIT = "deploy/systemd/ss-exporter.service";
    private static final String DROP_IN = "deploy/systemd/process-attribution.conf";

    @TempDir
    Path tmp;

    @Test
    void unitVerifiesWithoutWarnings() throws Exception {
        Path root = scratchRoot(false);
        Ship.Result r = analyze("verify", root, "--man=no", "--generators=no");
        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(r.stdout() + r.stderr()).as("%s", r).isBlank();
    }

    @Test
    void unitWithTheAttributionDropInVerifiesWithoutWarnings() throws Exception {
        Path root = scratchRoot(true);
        Ship.Result r = analyze("verify", root, "--man=no", "--generators=no");
        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(r.stdout() + r.stderr()).as("%s", r).isBlank();
    }

    /** systemd's exposure level, 0 (locked down) to 10; --threshold takes it times ten. */
    @Test
    void exposureStaysLow() throws Exception {
        Ship.Result plain = analyze("security", scratchRoot(false), "--offline=yes", "--threshold=20");
        assertThat(plain.exitCode()).as("exposure of the unit must be at most 2.0: %s", plain).isZero();
        Ship.Result attribution = analyze("security", scratchRoot(true), "--offline=yes", "--threshold=30");
        assertThat(attribution.exitCode()).as("exposure with process attribution must be at most 3.0: %s",
                attribution).isZero();
    }

    @Test
    void unitRunsUnprivilegedWithTheHardeningTheGuidePromises() {
        Map<String, List<String>> s = settings(Ship.read(UNIT));
        assertThat(s.get("DynamicUser")).containsExactly("yes");
        assertThat(s.get("CapabilityBoundingSet")).containsExactly("");
        assertThat(s.get("AmbientCapabilities")).containsExactly("");
        assertThat(s.get("NoNewPrivileges")).containsExactly("yes");
        assertThat(s.get("ProtectSystem")).containsExactly("strict");
        assertThat(s.get("ProtectHome")).containsExactly("yes");
        assertThat(s.get("PrivateTmp")).containsExactly("yes");
        assertThat(s.get("SystemCallArchitectures")).containsExactly("native");
        assertThat(s.get("RestrictAddressFamilies")).containsExactly("AF_NETLINK AF_INET AF_INET6 AF_UNIX");
        assertThat(s.get("MemoryMax")).containsExactly("256M");
        assertThat(s).doesNotContainKeys("User", "MemoryDenyWriteExecute", "PrivateNetwork", "PrivateUsers");
        String exec = String.join(" ", s.get("ExecStart"));
        assertThat(exec).contains("--enable-native-access=ALL-UNNAMED", "-Xmx40m", "-jar /opt/ss-exporter/ss-exporter.jar",
                "--port=8020", "--config=/etc/ss-exporter/config.yml");
        assertThat(s.get("ExecReload")).as("systemctl reload sends SIGHUP").containsExactly("/bin/kill -HUP $MAINPID");
    }

    @Test
    void dropInAddsOnlyTheTwoCapabilitiesAndShowsOtherProcesses() {
        Map<String, List<String>> s = settings(Ship.read(DROP_IN));
        assertThat(s.get("CapabilityBoundingSet")).containsExactly("CAP_SYS_PTRACE CAP_DAC_READ_SEARCH");
        assertThat(s.get("AmbientCapabilities")).containsExactly("CAP_SYS_PTRACE CAP_DAC_READ_SEARCH");
        assertThat(s.get("ProtectProc")).containsExactly("default");
        assertThat(s.keySet()).containsExactlyInAnyOrder("CapabilityBoundingSet", "AmbientCapabilities", "ProtectProc");
    }

    /** Setting name to its values, in order; continuation lines joined. */
    private static Map<String, List<String>> settings(String unit) {
        Map<String, List<String>> s = new LinkedHashMap<>();
        String joined = unit.replace("\\\n", " ");
        for (String line : joined.lines().toList()) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#") || l.startsWith("[")) {
                continue;
            }
            int eq = l.indexOf('=');
            s.computeIfAbsent(l.substring(0, eq), k -> new ArrayList<>()).add(l.substring(eq + 1).strip()
                    .replaceAll("\\s+", " "));
        }
        return s;
    }

    private Ship.Result analyze(String verb, Path root, String... options) throws Exception {
        Path tool = Ship.requireTool("systemd-analyze", "systemd");
        List<String> cmd = new ArrayList<>(List.of(tool.toString(), verb, "--root=" + root));
        cmd.addAll(List.of(options));
        cmd.add(root.resolve("etc/systemd/system/ss-exporter.service").toString());
        return Ship.run(tmp, cmd);
    }

    /** A root with the system's units, the unit under test (and the drop-in), and its executables. */
    private Path scratchRoot(boolean dropIn) throws IOException {
        Path root = Files.createTempDirectory(tmp, "root-");
        Path systemUnits = Path.of("/usr/lib/systemd/system");
        if (!Files.isDirectory(systemUnits)) {
            throw new AssertionError(systemUnits + " is missing; install the Debian package systemd");
        }
        Path units = Files.createDirectories(root.resolve("usr/lib/systemd/system"));
        try (Stream<Path> files = Files.list(systemUnits)) {
            for (Path f : files.filter(f -> Files.isRegularFile(f) && !Files.isSymbolicLink(f)).toList()) {
                Files.copy(f, units.resolve(f.getFileName().toString()));
            }
        }
        Path etc = Files.createDirectories(root.resolve("etc/systemd/system"));
        Files.copy(Ship.file(UNIT), etc.resolve("ss-exporter.service"), StandardCopyOption.REPLACE_EXISTING);
        if (dropIn) {
            Path d = Files.createDirectories(etc.resolve("ss-exporter.service.d"));
            Files.copy(Ship.file(DROP_IN), d.resolve("process-attribution.conf"));
        }
        for (String key : List.of("ExecStart", "ExecReload")) {
            String exec = settings(Ship.read(UNIT)).get(key).getFirst().split(" ")[0];
            Path binary = root.resolve(exec.substring(1));
            Files.createDirectories(binary.getParent());
            Files.writeString(binary, "#!/bin/sh\n");
            Files.setPosixFilePermissions(binary, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return root;
    }
}
