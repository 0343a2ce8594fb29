package dev.ssexporter.core.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessAccessTest {
    @TempDir
    Path tmp;

    @Test
    void rootWithTheDefaultCapabilitiesMissesNothing() {
        ProcessAccess a = ProcessAccess.ofStatus("Name:\tjava\nCapInh:\t0000000000000000\n"
                + "CapEff:\t000001ffffffffff\nCapBnd:\t000001ffffffffff\n").orElseThrow();
        assertThat(a.missing()).isEmpty();
        assertThat(a.complete()).isTrue();
        assertThat(a.warning()).isEmpty();
    }

    @Test
    void noCapabilitiesMissesBothAndTheWarningSaysWhatToDo() {
        ProcessAccess a = ProcessAccess.ofStatus("CapEff:\t0000000000000000\n").orElseThrow();
        assertThat(a.missing()).containsExactly("CAP_SYS_PTRACE", "CAP_DAC_READ_SEARCH");
        assertThat(a.warning()).hasValueSatisfying(w -> assertThat(w)
                .contains("lacks CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH")
                .contains("Run as root", "process-attribution overlay", "ss_exporter_proc_errors_total"));
    }

    @Test
    void theAttributionOverlaysTwoCapabilitiesAreEnough() {
        long ptraceAndDacRead = (1L << ProcessAccess.CAP_SYS_PTRACE) | (1L << ProcessAccess.CAP_DAC_READ_SEARCH);
        assertThat(ProcessAccess.ofCapEff(ptraceAndDacRead).missing()).isEmpty();
        assertThat(ProcessAccess.ofCapEff(1L << ProcessAccess.CAP_SYS_PTRACE).missing())
                .containsExactly("CAP_DAC_READ_SEARCH");
        assertThat(ProcessAccess.ofCapEff((1L << ProcessAccess.CAP_SYS_PTRACE) | (1L << ProcessAccess.CAP_DAC_OVERRIDE))
                .missing()).as("DAC_OVERRIDE covers the directory too").isEmpty();
        assertThat(ProcessAccess.ofCapEff(1L << ProcessAccess.CAP_DAC_READ_SEARCH).missing())
                .containsExactly("CAP_SYS_PTRACE");
    }

    @Test
    void aStatusWithoutCapEffIsAnError() throws IOException {
        Path status = Files.writeString(tmp.resolve("status"), "Name:\tjava\nCapEff:\tzz\n");
        assertThatThrownBy(() -> ProcessAccess.check(status))
                .isInstanceOf(IOException.class)
                .hasMessage(status + " has no readable CapEff line");
    }

    @Test
    void thisProcessHasAReadableCapEff() throws IOException {
        // The test runs as root or not; either way the line is there and parses.
        assertThat(ProcessAccess.check(Path.of("/proc/self/status")).missing())
                .isSubsetOf("CAP_SYS_PTRACE", "CAP_DAC_READ_SEARCH");
    }
}
