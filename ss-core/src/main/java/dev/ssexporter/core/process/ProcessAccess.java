package dev.ssexporter.core.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Whether this process may read other users' {@code /proc/PID/fd}, which process attribution
 * needs to find the owners of their sockets: the effective capabilities ({@code CapEff} of
 * {@code /proc/self/status}) must hold {@code CAP_SYS_PTRACE} (the kernel's ptrace access check on
 * another user's {@code fd} directory) and {@code CAP_DAC_READ_SEARCH} or {@code CAP_DAC_OVERRIDE}
 * (that directory is mode 0500 of its owner). Root normally has all three; a non-root user or a
 * container with dropped capabilities lacks them, and then reads its own processes only.
 *
 * <pre>{@code
 * ProcessAccess.check(Path.of("/proc/self/status")).missing();   // e.g. [CAP_SYS_PTRACE, CAP_DAC_READ_SEARCH]
 * }</pre>
 *
 * @param missing the capabilities lacking, by name; empty when other users' processes are readable
 */
public record ProcessAccess(List<String> missing) {
    static final int CAP_DAC_OVERRIDE = 1;
    static final int CAP_DAC_READ_SEARCH = 2;
    static final int CAP_SYS_PTRACE = 19;

    public ProcessAccess {
        missing = List.copyOf(missing);
    }

    /** From the {@code CapEff} line of {@code status}, e.g. {@code /proc/self/status}. */
    public static ProcessAccess check(Path status) throws IOException {
        return ofStatus(Files.readString(status, StandardCharsets.UTF_8))
                .orElseThrow(() -> new IOException(status + " has no readable CapEff line"));
    }

    /** From the text of a {@code /proc/PID/status}; empty when it has no well-formed {@code CapEff}. */
    static Optional<ProcessAccess> ofStatus(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("CapEff:")) {
                String hex = line.substring("CapEff:".length()).strip();
                try {
                    return Optional.of(ofCapEff(Long.parseUnsignedLong(hex, 16)));
                } catch (NumberFormatException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    static ProcessAccess ofCapEff(long capEff) {
        List<String> missing = new ArrayList<>();
        if (!has(capEff, CAP_SYS_PTRACE)) {
            missing.add("CAP_SYS_PTRACE");
        }
        if (!has(capEff, CAP_DAC_READ_SEARCH) && !has(capEff, CAP_DAC_OVERRIDE)) {
            missing.add("CAP_DAC_READ_SEARCH");
        }
        return new ProcessAccess(missing);
    }

    private static boolean has(long caps, int cap) {
        return (caps & (1L << cap)) != 0;
    }

    /** Whether other users' processes can be attributed. */
    public boolean complete() {
        return missing.isEmpty();
    }

    /**
     * The start-up warning for a config that asks for process attribution without the access,
     * saying what is missing and how to get it; empty when nothing is missing.
     */
    public Optional<String> warning() {
        if (missing.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("process attribution is configured (labelFolding: pid_condensed or"
                + " logic.selection.process) but this process lacks " + String.join(" and ", missing)
                + ", so it reads only its own user's /proc/PID/fd: sockets of other users' processes get no owner"
                + " and those processes count in ss_exporter_proc_errors_total. Run as root, grant"
                + " CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH, or deploy with the process-attribution overlay"
                + " (docs/security.md). CAP_NET_ADMIN is never needed.");
    }
}
