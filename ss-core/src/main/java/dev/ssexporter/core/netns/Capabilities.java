package dev.ssexporter.core.netns;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The effective capabilities of this process, from the {@code CapEff:} line of
 * {@code /proc/self/status}: what reading other network namespaces needs is checked up front, so
 * that a missing one is named in a sentence instead of surfacing as {@code EPERM}.
 *
 * @param effective the capability bit set
 */
public record Capabilities(long effective) {
    /** {@code CAP_SYS_PTRACE}: needed to read {@code /proc/PID/ns/net} of other users' processes. */
    public static final int CAP_SYS_PTRACE = 19;
    /** {@code CAP_SYS_ADMIN}: needed by {@code setns} to enter a network namespace. */
    public static final int CAP_SYS_ADMIN = 21;

    /** This process's capabilities. */
    public static Capabilities ofSelf() throws IOException {
        return read(Path.of("/proc/self/status"));
    }

    /** Parses a {@code /proc/PID/status} file. */
    public static Capabilities read(Path status) throws IOException {
        for (String line : Files.readAllLines(status, StandardCharsets.UTF_8)) {
            if (line.startsWith("CapEff:")) {
                String hex = line.substring("CapEff:".length()).strip();
                try {
                    return new Capabilities(Long.parseUnsignedLong(hex, 16));
                } catch (NumberFormatException e) {
                    throw new IOException(status + ": CapEff is not hexadecimal: " + hex, e);
                }
            }
        }
        throw new IOException(status + " has no CapEff line");
    }

    /** Whether capability number {@code cap} is effective. */
    public boolean has(int cap) {
        return (effective >>> cap & 1L) != 0;
    }

    /** {@code CAP_SYS_ADMIN} for {@link #CAP_SYS_ADMIN}, and so on, for messages. */
    public static String name(int cap) {
        return switch (cap) {
            case CAP_SYS_ADMIN -> "CAP_SYS_ADMIN";
            case CAP_SYS_PTRACE -> "CAP_SYS_PTRACE";
            default -> "capability " + cap;
        };
    }

    @Override
    public String toString() {
        return "Capabilities[CapEff=" + Long.toHexString(effective).toLowerCase(Locale.ROOT) + "]";
    }
}
