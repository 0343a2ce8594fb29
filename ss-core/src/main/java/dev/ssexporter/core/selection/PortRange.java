package dev.ssexporter.core.selection;

/**
 * An inclusive range of TCP ports, {@code lower..upper}.
 *
 * <pre>{@code PortRange.of(80, 443).contains(8080) == false}</pre>
 */
public record PortRange(int lower, int upper) {

    public PortRange {
        if (lower < 0 || lower > 65535) {
            throw new IllegalArgumentException("lower port " + lower + " is outside 0..65535");
        }
        if (upper < 0 || upper > 65535) {
            throw new IllegalArgumentException("upper port " + upper + " is outside 0..65535");
        }
        if (lower > upper) {
            throw new IllegalArgumentException("port range is inverted: lower " + lower + " > upper " + upper);
        }
    }

    public static PortRange of(int lower, int upper) {
        return new PortRange(lower, upper);
    }

    public boolean contains(int port) {
        return port >= lower && port <= upper;
    }

    @Override
    public String toString() {
        return lower == upper ? Integer.toString(lower) : lower + "-" + upper;
    }
}
