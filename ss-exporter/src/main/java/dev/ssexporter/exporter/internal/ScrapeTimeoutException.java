package dev.ssexporter.exporter.internal;

import java.time.Duration;

/**
 * The collection a scrape waits for did not finish within its {@link ScrapeBudget}; the scrape is
 * answered with a {@code 503} while the collection goes on for the scrapes that share it.
 */
public final class ScrapeTimeoutException extends RuntimeException {
    private final transient Duration timeout;

    public ScrapeTimeoutException(Duration timeout) {
        super("the collection did not finish within the scrape timeout of " + seconds(timeout) + " s", null,
                false, false);
        this.timeout = timeout;
    }

    /** The scrape timeout Prometheus announced. */
    public Duration timeout() {
        return timeout;
    }

    /** The first {@link ScrapeTimeoutException} in {@code e}'s cause chain, or null. */
    public static ScrapeTimeoutException in(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ScrapeTimeoutException s) {
                return s;
            }
        }
        return null;
    }

    static String seconds(Duration d) {
        return java.math.BigDecimal.valueOf(d.toMillis(), 3).stripTrailingZeros().toPlainString();
    }
}
