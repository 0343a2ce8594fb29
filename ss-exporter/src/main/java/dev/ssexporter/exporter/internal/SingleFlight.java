package dev.ssexporter.exporter.internal;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Runs at most one load at a time and hands its result to every caller that arrived while it ran.
 *
 * <p>A caller that finds no load in progress starts one on its own thread; callers that arrive
 * before it finishes wait for it and get the same value. A caller arriving after it finished starts
 * a new load, so no value is ever served from a cache: each result was produced during the call
 * that returns it.
 *
 * <pre>{@code
 * SingleFlight<Scrape> flight = new SingleFlight<>(engine::collect);
 * Scrape s = flight.get(); // 10 concurrent scrapes -> one kernel dump
 * }</pre>
 *
 * <p>The loader should not throw. If it does, the caller that ran it gets the exception and the
 * callers that waited get it wrapped in a {@link java.util.concurrent.CompletionException}.
 *
 * @param <T> the loaded value
 */
public final class SingleFlight<T> {
    private final Supplier<? extends T> loader;
    private final AtomicReference<CompletableFuture<T>> inFlight = new AtomicReference<>();

    public SingleFlight(Supplier<? extends T> loader) {
        this.loader = Objects.requireNonNull(loader, "loader");
    }

    /** Joins the load in progress, or runs a new one on this thread. */
    public T get() {
        while (true) {
            CompletableFuture<T> running = inFlight.get();
            if (running != null) {
                return running.join();
            }
            CompletableFuture<T> mine = new CompletableFuture<>();
            if (inFlight.compareAndSet(null, mine)) {
                try {
                    T value = loader.get();
                    mine.complete(value);
                    return value;
                } catch (RuntimeException | Error e) {
                    mine.completeExceptionally(e);
                    throw e;
                } finally {
                    inFlight.compareAndSet(mine, null);
                }
            }
        }
    }
}
