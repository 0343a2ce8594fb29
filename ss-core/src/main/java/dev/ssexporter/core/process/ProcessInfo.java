package dev.ssexporter.core.process;

import java.util.Objects;

/**
 * One process that holds at least one socket, as {@link ProcessScanner} found it.
 *
 * @param pid the process id (thread-group id)
 * @param comm the process name from {@code /proc/PID/comm}, without the trailing newline (the
 *     kernel truncates it to 15 bytes)
 * @param exeName the basename of {@code /proc/PID/exe}'s target, with a {@code " (deleted)"}
 *     suffix removed; null when the link could not be read
 */
public record ProcessInfo(int pid, String comm, String exeName) {

    public ProcessInfo {
        if (pid <= 0) {
            throw new IllegalArgumentException("pid " + pid + " is not positive");
        }
        Objects.requireNonNull(comm, "comm");
    }

    /** Whether {@code name} is this process's comm name or its executable's basename. */
    public boolean isNamed(String name) {
        return comm.equals(name) || name.equals(exeName);
    }
}
