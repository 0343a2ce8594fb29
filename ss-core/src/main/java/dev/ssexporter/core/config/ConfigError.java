package dev.ssexporter.core.config;

import java.util.Objects;

/**
 * One problem found in a config file, located by key path and by line and column (both
 * 1-based; 0 when the problem has no place in the text, such as an unreadable file).
 *
 * <pre>{@code
 * config.yml:12:7: logic.selection.peering.networks[1]: invalid CIDR "10.0.0.0/33": prefix length 33 exceeds 32 for IPv4
 * }</pre>
 *
 * @param source the file name or other label given to {@link ConfigLoader}
 * @param path the key path, e.g. {@code logic.metrics.histograms.rtt.bucketBounds[3]}; empty for
 *     the file as a whole or a YAML syntax error
 * @param line 1-based line, or 0 when unknown
 * @param column 1-based column, or 0 when unknown
 * @param message what is wrong, without the location
 */
public record ConfigError(String source, String path, int line, int column, String message) {

    public ConfigError {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
    }

    /** {@code source:line:column: path: message}, leaving out the parts that are unknown. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(source);
        if (line > 0) {
            sb.append(':').append(line).append(':').append(column);
        }
        sb.append(": ");
        if (!path.isEmpty()) {
            sb.append(path).append(": ");
        }
        return sb.append(message).toString();
    }
}
