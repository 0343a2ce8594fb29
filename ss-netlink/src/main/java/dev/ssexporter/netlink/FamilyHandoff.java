package dev.ssexporter.netlink;

import dev.ssexporter.netlink.internal.Threads;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One address family's dump run on a helper thread while the caller dumps the other family: the
 * helper's records wait in a bounded queue until the caller, done with its own family, takes them
 * ({@link #drainTo}), so the caller's sink is called on the caller's thread only, and after the
 * caller's own records. At most {@link #CAPACITY} records wait; beyond that the helper waits too
 * (the kernel keeps the rest of the dump for it).
 *
 * <p>Why: every dump request walks the kernel's whole table of connections, whatever it keeps (a
 * filter saves copying sockets, not walking them); with two requests in flight on two sockets the
 * two walks overlap on a second CPU instead of adding up.
 */
final class FamilyHandoff implements Consumer<SocketRecord> {
    /** Records that may wait for the caller: a few hundred kilobytes. */
    static final int CAPACITY = 1024;
    private static final Object END = new Object();

    /** The helper's dump, sending its records to the sink it is given. */
    @FunctionalInterface
    interface Dump {
        DumpStats run(Consumer<? super SocketRecord> sink) throws IOException;
    }

    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final Thread helper;
    /** Set by {@link #cancel}: nobody will take what the helper queues any more. */
    private volatile boolean cancelled;
    /** Written by the helper before it queues {@link #END}, read by the caller after taking it. */
    private DumpStats stats;
    private Throwable failure;

    private FamilyHandoff(String threadName, Dump dump) {
        this.helper = Thread.ofPlatform().daemon().name(threadName).unstarted(() -> run(dump));
    }

    /** Starts {@code dump} on a new daemon thread named {@code threadName}. */
    static FamilyHandoff start(String threadName, Dump dump) {
        FamilyHandoff h = new FamilyHandoff(threadName, dump);
        h.helper.start();
        return h;
    }

    private void run(Dump dump) {
        try {
            stats = dump.run(this);
        } catch (Throwable t) {
            failure = t;
        }
        try {
            // Waits while the queue is full and the caller still takes; gives up once cancelled.
            boolean queued = false;
            while (!queued && !cancelled) {
                queued = queue.offer(END, 100, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            // cancelled: nobody waits for the end
        }
    }

    /** On the helper: queues one record, waiting while the queue is full. */
    @Override
    public void accept(SocketRecord record) {
        try {
            if (cancelled) {
                throw new Cancelled();
            }
            queue.put(record);
        } catch (InterruptedException e) {
            throw new Cancelled();
        }
    }

    /**
     * On the caller: passes the helper's records to {@code sink} until its dump ends, and returns
     * that dump's statistics. When the helper's dump failed, throws what it threw; when
     * {@code sink} throws, or the caller is interrupted, stops the helper first.
     */
    DumpStats drainTo(Consumer<? super SocketRecord> sink) throws IOException {
        try {
            while (true) {
                Object next = queue.take();
                if (next == END) {
                    return result();
                }
                sink.accept((SocketRecord) next);
            }
        } catch (InterruptedException e) {
            cancel();
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the IPv6 half of a dump");
        } catch (RuntimeException | Error e) {
            cancel();
            throw e;
        }
    }

    private DumpStats result() throws IOException {
        return switch (failure) {
            case null -> stats;
            case IOException e -> throw e;
            case RuntimeException e -> throw e;
            case Error e -> throw e;
            default -> throw new IOException("the IPv6 half of the dump failed", failure);
        };
    }

    /** Stops the helper, which may be waiting for room in the queue, and waits until it has ended. */
    void cancel() {
        cancelled = true;
        helper.interrupt();
        Threads.joinUninterruptibly(helper);
    }

    /** Thrown through the helper's dump when the caller cancels it. */
    private static final class Cancelled extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Cancelled() {
            super("dump cancelled", null, false, false);
        }
    }
}
