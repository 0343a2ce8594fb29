package dev.ssexporter.core.process;

import dev.ssexporter.netlink.ProcFdReader;
import java.util.concurrent.atomic.AtomicInteger;

/** Descriptors listed from a process's {@code fd} directory, read in chunks of {@link FdWalk#CHUNK}. */
final class ListedFds extends FdJob {
    private final int[] fds;
    private final AtomicInteger next = new AtomicInteger();

    ListedFds(int pid, int[] fds) {
        super(pid);
        this.fds = fds;
    }

    /** How many descriptors were listed. */
    int size() {
        return fds.length;
    }

    @Override
    void drain(FdWalk walk, ProcFdReader reader, long[] buffer, FdWalk.Found found) {
        int length = fds.length;
        for (int from; (from = next.getAndAdd(FdWalk.CHUNK)) < length; ) {
            int n = reader.socketInodes(pid, fds, from, Math.min(length, from + FdWalk.CHUNK), buffer);
            if (n < 0) {
                // Exited, or its fd directory was locked, since it was listed: count it once.
                next.set(length);
                lose(found);
                return;
            }
            walk.record(pid, buffer, n, found);
        }
    }
}
