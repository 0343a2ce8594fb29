package dev.ssexporter.exporter.internal;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Runs at most one load at a time and hands its result to every caller that arrived while it ran.
 *
 * <p>A caller that finds no load in progress starts one; callers that arrive before it finishes
 * wait for it and get the same value. A caller arriving after it finished starts a new load, so no
 * value is ever served from a cache: each result was produced during the call that returns it.
 *
 * <p>The load runs on a thread of its own (a daemon platform thread named after the flight), not
 * on a caller's: a caller that stops waiting, because its {@linkplain #get(Duration) time is up}
 * or it was interrupted, leaves the load running for the others.
 *
 * <pre>{@code
 * SingleFlight<Scrape> flight = new SingleFlight<>("ss-exporter-collect", engine::collect);
 * Scrape s = flight.get(Duration.ofSeconds(9)); // 10 concurrent scrapes -> one kernel dump
 * }</pre>
 *
 * <p>The loader should not throw. If it does, every caller of that load gets the same exception.
 *
 * @param <T> the loaded value
 */
public final class SingleFlight<T> {
    private final String threadName;
    private final Supplier<? extends T> loader;
    private final AtomicReference<CompletableFuture<T>> inFlight = new AtomicReference<>();
    private final AtomicInteger waiting = new AtomicInteger();

    public SingleFlight(String threadName, Supplier<? extends T> loader) {
        this.threadName = Objects.requireNonNull(threadName, "threadName");
        this.loader = Objects.requireNonNull(loader, "loader");
    }

    /** Joins the load in progress, or starts a new one, and waits for it however long it takes. */
    public T get() {
        try {
            return await(join(), Long.MAX_VALUE);
        } catch (TimeoutException e) {
            throw new AssertionError("an unbounded wait timed out", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while waiting for " + threadName);
        }
    }

    /**
     * Joins the load in progress, or starts a new one, and waits at most {@code timeout} for it.
     *
     * @throws TimeoutException when the load is still running after {@code timeout}; it goes on
     * @throws InterruptedException when the caller is interrupted while waiting; the load goes on
     */
    public T get(Duration timeout) throws TimeoutException, InterruptedException {
        long nanos = timeout.isNegative() ? 0 : timeout.toNanos();
        return await(join(), nanos);
    }

    /** Callers waiting for a load right now. */
    public int waiting() {
        return waiting.get();
    }

    private CompletableFuture<T> join() {
        while (true) {
            CompletableFuture<T> running = inFlight.get();
            if (running != null) {
                return running;
            }
            CompletableFuture<T> mine = new CompletableFuture<>();
            if (inFlight.compareAndSet(null, mine)) {
                Thread.ofPlatform().daemon().name(threadName).start(() -> load(mine));
                return mine;
            }
        }
    }

    /** Leaves the flight before completing it, so that a caller that got the value starts anew. */
    private void load(CompletableFuture<T> mine) {
        T value;
        try {
            value = loader.get();
        } catch (RuntimeException | Error e) {
            inFlight.compareAndSet(mine, null);
            mine.completeExceptionally(e);
            return;
        }
        inFlight.compareAndSet(mine, null);
        mine.complete(value);
    }

    private T await(CompletableFuture<T> load, long nanos) throws TimeoutException, InterruptedException {
        waiting.incrementAndGet();
        try {
            return load.get(nanos, TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case RuntimeException r -> throw r;
                case Error r -> throw r;
                default -> throw new IllegalStateException(e.getCause());
            }
        } finally {
            waiting.decrementAndGet();
        }
    }
}
