package dev.ssexporter.netlink;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Counts this process's sockets through {@code /proc}. Only sockets: the JVM opens and closes
 * other descriptors (jar files while loading classes) at will, which would make a count of all
 * descriptors flaky.
 */
final class Fds {
    private Fds() {}

    private static List<String> socketLinks() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.map(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString();
                } catch (IOException e) {
                    return ""; // closed since listed (the listing's own descriptor)
                }
            }).filter(link -> link.startsWith("socket:[")).toList();
        }
    }

    /** Open socket descriptors of this process, of any kind. */
    static long sockets() throws IOException {
        return socketLinks().size();
    }

    /** Open NETLINK_SOCK_DIAG sockets of this process, matched by inode against /proc/net/netlink. */
    static long sockDiagSockets() throws IOException {
        Set<String> diagInodes = Files.readAllLines(Path.of("/proc/net/netlink")).stream()
                .skip(1)
                .map(line -> line.trim().split("\\s+"))
                .filter(f -> f.length >= 10 && f[1].equals("4")) // Eth column: the netlink protocol
                .map(f -> "socket:[" + f[9] + "]")
                .collect(Collectors.toSet());
        return socketLinks().stream().filter(diagInodes::contains).count();
    }
}
