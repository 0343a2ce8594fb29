package dev.ssexporter.exporter.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.concurrent.Semaphore;

/**
 * At most {@code limit} requests in {@code handler} at once; one more is answered at once, without
 * waiting, with
 *
 * <pre>
 * HTTP/1.1 503 Service Unavailable
 * Retry-After: 1
 *
 * too many scrapes in flight (limit 4); retry later
 * </pre>
 *
 * <p>Scrapes are what costs memory and CPU (each one writes its own body), so they are what is
 * capped; {@code /health} and the landing page are not behind the limit.
 */
public final class InFlightLimit implements HttpHandler {
    private static final System.Logger LOG = System.getLogger(InFlightLimit.class.getName());

    private final int limit;
    private final Semaphore permits;
    private final HttpHandler handler;

    public InFlightLimit(int limit, HttpHandler handler) {
        if (limit < 1) {
            throw new IllegalArgumentException("the in-flight limit must be at least 1, got " + limit);
        }
        this.limit = limit;
        this.permits = new Semaphore(limit);
        this.handler = handler;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        if (!permits.tryAcquire()) {
            LOG.log(Level.DEBUG, "refused a request to {0}: {1} in flight", exchange.getRequestURI().getPath(), limit);
            exchange.getResponseHeaders().set("Retry-After", "1");
            Routes.reply(exchange, 503, "too many scrapes in flight (limit " + limit + "); retry later\n");
            return;
        }
        try {
            handler.handle(exchange);
        } finally {
            permits.release();
        }
    }

    /** Requests inside the limit right now. */
    public int inFlight() {
        return limit - permits.availablePermits();
    }
}
