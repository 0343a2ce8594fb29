package dev.ssexporter.netlink;

/**
 * What one {@link ProcFdReader#probe} read: descriptors looked up by number, from {@code from}
 * up to (not including) {@code next}.
 *
 * @param sockets how many socket inodes were written; -1 when the process's {@code fd} directory
 *     could not be opened (it exited, or access is denied)
 * @param next the first descriptor number not looked at
 * @param open how many of the numbers looked at were open descriptors
 * @param absent how many were not open
 */
public record FdProbe(int sockets, int next, int open, int absent) {
    /** Whether the directory could not be opened. */
    public boolean failed() {
        return sockets < 0;
    }
}
