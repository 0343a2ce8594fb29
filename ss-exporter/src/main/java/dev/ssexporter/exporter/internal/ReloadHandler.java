package dev.ssexporter.exporter.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * {@code POST /-/reload}: runs the reload and answers {@code 200} with its note, or {@code 500}
 * with the reasons it failed, one per line. A request that arrives while a reload it started is
 * still running gets {@code 409} rather than queueing a second one. Meant to be wrapped in
 * {@link Routes#exactly(String, java.util.List, HttpHandler)} for POST.
 */
public final class ReloadHandler implements HttpHandler {
    /** What one reload answered: whether it worked, and its lines. */
    public record Answer(boolean success, List<String> lines) {
        public Answer {
            lines = List.copyOf(lines);
        }
    }

    private final Supplier<Answer> reload;
    private final AtomicBoolean running = new AtomicBoolean();

    public ReloadHandler(Supplier<Answer> reload) {
        this.reload = Objects.requireNonNull(reload, "reload");
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().close();
        if (!running.compareAndSet(false, true)) {
            send(exchange, 409, "a reload is already running; try again when it is done\n");
            return;
        }
        Answer answer;
        try {
            answer = reload.get();
        } finally {
            running.set(false);
        }
        String body = answer.success()
                ? String.join("\n", answer.lines()) + "\n"
                : "reload failed; the previous configuration is still being served:\n"
                        + String.join("\n", answer.lines()) + "\n";
        send(exchange, answer.success() ? 200 : 500, body);
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
