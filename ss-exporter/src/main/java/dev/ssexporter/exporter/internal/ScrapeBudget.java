package dev.ssexporter.exporter.internal;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Optional;

/**
 * How long the scrape being served may wait for the shared collection, from Prometheus'
 * {@code X-Prometheus-Scrape-Timeout-Seconds} header.
 *
 * <p>{@link ScrapeTimeouts} binds the budget of the request it serves to {@link #CURRENT} while
 * the registry is scraped; the socket collector reads it and waits for the collection no longer
 * than {@link #remaining()}, then throws {@link ScrapeTimeoutException}. Without a header (or
 * with a value that is not a positive number of seconds) nothing is bound and the scrape waits
 * for the collection however long it takes.
 *
 * <p>The budget is the timeout minus {@link #MARGIN} (half the timeout when it is
 * {@code 2 * MARGIN} or less), so that the 503 reaches Prometheus before it gives up itself.
 *
 * @param timeout the scrape timeout Prometheus announced
 * @param deadlineNanos the {@link System#nanoTime()} by which the collection must be ready
 */
public record ScrapeBudget(Duration timeout, long deadlineNanos) {
    private static final System.Logger LOG = System.getLogger(ScrapeBudget.class.getName());

    /** The header Prometheus sends with every scrape. */
    public static final String HEADER = "X-Prometheus-Scrape-Timeout-Seconds";
    /** Kept free for sending the answer. */
    public static final Duration MARGIN = Duration.ofMillis(500);
    /** The budget of the request this thread serves, when it announced a timeout. */
    public static final ScopedValue<ScrapeBudget> CURRENT = ScopedValue.newInstance();

    /** A budget starting now for {@code timeout}. */
    public static ScrapeBudget startingNow(Duration timeout) {
        Duration usable = timeout.compareTo(MARGIN.multipliedBy(2)) > 0 ? timeout.minus(MARGIN) : timeout.dividedBy(2);
        return new ScrapeBudget(timeout, System.nanoTime() + usable.toNanos());
    }

    /**
     * The budget for a header value, or empty when there is none or it is not a positive, finite
     * number of seconds (logged at debug level: a proxy's or an old client's quirk, not an error).
     */
    public static Optional<ScrapeBudget> fromHeader(String value) {
        if (value == null) {
            return Optional.empty();
        }
        double seconds;
        try {
            seconds = Double.parseDouble(value.strip());
        } catch (NumberFormatException e) {
            seconds = Double.NaN;
        }
        // Over a day is no scrape timeout; the bound also keeps toNanos() from overflowing.
        if (!(seconds > 0) || seconds > 86_400) {
            LOG.log(Level.DEBUG, "ignoring {0}: \"{1}\" is not a positive number of seconds up to 86400",
                    HEADER, value.length() > 40 ? value.substring(0, 40) + "..." : value);
            return Optional.empty();
        }
        return Optional.of(startingNow(Duration.ofNanos((long) (seconds * 1e9))));
    }

    /** The time left before the deadline; zero or negative when it has passed. */
    public Duration remaining() {
        return Duration.ofNanos(deadlineNanos - System.nanoTime());
    }
}
