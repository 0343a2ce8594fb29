package dev.ssexporter.exporter.internal;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Map;

/**
 * Refuses requests whose request line and headers together exceed {@code maxBytes} with
 * {@code 431 Request Header Fields Too Large}, before any handler or authentication sees them.
 *
 * <p>Each header line counts its name, its value and four bytes for {@code ": "} and CRLF, as on
 * the wire. The JDK server has a hard limit of its own ({@code sun.net.httpserver.maxReqHeaderSize}),
 * over which it closes the connection without an answer; {@code ExporterServer} sets it above
 * this one.
 */
public final class HeaderLimit extends Filter {
    private static final System.Logger LOG = System.getLogger(HeaderLimit.class.getName());

    private final int maxBytes;

    public HeaderLimit(int maxBytes) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("the header limit must be at least 1 byte, got " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    @Override
    public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        long size = exchange.getRequestMethod().length() + exchange.getRequestURI().getRawPath().length()
                + exchange.getProtocol().length() + 4;
        String query = exchange.getRequestURI().getRawQuery();
        if (query != null) {
            size += query.length() + 1;
        }
        for (Map.Entry<String, List<String>> header : exchange.getRequestHeaders().entrySet()) {
            for (String value : header.getValue()) {
                size += header.getKey().length() + value.length() + 4;
            }
        }
        if (size > maxBytes) {
            LOG.log(Level.DEBUG, "refused a request with {0} bytes of headers", size);
            try {
                Routes.reply(exchange, 431, "request header fields too large (limit " + maxBytes + " bytes)\n");
            } finally {
                exchange.close();
            }
            return;
        }
        chain.doFilter(exchange);
    }

    @Override
    public String description() {
        return "refuses requests with more than " + maxBytes + " bytes of headers";
    }
}
