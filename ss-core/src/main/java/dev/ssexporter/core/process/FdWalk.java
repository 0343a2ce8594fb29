package dev.ssexporter.core.process;

import dev.ssexporter.netlink.ErrnoException;
import dev.ssexporter.netlink.ProcFdReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongPredicate;

/**
 * One walk of the descriptor tables of a {@code /proc} tree, shared by several threads: helper
 * threads start at once, and the thread that {@link #finish finishes} the walk joins in for what
 * is left. Each process is taken by one thread; the descriptors of a process with many (a server
 * or a proxy with thousands of sockets) are read in chunks that any thread may take, so two
 * threads still split the work when one process holds nearly every socket. On procfs the
 * descriptors are looked up by number ({@link ProbedFds}) instead of listed ({@link ListedFds})
 * when the kernel says how many there are.
 *
 * <p>The result is a list of {@code (pid, socket inode)} pairs per thread, and the processes that
 * could not be read (exited, or access denied), each once. Process names are not read here.
 */
final class FdWalk {
    /** Descriptors (or numbers) per chunk: one {@code openat} and {@code close} of {@code PID/fd} per chunk. */
    static final int CHUNK = 256;

    private final Path procRoot;
    private final int[] pids;
    private final LongPredicate wanted;
    private final AtomicInteger nextPid = new AtomicInteger();
    /** The latest process big enough to share; the thread that found it drains it too. */
    private volatile FdJob shared;
    private final CountDownLatch helpersDone;
    private final Found[] helperResults;
    private volatile Throwable helperFailure;

    private FdWalk(Path procRoot, int[] pids, LongPredicate wanted, int helpers) {
        this.procRoot = procRoot;
        this.pids = pids;
        this.wanted = wanted;
        this.helpersDone = new CountDownLatch(helpers);
        this.helperResults = new Found[helpers];
    }

    /**
     * Lists the processes of {@code procRoot} on the calling thread, then starts {@code helpers}
     * threads that read their descriptors.
     *
     * @throws IOException when {@code procRoot} cannot be opened or listed
     */
    static FdWalk start(Path procRoot, LongPredicate wanted, int helpers) throws IOException {
        int[] pids;
        try (ProcFdReader reader = ProcFdReader.open(procRoot)) {
            pids = reader.processes();
        } catch (ErrnoException e) {
            throw ProcessScanner.asFileException(procRoot, e);
        }
        FdWalk walk = new FdWalk(procRoot, pids, wanted, helpers);
        for (int i = 0; i < helpers; i++) {
            int slot = i;
            Thread.ofPlatform().daemon().name("ss-proc-walk-" + i).start(() -> walk.help(slot));
        }
        return walk;
    }

    /** Whether the helpers have read every process; always false without helpers. */
    boolean isDone() {
        return helperResults.length > 0 && helpersDone.getCount() == 0;
    }

    /** Whether helper threads do the work meanwhile (false: {@link #finish} does it all). */
    boolean inBackground() {
        return helperResults.length > 0;
    }

    /**
     * Reads what the helpers have not taken yet on this thread, waits for them, and returns every
     * thread's findings.
     *
     * @throws IOException when a helper failed (its reason as the cause)
     */
    Found[] finish() throws IOException {
        Found mine = new Found();
        try (ProcFdReader reader = ProcFdReader.open(procRoot)) {
            work(reader, mine);
        } catch (ErrnoException e) {
            throw ProcessScanner.asFileException(procRoot, e);
        }
        boolean interrupted = false;
        while (true) {
            try {
                helpersDone.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;  // the helpers end on their own soon; wait for their findings
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Throwable failure = helperFailure;
        if (failure != null) {
            throw new IOException("a thread walking " + procRoot + " failed: " + failure, failure);
        }
        Found[] all = Arrays.copyOf(helperResults, helperResults.length + 1);
        all[helperResults.length] = mine;
        return all;
    }

    private void help(int slot) {
        Found found = new Found();
        try (ProcFdReader reader = ProcFdReader.open(procRoot)) {
            work(reader, found);
        } catch (ErrnoException | RuntimeException | Error e) {
            helperFailure = e;
        } finally {
            helperResults[slot] = found;
            helpersDone.countDown();
        }
    }

    private void work(ProcFdReader reader, Found found) {
        long[] buffer = new long[CHUNK];
        while (true) {
            FdJob other = shared;
            if (other != null) {
                other.drain(this, reader, buffer, found);
            }
            int i = nextPid.getAndIncrement();
            if (i >= pids.length) {
                other = shared;
                if (other != null) {
                    other.drain(this, reader, buffer, found);
                }
                return;
            }
            FdJob job = job(reader, pids[i], found);
            if (job != null) {
                job.drain(this, reader, buffer, found);
            }
        }
    }

    /**
     * The descriptors of process {@code pid} to read: looked up by number when procfs says how
     * many there are, else listed; shared with the other threads when more than a chunk. Null
     * when the process is gone (recorded in {@code found}).
     */
    private FdJob job(ProcFdReader reader, int pid, Found found) {
        int count = reader.descriptorCount(pid);
        FdJob job;
        int size;
        if (count > 0) {
            job = new ProbedFds(pid, count);
            size = count;
        } else {
            int[] fds = count == 0 ? reader.descriptors(pid) : null;
            if (fds == null) {
                found.lost(pid);
                return null;
            }
            job = new ListedFds(pid, fds);
            size = fds.length;
        }
        if (size > CHUNK) {
            share(job);
        }
        return job;
    }

    /** Offers {@code job} to the other threads, which take pieces of it before their next process. */
    void share(FdJob job) {
        shared = job;
    }

    /** Adds the first {@code n} of {@code inodes}, those wanted, as sockets of {@code pid}. */
    void record(int pid, long[] inodes, int n, Found found) {
        for (int k = 0; k < n; k++) {
            if (wanted.test(inodes[k])) {
                found.add(pid, inodes[k]);
            }
        }
    }

    /** What one thread found: {@code (pid, inode)} pairs, and the processes it could not read. */
    static final class Found {
        int[] pids = new int[256];
        long[] inodes = new long[256];
        int size;
        int[] lostPids = new int[4];
        int lostCount;

        void add(int pid, long inode) {
            if (size == pids.length) {
                pids = Arrays.copyOf(pids, size * 2);
                inodes = Arrays.copyOf(inodes, size * 2);
            }
            pids[size] = pid;
            inodes[size++] = inode;
        }

        void lost(int pid) {
            if (lostCount == lostPids.length) {
                lostPids = Arrays.copyOf(lostPids, lostCount * 2);
            }
            lostPids[lostCount++] = pid;
        }
    }
}
