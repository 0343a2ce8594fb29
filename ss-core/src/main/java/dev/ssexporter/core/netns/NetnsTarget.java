package dev.ssexporter.core.netns;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A network namespace to read.
 *
 * @param label the {@code netns} label value: the name of a {@code /var/run/netns/NAME} file,
 *     else {@code net:[INODE]}, as {@code readlink /proc/PID/ns/net} prints it
 * @param path the file to enter it through; null for the exporter's own namespace, which is read
 *     without entering anything
 * @param inode the namespace's inode, its identity on this host
 */
public record NetnsTarget(String label, Path path, long inode) {

    public NetnsTarget {
        Objects.requireNonNull(label, "label");
        if (label.isEmpty()) {
            throw new IllegalArgumentException("a namespace label cannot be empty");
        }
    }

    /** The label of a namespace that has no name. */
    public static String inodeLabel(long inode) {
        return "net:[" + inode + "]";
    }

    /** Whether this is the exporter's own namespace. */
    public boolean own() {
        return path == null;
    }
}
