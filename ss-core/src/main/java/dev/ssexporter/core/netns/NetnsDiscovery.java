package dev.ssexporter.core.netns;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Finds the distinct network namespaces of a host: the named ones ({@code /var/run/netns/NAME},
 * as {@code ip netns add} makes them) and every one a process is in ({@code /proc/PID/ns/net},
 * whose link text is {@code net:[INODE]}), one entry per inode. A named namespace keeps its name
 * as label even when processes are in it too; an unnamed one is entered through the link of its
 * lowest PID and labelled {@code net:[INODE]}.
 *
 * <p>Processes that vanish during the walk are skipped; links that cannot be read (another
 * user's process without {@code CAP_SYS_PTRACE}) are skipped and counted.
 */
public final class NetnsDiscovery {
    /** Where {@code ip netns} keeps its names. */
    public static final Path NAMED = Path.of("/var/run/netns");

    private final Path procRoot;
    private final Path namedDir;

    /**
     * @param procRoot the {@code /proc} to walk (the host's, e.g. {@code /host/proc}, in a container)
     * @param namedDir where named namespaces are, normally {@link #NAMED}
     */
    public NetnsDiscovery(Path procRoot, Path namedDir) {
        this.procRoot = Objects.requireNonNull(procRoot, "procRoot");
        this.namedDir = Objects.requireNonNull(namedDir, "namedDir");
    }

    /**
     * What one walk found.
     *
     * @param namespaces one target per distinct inode: named ones first, by name, then the others
     *     by lowest PID
     * @param unreadable {@code /proc/PID/ns/net} links that could not be read (access denied)
     */
    public record Found(List<NetnsTarget> namespaces, int unreadable) {
        public Found {
            namespaces = List.copyOf(namespaces);
        }
    }

    /**
     * Walks the named directory and {@code /proc}. A missing named directory is no error (no
     * {@code ip netns} namespace exists).
     *
     * @throws IOException when {@code procRoot} cannot be listed
     */
    public Found discover() throws IOException {
        Map<Long, NetnsTarget> byInode = new LinkedHashMap<>();
        for (Map.Entry<String, Path> named : named().entrySet()) {
            try {
                long inode = ((Number) Files.getAttribute(named.getValue(), "unix:ino")).longValue();
                byInode.putIfAbsent(inode, new NetnsTarget(named.getKey(), named.getValue(), inode));
            } catch (NoSuchFileException e) {
                // Deleted while we looked.
            }
        }
        int unreadable = 0;
        for (Map.Entry<Long, Path> proc : processes().entrySet()) {
            Path link = proc.getValue().resolve("ns").resolve("net");
            String text;
            try {
                text = Files.readSymbolicLink(link).toString();
            } catch (NoSuchFileException e) {
                continue;
            } catch (IOException e) {
                // AccessDeniedException: another user's process, and no CAP_SYS_PTRACE.
                unreadable++;
                continue;
            }
            long inode = parseLink(text);
            if (inode > 0 && !byInode.containsKey(inode)) {
                byInode.put(inode, new NetnsTarget(NetnsTarget.inodeLabel(inode), link, inode));
            }
        }
        return new Found(new ArrayList<>(byInode.values()), unreadable);
    }

    /**
     * The inode in a namespace link's text, {@code net:[4026531840]}; -1 when the text has
     * another form.
     */
    public static long parseLink(String text) {
        if (!text.startsWith("net:[") || !text.endsWith("]")) {
            return -1;
        }
        try {
            return Long.parseLong(text, 5, text.length() - 1, 10);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private Map<String, Path> named() throws IOException {
        Map<String, Path> out = new TreeMap<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(namedDir)) {
            for (Path p : dir) {
                out.put(p.getFileName().toString(), p);
            }
        } catch (NoSuchFileException e) {
            return out;
        }
        return out;
    }

    private Map<Long, Path> processes() throws IOException {
        Map<Long, Path> out = new TreeMap<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(procRoot)) {
            for (Path p : dir) {
                String name = p.getFileName().toString();
                if (!name.isEmpty() && name.chars().allMatch(c -> c >= '0' && c <= '9') && name.length() < 19) {
                    out.put(Long.parseLong(name), p);
                }
            }
        }
        return out;
    }
}
