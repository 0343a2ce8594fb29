package dev.ssexporter.exporter.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CancellationException;

/**
 * The exporter's small HTTP handlers around client_java's metrics handler: exact-path matching
 * (the JDK server matches contexts by prefix), the landing page, {@code /health}, and plain-text
 * 404, 405 and 500 answers that never carry a stack trace.
 */
public final class Routes {
    private static final System.Logger LOG = System.getLogger(Routes.class.getName());
    private static final String TEXT = "text/plain; charset=utf-8";
    private static final String HTML = "text/html; charset=utf-8";

    /** The landing page served at {@code /}. */
    static final String LANDING_PAGE = """
            <!DOCTYPE html>
            <html lang="en">
            <head><meta charset="utf-8"><title>ss-exporter</title></head>
            <body>
            <h1>ss-exporter</h1>
            <p>Linux TCP socket statistics from NETLINK_SOCK_DIAG, as Prometheus metrics.</p>
            <ul>
            <li><a href="metrics">/metrics</a>: the metrics</li>
            <li><a href="health">/health</a>: liveness, answers OK</li>
            </ul>
            </body>
            </html>
            """;

    private Routes() {}

    /**
     * Serves {@code handler} at exactly {@code path} for GET and HEAD; any longer path under the
     * same context is a 404, any other method a 405.
     */
    public static HttpHandler exactly(String path, HttpHandler handler) {
        return exactly(path, List.of("GET", "HEAD"), handler);
    }

    /**
     * Serves {@code handler} at exactly {@code path} for the given methods; any longer path under
     * the same context is a 404, any other method a 405 listing them.
     */
    public static HttpHandler exactly(String path, List<String> methods, HttpHandler handler) {
        List<String> allowed = List.copyOf(methods);
        String allow = String.join(", ", allowed);
        return exchange -> {
            try {
                if (!path.equals(exchange.getRequestURI().getPath())) {
                    send(exchange, 404, TEXT, "Not Found\n");
                    return;
                }
                if (!allowed.contains(exchange.getRequestMethod())) {
                    exchange.getResponseHeaders().set("Allow", allow);
                    send(exchange, 405, TEXT, "Method Not Allowed\n");
                    return;
                }
                handler.handle(exchange);
            } catch (IOException e) {
                // The client went away or the response was cut; nothing more can be sent.
                LOG.log(Level.DEBUG, "HTTP exchange failed", e);
            } catch (CancellationException e) {
                // The request ran out of time (RequestExecutor interrupted it); its connection is closed.
                LOG.log(Level.DEBUG, "HTTP exchange cut off: " + e.getMessage());
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "HTTP handler failed for " + exchange.getRequestURI().getPath(), e);
                sendQuietly(exchange, 500, "Internal Server Error\n");
            } finally {
                exchange.close();
            }
        };
    }

    /** {@code 200 OK}, body {@code OK}. */
    public static HttpHandler health() {
        return exchange -> send(exchange, 200, TEXT, "OK");
    }

    /** A small HTML page linking {@code /metrics} and {@code /health}. */
    public static HttpHandler landingPage() {
        return exchange -> send(exchange, 200, HTML, LANDING_PAGE);
    }

    /** A plain-text answer with {@code status}, the body left out for {@code HEAD}. */
    public static void reply(HttpExchange exchange, int status, String body) throws IOException {
        send(exchange, status, TEXT, body);
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.getResponseHeaders().set("Content-Length", Integer.toString(bytes.length));
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void sendQuietly(HttpExchange exchange, int status, String body) {
        try {
            send(exchange, status, TEXT, body);
        } catch (IOException | RuntimeException e) {
            // Headers were probably sent already; closing the exchange is all that is left.
            LOG.log(Level.DEBUG, "could not send the error response", e);
        }
    }
}
