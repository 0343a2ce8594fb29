package dev.ssexporter.exporter.internal;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusProtobufWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * A format {@code /metrics} streams: client_java's writer for it, the trailer that writer puts
 * after the last family, which a streamed body writes once, at its very end (OpenMetrics'
 * {@code # EOF}; the Prometheus text and protobuf formats have none), and the writer of the
 * per-flow families in it ({@link #flowWriter}).
 *
 * <p>{@link #render} gives client_java's bytes for some families without the trailer, so that
 * runs of families written one after the other, with the per-flow families between them, make
 * one body.
 */
public final class ExpositionFormat {
    private static final byte[] NONE = new byte[0];
    private static final byte[] OPENMETRICS_EOF = "# EOF\n".getBytes(StandardCharsets.US_ASCII);

    private final ExpositionFormatWriter writer;
    private final byte[] trailer;

    private ExpositionFormat(ExpositionFormatWriter writer, byte[] trailer) {
        this.writer = writer;
        this.trailer = trailer;
    }

    /** The format {@code writer} writes, if it is one that can be streamed. */
    public static Optional<ExpositionFormat> of(ExpositionFormatWriter writer) {
        Objects.requireNonNull(writer, "writer");
        return switch (writer) {
            case PrometheusTextFormatWriter w -> Optional.of(new ExpositionFormat(w, NONE));
            case OpenMetricsTextFormatWriter w -> Optional.of(new ExpositionFormat(w, OPENMETRICS_EOF));
            case PrometheusProtobufWriter w when w.isAvailable() -> Optional.of(new ExpositionFormat(w, NONE));
            default -> Optional.empty();
        };
    }

    /** client_java's writer for this format. */
    public ExpositionFormatWriter writer() {
        return writer;
    }

    /** The {@code Content-Type} of a body in this format. */
    public String contentType() {
        return writer.getContentType();
    }

    /** What ends a body: nothing, or OpenMetrics' {@code # EOF} line. */
    public byte[] trailer() {
        return trailer.clone();
    }

    /** Whether this is OpenMetrics. */
    public boolean isOpenMetrics() {
        return writer instanceof OpenMetricsTextFormatWriter;
    }

    /** Whether this is the protobuf format. */
    public boolean isProtobuf() {
        return writer instanceof PrometheusProtobufWriter;
    }

    /**
     * The writer of the per-flow families in this format and {@code scheme}.
     *
     * @throws IllegalStateException when client_java's output does not have the shape it expects
     */
    public FlowFamilyWriter flowWriter(EscapingScheme scheme) {
        return isProtobuf() ? FlowProtobufWriter.of(this, scheme) : FlowTextWriter.of(this, scheme);
    }

    /**
     * client_java's bytes for {@code snapshots} in this format, without the trailer.
     *
     * @throws IllegalStateException when client_java's output does not end with the trailer
     */
    public byte[] render(MetricSnapshots snapshots, EscapingScheme scheme) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writer.write(out, snapshots, scheme);
        byte[] text = out.toByteArray();
        int end = text.length - trailer.length;
        if (end < 0 || !Arrays.equals(text, end, text.length, trailer, 0, trailer.length)) {
            throw new IllegalStateException(writer.getClass().getSimpleName() + " did not end its output with "
                    + new String(trailer, StandardCharsets.US_ASCII).strip());
        }
        return end == text.length ? text : Arrays.copyOf(text, end);
    }

    @Override
    public String toString() {
        return isOpenMetrics() ? "OpenMetrics" : isProtobuf() ? "protobuf" : "the Prometheus text format";
    }
}
