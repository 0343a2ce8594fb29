package dev.ssexporter.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** probe() in a JVM that refuses native access says which flag to add. */
class ProbeDeniedTest {

    private static String runProbe(List<String> jvmFlags) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new java.util.ArrayList<>();
        command.add(java);
        command.addAll(jvmFlags);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ProbeMain.class.getName()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    @Test
    void deniedNativeAccessNamesTheFlag() throws Exception {
        String out = runProbe(List.of("--illegal-native-access=deny"));
        assertThat(out).contains("available=false")
                .contains("cause=native access is not enabled for the unnamed module (class path)")
                .contains("add --enable-native-access=ALL-UNNAMED to the java command line");
    }

    @Test
    void grantedNativeAccessIsAvailable() throws Exception {
        String out = runProbe(List.of("--enable-native-access=ALL-UNNAMED"));
        assertThat(out).contains("available=true").contains("cause=null");
    }
}
