package dev.ssexporter.exporter;

import dev.ssexporter.core.config.ExporterConfig;
import java.util.Objects;

/**
 * One configuration being served and the {@link ScrapeSource} built for it, with a count of the
 * collections using the source. A reload {@linkplain #retire retires} the generation it replaces;
 * the source is closed once it is retired and no collection uses it any more, by whichever of the
 * two comes last. Thread-safe.
 */
final class Generation {
    private final ExporterConfig config;
    private final ScrapeSource source;
    private int users;
    private boolean retired;
    private boolean closed;

    Generation(ExporterConfig config, ScrapeSource source) {
        this.config = Objects.requireNonNull(config, "config");
        this.source = Objects.requireNonNull(source, "source");
    }

    ExporterConfig config() {
        return config;
    }

    ScrapeSource source() {
        return source;
    }

    /** Marks one more collection as using the source; false once retired (use the successor). */
    synchronized boolean acquire() {
        if (retired) {
            return false;
        }
        users++;
        return true;
    }

    /** The end of a collection {@link #acquire} let in; closes the source if it was the last of a retired generation. */
    void release() {
        boolean close;
        synchronized (this) {
            if (users == 0) {
                throw new IllegalStateException("release() without acquire()");
            }
            users--;
            close = shouldClose();
        }
        if (close) {
            source.close();
        }
    }

    /** No new collection may start; the source is closed now if none is running, else by the last one. */
    void retire() {
        boolean close;
        synchronized (this) {
            retired = true;
            close = shouldClose();
        }
        if (close) {
            source.close();
        }
    }

    /** Whether the source has been closed. */
    synchronized boolean isClosed() {
        return closed;
    }

    private boolean shouldClose() {
        if (retired && users == 0 && !closed) {
            closed = true;
            return true;
        }
        return false;
    }
}
