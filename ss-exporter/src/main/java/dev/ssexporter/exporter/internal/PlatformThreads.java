package dev.ssexporter.exporter.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs a piece of work on a platform thread when the caller is a virtual thread, and waits for it.
 *
 * <p>For client_java's text writers: they wrap the output in a {@code BufferedWriter} and write
 * help texts one character at a time. A {@code BufferedWriter} made on a virtual thread starts with
 * a 512-character buffer and grows it to exactly what each write needs, up to 8,192, so such writes
 * copy the whole buffer once per character: 2.3–4 ms for the exporter's own dozen families, against
 * 0.2 ms on a platform thread (JDK 25). The HTTP server runs every request on a virtual thread.
 *
 * <p>The threads are daemons, made when needed and ended after {@value #KEEP_ALIVE_SECONDS} s
 * unused; there are as many as callers at once (scrapes in flight are bounded by the server). One
 * pool ({@link #shared()}) serves every server of the JVM, so a closed server leaves nothing behind
 * for longer than that.
 */
public final class PlatformThreads {
    /** A piece of work that writes. */
    @FunctionalInterface
    public interface Work<T> {
        T run() throws IOException;
    }

    private static final long KEEP_ALIVE_SECONDS = 30;

    private final ThreadPoolExecutor pool;

    private static final class Shared {
        static final PlatformThreads INSTANCE = new PlatformThreads("ss-exporter-text-");
    }

    /** The JVM's pool, threads named {@code ss-exporter-text-N}. */
    public static PlatformThreads shared() {
        return Shared.INSTANCE;
    }

    /** @param name the threads' name prefix, numbered from 1 */
    public PlatformThreads(String name) {
        this.pool = new ThreadPoolExecutor(0, Integer.MAX_VALUE, KEEP_ALIVE_SECONDS, TimeUnit.SECONDS,
                new SynchronousQueue<>(), Thread.ofPlatform().daemon().name(name, 1).factory());
    }

    /**
     * {@code work}'s result, computed on this thread if it is a platform thread, else on one of the
     * pool's.
     *
     * @throws InterruptedIOException when the caller is interrupted while waiting; the work's
     *     thread is interrupted too, which work that does not wait ignores
     */
    public <T> T call(Work<T> work) throws IOException {
        if (!Thread.currentThread().isVirtual()) {
            return work.run();
        }
        Future<T> done = pool.submit(work::run);
        try {
            return done.get();
        } catch (InterruptedException e) {
            done.cancel(true);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a platform thread");
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case IOException io -> throw io;
                case RuntimeException r -> throw r;
                case Error r -> throw r;
                default -> throw new IllegalStateException(e.getCause());
            }
        }
    }
}
