package dev.ssexporter.exporter.internal;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The JDK server's executor: every request on a virtual thread of its own, at most
 * {@code maxRequests} at once, each with a time limit to arrive and one to be answered.
 *
 * <p>The JDK {@code HttpServer} hands a connection to its executor as soon as the first byte
 * arrives, and reads the request line and headers on the executor's thread. On a small pool a
 * few clients that send half a request and stall would hold every worker; here each holds only a
 * parked virtual thread, and is cut off after {@code readTimeout}. Time limits:
 *
 * <ul>
 *   <li>from the first byte until the request reached {@link #deadlines()} (request line and
 *       headers read): {@code readTimeout};
 *   <li>from then until the handler returned (collection, writing the body to the client):
 *       {@code responseTimeout}.
 * </ul>
 *
 * <p>A request over its limit has its thread interrupted, which closes the connection (its channel
 * is interruptible) and ends the request without an answer. The collection itself runs on a
 * thread of its own and is not interrupted. A request beyond {@code maxRequests} is refused by
 * {@link #execute}; the JDK server then closes its connection at once, without blocking the thread
 * that accepts connections.
 */
public final class RequestExecutor implements Executor, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(RequestExecutor.class.getName());
    private static final ScopedValue<Deadline> CURRENT = ScopedValue.newInstance();

    private final int maxRequests;
    private final Semaphore slots;
    private final Duration readTimeout;
    private final Duration responseTimeout;
    private final ScheduledThreadPoolExecutor timer;
    private final AtomicBoolean refusing = new AtomicBoolean();
    private final Thread.Builder threads = Thread.ofVirtual().name("ss-exporter-http-", 1);

    public RequestExecutor(int maxRequests, Duration readTimeout, Duration responseTimeout) {
        if (maxRequests < 1) {
            throw new IllegalArgumentException("maxRequests must be at least 1, got " + maxRequests);
        }
        if (readTimeout.isNegative() || readTimeout.isZero() || responseTimeout.isNegative() || responseTimeout.isZero()) {
            throw new IllegalArgumentException("time limits must be positive, got " + readTimeout + " and "
                    + responseTimeout);
        }
        this.maxRequests = maxRequests;
        this.slots = new Semaphore(maxRequests);
        this.readTimeout = readTimeout;
        this.responseTimeout = responseTimeout;
        this.timer = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().daemon().name("ss-exporter-http-deadlines").factory());
        timer.setRemoveOnCancelPolicy(true);
    }

    @Override
    public void execute(Runnable exchange) {
        if (!slots.tryAcquire()) {
            // Once per episode, not once per connection: a flood must not flood the log too.
            if (!refusing.getAndSet(true)) {
                LOG.log(Level.WARNING, "refusing connections: {0} requests are being served already", maxRequests);
            }
            throw new RejectedExecutionException(maxRequests + " requests are being served already");
        }
        if (refusing.getAndSet(false)) {
            LOG.log(Level.INFO, "accepting connections again");
        }
        try {
            threads.start(() -> run(exchange));
        } catch (RuntimeException | Error e) {
            slots.release();
            throw e;
        }
    }

    private void run(Runnable exchange) {
        Deadline deadline = new Deadline(Thread.currentThread());
        try {
            deadline.arm("reading the request", readTimeout);
            ScopedValue.where(CURRENT, deadline).run(exchange);
        } finally {
            deadline.finish();
            slots.release();
        }
    }

    /**
     * The filter that marks the request as read: it swaps the read limit for the response limit,
     * or closes the exchange if the read limit has passed already. First on every context.
     */
    public Filter deadlines() {
        return new Filter() {
            @Override
            public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
                if (CURRENT.isBound() && !CURRENT.get().arm("answering the request", responseTimeout)) {
                    exchange.close();
                    return;
                }
                chain.doFilter(exchange);
            }

            @Override
            public String description() {
                return "time limits: " + readTimeout + " to read a request, " + responseTimeout + " to answer it";
            }
        };
    }

    /** Requests being served right now. */
    public int active() {
        return maxRequests - slots.availablePermits();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    /** The time limit of one request's current phase. */
    private final class Deadline {
        private final Thread thread;
        private ScheduledFuture<?> pending;
        private boolean over;

        Deadline(Thread thread) {
            this.thread = thread;
        }

        /** Starts {@code phase} with {@code limit}; false if the request is over already. */
        synchronized boolean arm(String phase, Duration limit) {
            if (over) {
                return false;
            }
            if (pending != null) {
                pending.cancel(false);
            }
            try {
                pending = timer.schedule(() -> expire(phase, limit), limit.toNanos(), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException closed) {
                pending = null;
            }
            return true;
        }

        private synchronized void expire(String phase, Duration limit) {
            if (over) {
                return;
            }
            over = true;
            LOG.log(Level.DEBUG, "closing a connection: {0} took longer than {1} ms", phase, limit.toMillis());
            thread.interrupt();
        }

        synchronized void finish() {
            over = true;
            if (pending != null) {
                pending.cancel(false);
            }
        }
    }
}
