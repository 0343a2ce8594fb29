package dev.ssexporter.netlink.internal;

/** Waiting for this module's short-lived helper threads. */
public final class Threads {
    private Threads() {}

    /**
     * Waits until {@code thread} has ended, even when the caller is interrupted meanwhile (the
     * thread holds a socket that must not leak, or a dump the caller must not overlap); the
     * caller's interrupt is kept for it to see afterwards.
     */
    public static void joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
