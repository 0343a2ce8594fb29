package dev.ssexporter.exporter.internal;

import dev.ssexporter.core.engine.FlowSample;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the per-flow families of a scrape in the Prometheus text format straight from the
 * {@link FlowSample}s into a stream, without building client_java snapshots: the same bytes
 * client_java's {@link PrometheusTextFormatWriter} writes for the snapshots
 * {@link ScrapeSnapshots} would build, at a fraction of the memory and CPU.
 *
 * <p>The fixed parts are not spelled out here but taken from client_java itself: at construction
 * each family is rendered once, by the given writer, with one sentinel flow, and the {@code # HELP}
 * and {@code # TYPE} lines and the sample prefix ({@code tcp_data_segs_in_total{flow="}) are cut
 * out of that text. Only the label value and the number are written by this class, escaped and
 * formatted as client_java does: {@code \\}, {@code "} and newline escaped; numbers as
 * {@link Double#toString(double)}, {@code +Inf} and {@code -Inf}. If the rendered template does
 * not have the expected shape (a client_java that writes samples differently), construction fails
 * and the caller keeps using client_java.
 *
 * <p>Stateless and thread-safe: each {@link #write} call has its own buffer.
 */
public final class FlowTextWriter {
    /** A label value that needs no escaping and cannot be confused with the rest of a line. */
    private static final String SENTINEL = "ss-exporter-template-flow";
    private static final byte[] LABEL_END = "\"} ".getBytes(StandardCharsets.US_ASCII);
    private static final int BUFFER = 64 * 1024;
    /** {@link Double#toString(double)} writes {@code |d| < 10^7} without an exponent. */
    private static final long PLAIN_LIMIT = 10_000_000L;

    private final Map<Family, Template> templates = new EnumMap<>(Family.class);

    private record Template(byte[] header, byte[] samplePrefix) {}

    private FlowTextWriter(PrometheusTextFormatWriter writer, EscapingScheme scheme) throws IOException {
        FlowSample sentinel = new FlowSample(SENTINEL, 0, 0, 0, 0, 0, 1);
        for (Family f : ScrapeSnapshots.PER_FLOW) {
            MetricSnapshot snapshot = ScrapeSnapshots.flowFamily(f, List.of(sentinel));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            writer.write(out, new MetricSnapshots(snapshot), scheme);
            String text = out.toString(StandardCharsets.UTF_8);
            String sampleEnd = SENTINEL + "\"} 0.0\n";
            int lineStart = text.lastIndexOf('\n', text.length() - 2) + 1;
            if (!text.endsWith(sampleEnd) || text.indexOf(SENTINEL) != text.length() - sampleEnd.length()
                    || !text.startsWith("# ") || lineStart == 0) {
                throw new IllegalStateException("unexpected text format for " + f.metricName() + ": " + text);
            }
            templates.put(f, new Template(
                    text.substring(0, lineStart).getBytes(StandardCharsets.UTF_8),
                    text.substring(lineStart, text.length() - sampleEnd.length()).getBytes(StandardCharsets.UTF_8)));
        }
    }

    /**
     * Derives the templates from {@code writer}'s output for {@code scheme}.
     *
     * @throws IllegalStateException when client_java's output does not have the expected shape
     */
    public static FlowTextWriter of(PrometheusTextFormatWriter writer, EscapingScheme scheme) {
        try {
            return new FlowTextWriter(writer, scheme);
        } catch (IOException e) {
            throw new IllegalStateException("rendering the templates failed", e);
        }
    }

    /**
     * Writes family {@code f} for {@code flows}, which must be sorted by label, without
     * duplicates (see {@link ScrapeSnapshots#sortedFlows}); nothing for no flows, as client_java
     * writes nothing for a family without data points. Does not flush or close {@code out}.
     */
    public void write(OutputStream out, Family f, List<FlowSample> flows) throws IOException {
        if (flows.isEmpty()) {
            return;
        }
        Template t = templates.get(f);
        if (t == null) {
            throw new IllegalArgumentException(f + " is not a per-flow family");
        }
        Buffer b = new Buffer(out);
        b.put(t.header);
        for (FlowSample flow : flows) {
            b.put(t.samplePrefix);
            b.putLabelValue(flow.flow());
            b.put(LABEL_END);
            switch (f) {
                case TCP_RTT -> b.putDouble(flow.rttMs());
                case TCP_CWND -> b.putLongAsDouble(flow.cwnd());
                case TCP_DELIVERY_RATE -> b.putLongAsDouble(flow.deliveryRate());
                case TCP_DATA_SEGS_IN -> b.putLongAsDouble(flow.dataSegsIn());
                case TCP_DATA_SEGS_OUT -> b.putLongAsDouble(flow.dataSegsOut());
                default -> throw new IllegalArgumentException(f + " is not a per-flow family");
            }
            b.put((byte) '\n');
        }
        b.flush();
    }

    /** A byte buffer in front of the stream; ASCII written directly, anything else as UTF-8. */
    private static final class Buffer {
        private final OutputStream out;
        private final byte[] buf = new byte[BUFFER];
        private final byte[] digits = new byte[20];
        private int pos;

        Buffer(OutputStream out) {
            this.out = out;
        }

        void put(byte b) throws IOException {
            if (pos == buf.length) {
                flush();
            }
            buf[pos++] = b;
        }

        void put(byte[] bytes) throws IOException {
            if (bytes.length > buf.length - pos) {
                flush();
                if (bytes.length > buf.length) {
                    out.write(bytes);
                    return;
                }
            }
            System.arraycopy(bytes, 0, buf, pos, bytes.length);
            pos += bytes.length;
        }

        /** Escapes backslash, double quote and newline, as client_java's label value writer does. */
        void putLabelValue(String s) throws IOException {
            int n = s.length();
            // Worst case two bytes per char when ASCII; a non-ASCII label takes the slow path.
            if (2 * n > buf.length - pos) {
                flush();
            }
            if (2 * n > buf.length) {
                put(escape(s).getBytes(StandardCharsets.UTF_8));
                return;
            }
            int p = pos;
            for (int i = 0; i < n; i++) {
                char c = s.charAt(i);
                if (c >= 0x80) {
                    put(escape(s).getBytes(StandardCharsets.UTF_8));
                    return;
                }
                switch (c) {
                    case '\\' -> {
                        buf[p++] = '\\';
                        buf[p++] = '\\';
                    }
                    case '"' -> {
                        buf[p++] = '\\';
                        buf[p++] = '"';
                    }
                    case '\n' -> {
                        buf[p++] = '\\';
                        buf[p++] = 'n';
                    }
                    default -> buf[p++] = (byte) c;
                }
            }
            pos = p;
        }

        /** {@code Double.toString((double) v)}, without the String for the common small values. */
        void putLongAsDouble(long v) throws IOException {
            if (v > -PLAIN_LIMIT && v < PLAIN_LIMIT) {
                putPlainLong(v);
            } else {
                putAscii(Double.toString((double) v));
            }
        }

        void putDouble(double d) throws IOException {
            if (d == Double.POSITIVE_INFINITY) {
                putAscii("+Inf");
            } else if (d == Double.NEGATIVE_INFINITY) {
                putAscii("-Inf");
            } else if (d != 0 && d > -PLAIN_LIMIT && d < PLAIN_LIMIT && d == (long) d) {
                putPlainLong((long) d);
            } else {
                putAscii(Double.toString(d));
            }
        }

        /** {@code v} followed by {@code .0}; {@code |v| < 10^7}. */
        private void putPlainLong(long v) throws IOException {
            if (buf.length - pos < 24) {
                flush();
            }
            if (v < 0) {
                buf[pos++] = '-';
                v = -v;
            }
            int d = digits.length;
            do {
                digits[--d] = (byte) ('0' + (int) (v % 10));
                v /= 10;
            } while (v != 0);
            int len = digits.length - d;
            System.arraycopy(digits, d, buf, pos, len);
            pos += len;
            buf[pos++] = '.';
            buf[pos++] = '0';
        }

        private void putAscii(String s) throws IOException {
            if (buf.length - pos < s.length()) {
                flush();
            }
            for (int i = 0; i < s.length(); i++) {
                buf[pos++] = (byte) s.charAt(i);
            }
        }

        void flush() throws IOException {
            if (pos > 0) {
                out.write(buf, 0, pos);
                pos = 0;
            }
        }

        private static String escape(String s) {
            StringBuilder sb = new StringBuilder(s.length() + 8);
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '\\' -> sb.append("\\\\");
                    case '"' -> sb.append("\\\"");
                    case '\n' -> sb.append("\\n");
                    default -> sb.append(c);
                }
            }
            return sb.toString();
        }
    }
}
