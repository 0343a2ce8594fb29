package dev.ssexporter.core.process;

import dev.ssexporter.netlink.FdProbe;
import dev.ssexporter.netlink.ProcFdReader;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The descriptors of a process whose count procfs reported, looked up by number from 0 without
 * listing the directory ({@link ProcFdReader#probe}): ranges of {@link FdWalk#CHUNK} numbers that
 * any thread may take, until as many open descriptors as reported were found.
 *
 * <p>Listing {@code PID/fd} costs the kernel about a quarter of what reading the entries costs, and
 * a descriptor table is mostly dense from 0 (the kernel hands out the lowest free number), so
 * looking the numbers up saves the listing. An unused number costs more than a listed entry,
 * though: once more than {@link #absentBudget} numbers turned out unused (a sparse table), or
 * {@link #RANGE_ABSENT} in one range (past the last descriptor, when one was closed after procfs
 * counted it), no further range is handed out and the rest is listed from where the probing
 * stopped ({@link ProcFdReader#descriptors(int, int)}), as for any other process.
 * Every range handed out is read by the thread that took it, so nothing is read twice or missed.
 */
final class ProbedFds extends FdJob {
    /** No range starting here or later is handed out (and {@code range * CHUNK} cannot overflow). */
    static final int STOPPED = Integer.MAX_VALUE / FdWalk.CHUNK;
    /**
     * Unused numbers tolerated in one range: a quarter of it. Past the last descriptor every
     * number is unused, so this bounds what a count that shrank meanwhile costs.
     */
    static final int RANGE_ABSENT = FdWalk.CHUNK / 4;

    private final int count;
    private final int absentBudget;
    private final AtomicInteger nextRange = new AtomicInteger();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger absent = new AtomicInteger();

    /** @param count the open descriptors procfs reported, at least 1 */
    ProbedFds(int pid, int count) {
        super(pid);
        if (count < 1) {
            throw new IllegalArgumentException("count " + count + " is not positive");
        }
        this.count = count;
        this.absentBudget = absentBudget(count);
    }

    /** Unused numbers tolerated before the rest is listed: a quarter of the count, plus two. */
    static int absentBudget(int count) {
        return count / 4 + 2;
    }

    @Override
    void drain(FdWalk walk, ProcFdReader reader, long[] buffer, FdWalk.Found found) {
        while (open.get() < count) {
            if (absent.get() >= absentBudget) {
                int first = nextRange.getAndSet(STOPPED);
                if (first < STOPPED) {
                    listRest(walk, reader, buffer, found, first * FdWalk.CHUNK, first * FdWalk.CHUNK, first);
                }
                return;
            }
            int range = nextRange.getAndIncrement();
            if (range >= STOPPED) {
                return;
            }
            int from = range * FdWalk.CHUNK;
            int to = from + FdWalk.CHUNK;
            FdProbe p = reader.probe(pid, from, to, Math.max(1, count - open.get()),
                    Math.clamp(absentBudget - absent.get(), 1, RANGE_ABSENT), buffer);
            if (p.failed()) {
                nextRange.set(STOPPED);
                lose(found);
                return;
            }
            walk.record(pid, buffer, p.sockets(), found);
            int opened = open.addAndGet(p.open());
            absent.addAndGet(p.absent());
            if (p.next() < to && opened < count) {
                // Stopped on a budget of unused numbers, inside this range.
                int first = nextRange.getAndSet(STOPPED);
                if (first < STOPPED) {
                    listRest(walk, reader, buffer, found, p.next(), to, first);
                    return;
                }
                // Another thread lists past the ranges handed out; the rest of this one is ours.
                p = reader.probe(pid, p.next(), to, FdWalk.CHUNK, FdWalk.CHUNK, buffer);
                if (p.failed()) {
                    lose(found);
                    return;
                }
                walk.record(pid, buffer, p.sockets(), found);
                open.addAndGet(p.open());
            }
        }
    }

    /**
     * Lists and reads the descriptors in {@code [from, to)} and from range {@code firstUnread} on:
     * the numbers between are in ranges other threads took.
     */
    private void listRest(FdWalk walk, ProcFdReader reader, long[] buffer, FdWalk.Found found, int from, int to,
                          int firstUnread) {
        int[] fds = reader.descriptors(pid, from);
        if (fds == null) {
            lose(found);
            return;
        }
        long tail = (long) firstUnread * FdWalk.CHUNK;
        int n = 0;
        for (int fd : fds) {
            if (fd < to || fd >= tail) {
                fds[n++] = fd;
            }
        }
        ListedFds rest = new ListedFds(pid, Arrays.copyOf(fds, n));
        if (n > FdWalk.CHUNK) {
            walk.share(rest);
        }
        rest.drain(walk, reader, buffer, found);
    }
}
