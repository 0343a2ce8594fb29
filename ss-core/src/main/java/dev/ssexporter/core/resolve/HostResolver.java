package dev.ssexporter.core.resolve;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Resolves the host names of {@code logic.selection.peering.hosts} with the system resolver, in
 * the background, so that a scrape never waits for DNS.
 *
 * <p>After {@link #start()}, a virtual thread (daemon) resolves every host, then again every
 * {@linkplain Builder#interval interval} (default 60 s). {@link #addresses()} returns the union of
 * the last successful answers: a cheap volatile read, safe from any thread. Before the first
 * round finishes the set is empty, so a {@code hosts} entry matches no socket during the first
 * scrape(s) after start. A failed lookup keeps that host's previous answer (stale beats empty), is
 * counted in {@link #failuresTotal()}, and is logged at WARNING once when the host starts failing
 * and at INFO when it resolves again, not on every attempt.
 *
 * <pre>{@code
 * try (HostResolver hosts = HostResolver.builder().hosts(List.of("db.internal")).build().start()) {
 *     FlowSelector selector = FlowSelector.of(selectionConfig, hosts::addresses);
 *     ...
 * }
 * }</pre>
 */
public final class HostResolver implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(HostResolver.class.getName());

    /** The lookup the resolver calls; {@link InetAddress#getAllByName} by default. */
    @FunctionalInterface
    public interface Lookup {
        /** All addresses of {@code host}; throws when the name does not resolve. */
        InetAddress[] lookup(String host) throws IOException;
    }

    private final List<String> hosts;
    private final Duration interval;
    private final Lookup lookup;
    private final InstantSource clock;
    private final AtomicLong failures = new AtomicLong();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Object refreshLock = new Object();
    /** Per host, its last good answer and whether it is currently failing; guarded by refreshLock. */
    private final Map<String, HostState> states = new LinkedHashMap<>();
    private volatile Set<InetAddress> addresses = Set.of();
    private volatile Instant lastRefreshed;
    private Thread thread;

    private HostResolver(Builder b) {
        this.hosts = List.copyOf(new LinkedHashSet<>(b.hosts));
        this.interval = b.interval;
        this.lookup = b.lookup;
        this.clock = b.clock;
        for (String h : hosts) {
            states.put(h, new HostState());
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts the background thread, which resolves at once and then every interval. Does nothing
     * when there are no hosts, or when already started or closed.
     *
     * @return this
     */
    public synchronized HostResolver start() {
        if (thread == null && !hosts.isEmpty() && closed.getCount() > 0) {
            thread = Thread.ofVirtual().name("ss-exporter-host-resolver").start(this::run);
        }
        return this;
    }

    private void run() {
        try {
            do {
                refresh();
            } while (!closed.await(interval.toNanos(), TimeUnit.NANOSECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Resolves every host now, on the calling thread, and publishes the new set. The background
     * thread calls this; tests and one-shot tools may call it directly.
     */
    public void refresh() {
        synchronized (refreshLock) {
            Set<InetAddress> all = new LinkedHashSet<>();
            for (String host : hosts) {
                HostState st = states.get(host);
                try {
                    InetAddress[] found = lookup.lookup(host);
                    st.addresses = found == null ? List.of() : List.of(found);
                    if (st.failing) {
                        st.failing = false;
                        LOG.log(Level.INFO, "host \"{0}\" resolves again: {1}", host, st.addresses);
                    }
                } catch (IOException | RuntimeException e) {
                    failures.incrementAndGet();
                    if (!st.failing) {
                        st.failing = true;
                        LOG.log(Level.WARNING, "cannot resolve host \"{0}\" ({1}); keeping its last "
                                + "addresses {2} and retrying every {3}", host, e.toString(), st.addresses, interval);
                    }
                }
                all.addAll(st.addresses);
            }
            addresses = Set.copyOf(all);
            lastRefreshed = clock.instant();
        }
    }

    /** The addresses the hosts last resolved to; empty before the first round. Never blocks. */
    public Set<InetAddress> addresses() {
        return addresses;
    }

    /** The host names, without repeats, in configuration order. */
    public List<String> hosts() {
        return hosts;
    }

    /** Failed lookups since this resolver was built. */
    public long failuresTotal() {
        return failures.get();
    }

    /** When the last round of lookups finished, by the resolver's clock; empty before the first. */
    public Optional<Instant> lastRefreshed() {
        return Optional.ofNullable(lastRefreshed);
    }

    /**
     * Stops the background thread. A lookup in progress is not waited for: the thread ends when
     * it returns. Idempotent.
     */
    @Override
    public synchronized void close() {
        closed.countDown();
        if (thread != null) {
            thread.interrupt();
        }
    }

    /** Whether the background thread is still running (for tests and diagnostics). */
    synchronized boolean isRunning() {
        return thread != null && thread.isAlive();
    }

    /** Waits for the background thread to end after {@link #close()}; for tests. */
    boolean awaitTermination(Duration timeout) throws InterruptedException {
        Thread t;
        synchronized (this) {
            t = thread;
        }
        return t == null || t.join(timeout);
    }

    private static final class HostState {
        List<InetAddress> addresses = List.of();
        boolean failing;
    }

    /** Configures a {@link HostResolver}. */
    public static final class Builder {
        private Collection<String> hosts = List.of();
        private Duration interval = Duration.ofSeconds(60);
        private Lookup lookup = InetAddress::getAllByName;
        private InstantSource clock = InstantSource.system();

        private Builder() {}

        /** The host names to resolve; blank names are rejected. */
        public Builder hosts(Collection<String> hosts) {
            for (String h : hosts) {
                if (h == null || h.isBlank()) {
                    throw new IllegalArgumentException("host names must not be blank: " + hosts);
                }
            }
            this.hosts = List.copyOf(hosts);
            return this;
        }

        /** How long to wait between rounds of lookups; default 60 s, at least 1 ms. */
        public Builder interval(Duration interval) {
            Objects.requireNonNull(interval, "interval");
            if (interval.compareTo(Duration.ofMillis(1)) < 0) {
                throw new IllegalArgumentException("resolve interval " + interval + " is shorter than 1 ms");
            }
            this.interval = interval;
            return this;
        }

        /** The name lookup; default {@link InetAddress#getAllByName}. */
        public Builder lookup(Lookup lookup) {
            this.lookup = Objects.requireNonNull(lookup, "lookup");
            return this;
        }

        /** The clock that stamps {@link HostResolver#lastRefreshed()}; default the system clock. */
        public Builder clock(InstantSource clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** A resolver that has not started; call {@link HostResolver#start()}. */
        public HostResolver build() {
            return new HostResolver(this);
        }
    }
}
