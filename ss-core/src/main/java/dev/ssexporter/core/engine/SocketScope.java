package dev.ssexporter.core.engine;

/**
 * Whose sockets a collection covers.
 *
 * <ul>
 *   <li>{@link #ALL}: every socket of the network namespace that the selection accepts (the
 *       standalone exporter);
 *   <li>{@link #OWN_PROCESS}: only the sockets of the process the collection runs in, for a JVM
 *       application that embeds the collector to watch its own connections. Matched by inode
 *       against {@code /proc/self/fd}, read once per collection; needs no privilege. The
 *       selection still applies on top.
 * </ul>
 */
public enum SocketScope {
    ALL,
    OWN_PROCESS
}
