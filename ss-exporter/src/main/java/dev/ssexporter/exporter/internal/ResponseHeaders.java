package dev.ssexporter.exporter.internal;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.Map;

/** Adds the web config's {@code http_server_config.headers} to every response, errors included. */
public final class ResponseHeaders extends Filter {
    private final Map<String, String> headers;

    public ResponseHeaders(Map<String, String> headers) {
        this.headers = Map.copyOf(headers);
    }

    @Override
    public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        headers.forEach(exchange.getResponseHeaders()::set);
        chain.doFilter(exchange);
    }

    @Override
    public String description() {
        return "adds " + headers.keySet() + " to every response";
    }
}
