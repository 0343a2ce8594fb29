package dev.ssexporter.core.process;

import java.io.IOException;

/**
 * A {@code /proc} walk under way, from {@link ProcessScanner#start}: helper threads read the
 * descriptor tables while the caller does other work, and {@link #join()} finishes the walk on
 * the calling thread and builds the {@link ProcessTable}. Join it exactly once.
 *
 * <pre>{@code
 * PendingScan pending = scanner.start(inode -> true);
 * ... dump the sockets meanwhile ...
 * ProcessTable procs = pending.join();
 * }</pre>
 */
public final class PendingScan {
    private final ProcessScanner scanner;
    private final FdWalk walk;
    private boolean joined;

    PendingScan(ProcessScanner scanner, FdWalk walk) {
        this.scanner = scanner;
        this.walk = walk;
    }

    /** Whether the helpers have already read every process, so {@link #join()} will not walk. */
    public boolean isDone() {
        return walk.isDone();
    }

    /** Whether helper threads walk meanwhile; false on one CPU, where {@link #join()} does all the work. */
    public boolean inBackground() {
        return walk.inBackground();
    }

    /**
     * Reads what is left on this thread, waits for the helpers, and builds the table.
     *
     * @throws IOException when a helper could not walk {@code procRoot}; problems with single
     *     processes are counted in {@link ProcessTable#skipped()}
     * @throws IllegalStateException when joined twice
     */
    public ProcessTable join() throws IOException {
        if (joined) {
            throw new IllegalStateException("this walk was joined already");
        }
        joined = true;
        return scanner.table(walk.finish());
    }
}
