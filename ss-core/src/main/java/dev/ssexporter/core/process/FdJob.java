package dev.ssexporter.core.process;

import dev.ssexporter.netlink.ProcFdReader;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The descriptors of one process that a {@link FdWalk} still has to read, in pieces that any of
 * its threads may take: a {@link ListedFds list} from the {@code fd} directory, or
 * {@link ProbedFds numbers} looked up one by one.
 */
abstract sealed class FdJob permits ListedFds, ProbedFds {
    final int pid;
    private final AtomicBoolean lost = new AtomicBoolean();

    FdJob(int pid) {
        this.pid = pid;
    }

    /**
     * Reads pieces of this job on the calling thread until none is left or the process is gone.
     *
     * @param buffer room for {@link FdWalk#CHUNK} inodes
     */
    abstract void drain(FdWalk walk, ProcFdReader reader, long[] buffer, FdWalk.Found found);

    /** Records the process as lost in {@code found}, once however many threads find it gone. */
    final void lose(FdWalk.Found found) {
        if (lost.compareAndSet(false, true)) {
            found.lost(pid);
        }
    }
}
